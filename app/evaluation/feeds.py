"""What the evaluation results tell the annual plan and the optimiser, as public functions.

`review_flags` answers, for any set of catalogue programs, which are flagged for review (pooled
reaction score below the program's threshold, with at least the privacy threshold of responses)
and why: the lowest-scoring aspects and a few suggestions of the participants. `measured_effects`
answers, per training form, the share of the possible test gain its programs closed (L2).
Both run a fixed number of queries whatever the number of programs.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from statistics import mean

from sqlalchemy import select

from app.evaluation.models import (
    DEFAULT_FLAG_THRESHOLD,
    EvaluationRequest,
    EvaluationSettings,
    EventInstrument,
    Level,
)
from app.evaluation.results import (
    ASPECT_ITEMS,
    Reaction,
    aspect_means,
    reaction_min_group,
)
from app.extensions import db
from app.surveys.figures import (
    answers_by_invitation,
    free_texts_per_campaign,
    item_means,
    submitted_per_campaign,
)
from app.surveys.models import Campaign
from app.surveys.quiz import score_answers
from app.surveys.services.definitions import campaign_definition
from app.training.models import TrainingEvent, TrainingProgram

REASON_ITEMS = ("saran_perbaikan",)  # the reaction survey's "what should be improved"
MAX_REASONS = 2  # lowest-scoring aspects named as the reasons of a flag
MAX_COMMENTS = 3  # participants' suggestions shown with a flag


@dataclass(frozen=True)
class ReviewFlag:
    """A program flagged for review: its pooled satisfaction and the main reasons."""

    program_id: int
    satisfaction: float  # mean of the reaction aspects, 1–5
    threshold: float
    responses: int
    reasons: tuple[tuple[str, object, float], ...]  # aspect key, label, mean; lowest first
    comments: tuple[str, ...]


def review_flags(program_ids: Iterable[int]) -> dict[int, ReviewFlag]:
    """The flagged ones among `program_ids`: five queries at most, none for no programs."""
    ids = sorted(set(program_ids))
    if not ids:
        return {}
    campaigns: dict[int, set[int]] = defaultdict(set)
    for program_id, campaign_id in db.session.execute(
        select(TrainingEvent.program_id, EventInstrument.campaign_id)
        .join(TrainingEvent, TrainingEvent.id == EventInstrument.event_id)
        .where(TrainingEvent.program_id.in_(ids), EventInstrument.level == Level.REACTION)
    ):
        campaigns[int(program_id)].add(int(campaign_id))
    if not campaigns:
        return {}
    all_campaigns = sorted(c for group in campaigns.values() for c in group)
    submitted = submitted_per_campaign(all_campaigns)
    minimum = reaction_min_group()
    shown = {
        program_id: group
        for program_id, group in campaigns.items()
        if sum(submitted.get(c, 0) for c in group) >= minimum
    }
    if not shown:
        return {}
    means = item_means(sorted(c for group in shown.values() for c in group), ASPECT_ITEMS)
    thresholds = dict(
        db.session.execute(
            select(EvaluationSettings.program_id, EvaluationSettings.flag_threshold).where(
                EvaluationSettings.program_id.in_(list(shown))
            )
        ).all()
    )
    flagged: dict[int, tuple[Reaction, float]] = {}
    for program_id, group in shown.items():
        reaction = Reaction(sum(submitted.get(c, 0) for c in group), hidden=False)
        reaction.aspects = aspect_means(means, group)
        threshold = float(thresholds.get(program_id, DEFAULT_FLAG_THRESHOLD))
        overall = reaction.overall
        if overall is not None and overall < threshold:
            flagged[program_id] = (reaction, threshold)
    comments: dict[int, list[str]] = defaultdict(list)
    owner = {c: p for p in flagged for c in shown[p]}
    for campaign_id, _item, text in free_texts_per_campaign(
        sorted(owner), list(REASON_ITEMS), MAX_COMMENTS
    ):
        found = comments[owner[campaign_id]]
        if len(found) < MAX_COMMENTS:
            found.append(text)
    return {
        program_id: ReviewFlag(
            program_id,
            reaction.overall or 0.0,
            threshold,
            reaction.responses,
            _reasons(reaction, threshold),
            tuple(comments.get(program_id, [])),
        )
        for program_id, (reaction, threshold) in sorted(flagged.items())
    }


def _reasons(reaction: Reaction, threshold: float) -> tuple[tuple[str, object, float], ...]:
    """The aspects scored below the threshold, lowest first (the lowest one if none is)."""
    scored = sorted(
        ((key, label, value) for key, label, value in reaction.aspects if value is not None),
        key=lambda aspect: (aspect[2], aspect[0]),
    )
    below = [aspect for aspect in scored if aspect[2] < threshold] or scored[:1]
    return tuple(below[:MAX_REASONS])


@dataclass(frozen=True)
class MeasuredEffect:
    """Level 2 of one form: the mean normalised gain of its programs' participants.

    A participant's normalised gain is (post − pre) / (100 − pre): the share of the gap left by
    the pretest that the training closed, the same unit as the optimiser's expected effect.
    A participant who scored 100 on the pretest had no gap and is left out.
    """

    form: str
    value: float  # may fall below 0 when posttests are lower than pretests
    responses: int  # participants with both tests
    programs: int

    @property
    def adoptable(self) -> float:
        """The value as an expected effect (0..1, two decimals)."""
        return round(min(max(self.value, 0.0), 1.0), 2)


def normalised_gain(pre: float, post: float) -> float | None:
    return (post - pre) / (100 - pre) if pre < 100 else None


def measured_effects(instansi_id: int) -> dict[str, MeasuredEffect]:
    """Forms whose programs have a measured L2 gain from at least the privacy threshold of
    participants (evaluation surveys' minimum group): four queries."""
    instruments: dict[tuple[int, Level], int] = {}
    event_form: dict[int, tuple[str, int]] = {}
    for event_id, level, campaign_id, program_form, program_id in db.session.execute(
        select(
            EventInstrument.event_id,
            EventInstrument.level,
            EventInstrument.campaign_id,
            TrainingProgram.form,
            TrainingProgram.id,
        )
        .join(TrainingEvent, TrainingEvent.id == EventInstrument.event_id)
        .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
        .where(
            TrainingProgram.instansi_id == instansi_id,
            EventInstrument.level.in_([Level.PRETEST, Level.POSTTEST]),
        )
    ):
        instruments[(int(event_id), Level(level))] = int(campaign_id)
        event_form[int(event_id)] = (str(program_form), int(program_id))
    if not instruments:
        return {}
    definitions = {
        campaign.id: campaign_definition(campaign)
        for campaign in db.session.scalars(
            select(Campaign).where(Campaign.id.in_(sorted(set(instruments.values()))))
        )
    }
    requests = list(
        db.session.execute(
            select(
                EvaluationRequest.event_id,
                EvaluationRequest.participant_id,
                EvaluationRequest.level,
                EvaluationRequest.invitation_id,
            ).where(
                EvaluationRequest.event_id.in_(sorted(event_form)),
                EvaluationRequest.level.in_([Level.PRETEST, Level.POSTTEST]),
                EvaluationRequest.invitation_id.is_not(None),
            )
        )
    )
    answers = answers_by_invitation([int(r[3] or 0) for r in requests])
    scores: dict[tuple[int, int], dict[Level, float]] = defaultdict(dict)
    for event_id, participant_id, level, invitation_id in requests:
        definition = definitions.get(instruments.get((event_id, Level(level)), -1))
        if definition is None or invitation_id not in answers:
            continue
        scored = score_answers(definition, answers[invitation_id])
        if scored is not None:
            scores[(event_id, participant_id)][Level(level)] = scored.percent
    gains: dict[str, list[float]] = defaultdict(list)
    programs: dict[str, set[int]] = defaultdict(set)
    for (event_id, _participant), pair in scores.items():
        if Level.PRETEST not in pair or Level.POSTTEST not in pair:
            continue
        gain = normalised_gain(pair[Level.PRETEST], pair[Level.POSTTEST])
        if gain is not None:
            form_key, program_id = event_form[event_id]
            gains[form_key].append(gain)
            programs[form_key].add(program_id)
    minimum = reaction_min_group()
    return {
        form: MeasuredEffect(form, round(mean(values), 3), len(values), len(programs[form]))
        for form, values in sorted(gains.items())
        if len(values) >= minimum
    }
