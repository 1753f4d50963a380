"""Evaluation results per event, program and provider: response rates, L1 by aspect with
comments, L2 gain, L3 change seen by participant and supervisor, L4 change against a
comparison group; and the programs flagged for review."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from statistics import mean

from flask_babel import lazy_gettext as _l
from sqlalchemy import case, func, select

from app.evaluation.models import (
    DEFAULT_FLAG_THRESHOLD,
    REACTION_DEFINITION,
    ChangeProject,
    EvaluationRequest,
    EvaluationSettings,
    EventInstrument,
    Level,
    RespondentRole,
)
from app.extensions import db
from app.org.models import Employee
from app.surveys.figures import (
    answers_by_invitation,
    free_texts,
    item_means,
    submitted_per_campaign,
)
from app.surveys.models import Campaign, Invitation
from app.surveys.quiz import score_answers
from app.surveys.services.definitions import campaign_definition, read_definition_source
from app.talent.feeds import annual_scores
from app.training.attendance import ProgramInfo, in_program, participations, programs

# Reaction aspects and the items of the reaction survey they average (all rows of a matrix).
ASPECTS: tuple[tuple[str, object, tuple[str, ...]], ...] = (
    ("material", _l("Material"), ("materi",)),
    ("instructor", _l("Instructor"), ("pengajar",)),
    ("relevance", _l("Relevance to the job"), ("relevansi_pekerjaan",)),
    ("facilities", _l("Facilities"), ("fasilitas_kelas", "fasilitas_daring")),
    ("overall", _l("Overall satisfaction"), ("kepuasan_umum",)),
)
COMMENT_ITEMS = ("hal_terbaik", "saran_perbaikan", "alasan_tidak_diterapkan")
SELF_VIEW, SUPERVISOR_VIEW = "frekuensi_penerapan", "perubahan_perilaku"
MIN_COMPARISON = 5  # below this many people per group, a level-4 change is not conclusive


ASPECT_ITEMS = [item for _key, _label, group in ASPECTS for item in group]


def aspect_means(
    means: dict[tuple[int, str], float], campaigns: set[int] | None = None
) -> list[tuple[str, object, float | None]]:
    """Each aspect's mean over the per-campaign item means (of `campaigns`, or all)."""
    found = []
    for key, label, group in ASPECTS:
        values = [
            v
            for (campaign, item), v in means.items()
            if item in group and (campaigns is None or campaign in campaigns)
        ]
        found.append((key, label, round(mean(values), 2) if values else None))
    return found


def reaction_min_group() -> int:
    """The reaction survey's own privacy threshold (5 in the bundled instrument)."""
    return read_definition_source(REACTION_DEFINITION)[1].min_group_size


@dataclass(frozen=True)
class Rate:
    level: str
    issued: int
    answered: int

    @property
    def percent(self) -> int | None:
        return round(100 * self.answered / self.issued) if self.issued else None


@dataclass
class Reaction:
    responses: int
    hidden: bool  # fewer responses than the survey's privacy threshold
    aspects: list[tuple[str, object, float | None]] = field(default_factory=list)
    comments: list[str] = field(default_factory=list)

    @property
    def overall(self) -> float | None:
        values = [value for _key, _label, value in self.aspects if value is not None]
        return round(mean(values), 2) if values and not self.hidden else None


@dataclass(frozen=True)
class TestRow:
    participant: str
    pre: float | None
    post: float | None
    passed: bool | None

    @property
    def gain(self) -> float | None:
        return (
            round(self.post - self.pre, 1)
            if self.pre is not None and self.post is not None
            else None
        )


@dataclass(frozen=True)
class BehaviourRow:
    participant: str
    self_view: float | None
    supervisor_view: float | None
    supervisor_asked: bool

    @property
    def score(self) -> float | None:
        views = [v for v in (self.self_view, self.supervisor_view) if v is not None]
        return round(mean(views), 2) if views else None


@dataclass
class EventEvaluation:
    event_id: int
    rates: list[Rate]
    reaction: Reaction
    tests: list[TestRow]
    behaviour: list[BehaviourRow]
    projects: list[ChangeProject]

    @property
    def mean_gain(self) -> float | None:
        gains = [t.gain for t in self.tests if t.gain is not None]
        return round(mean(gains), 1) if gains else None

    @property
    def mean_behaviour(self) -> float | None:
        scores = [b.score for b in self.behaviour if b.score is not None]
        return round(mean(scores), 2) if scores else None


def rates_for(event_ids: list[int]) -> dict[int, list[Rate]]:
    """Issued and answered requests per event and level: one grouped query."""
    result: dict[int, list[Rate]] = defaultdict(list)
    if not event_ids:
        return result
    answered = func.sum(case((Invitation.completed_on.is_not(None), 1), else_=0))
    rows = db.session.execute(
        select(EvaluationRequest.event_id, EvaluationRequest.level, func.count(), answered)
        .join(Invitation, Invitation.id == EvaluationRequest.invitation_id)
        .where(EvaluationRequest.event_id.in_(event_ids))
        .group_by(EvaluationRequest.event_id, EvaluationRequest.level)
        .order_by(EvaluationRequest.event_id, EvaluationRequest.level)
    )
    for event_id, level, issued, done in rows:
        result[event_id].append(Rate(str(level), int(issued), int(done or 0)))
    return result


def _instruments(event_ids: list[int]) -> dict[tuple[int, str], int]:
    if not event_ids:
        return {}
    rows = db.session.execute(
        select(EventInstrument.event_id, EventInstrument.level, EventInstrument.campaign_id).where(
            EventInstrument.event_id.in_(event_ids)
        )
    )
    return {(e, str(level)): c for e, level, c in rows}


def reactions(campaign_ids: list[int], minimum: int) -> Reaction:
    """Reaction figures over one or several events' campaigns together."""
    responses = sum(submitted_per_campaign(campaign_ids).values())
    reaction = Reaction(responses=responses, hidden=responses < minimum)
    if reaction.hidden:
        reaction.aspects = [(key, label, None) for key, label, _items in ASPECTS]
        return reaction
    reaction.aspects = aspect_means(item_means(campaign_ids, ASPECT_ITEMS))
    reaction.comments = [text for _c, _item, text in free_texts(campaign_ids, list(COMMENT_ITEMS))]
    return reaction


def _names(ids: set[int]) -> dict[int, str]:
    if not ids:
        return {}
    return dict(
        db.session.execute(select(Employee.id, Employee.name).where(Employee.id.in_(ids))).all()
    )


def event_evaluation(event_id: int) -> EventEvaluation:
    """Everything known about one event's evaluation, in a fixed number of queries."""
    instruments = _instruments([event_id])
    reaction_campaign = instruments.get((event_id, Level.REACTION.value))
    reaction = reactions([reaction_campaign] if reaction_campaign else [], reaction_min_group())
    requests = list(
        db.session.scalars(
            select(EvaluationRequest).where(
                EvaluationRequest.event_id == event_id,
                EvaluationRequest.level != Level.REACTION,
            )
        )
    )
    answers = answers_by_invitation([r.invitation_id for r in requests if r.invitation_id])
    names = _names({r.participant_id for r in requests})
    tests = _test_rows(event_id, requests, answers, instruments, names)
    behaviour = _behaviour_rows(requests, answers, names)
    projects = list(
        db.session.scalars(
            select(ChangeProject)
            .where(
                ChangeProject.participation_id.in_(
                    [
                        p.participation_id
                        for p in participations(event_id=event_id, attended_only=False)
                    ]
                )
            )
            .order_by(ChangeProject.id)
        )
    )
    return EventEvaluation(
        event_id, rates_for([event_id]).get(event_id, []), reaction, tests, behaviour, projects
    )


def _test_rows(event_id, requests, answers, instruments, names) -> list[TestRow]:
    definitions = {}
    for level in (Level.PRETEST, Level.POSTTEST):
        campaign_id = instruments.get((event_id, level.value))
        if campaign_id is not None:
            campaign = db.session.get(Campaign, campaign_id)
            definitions[level] = campaign_definition(campaign) if campaign else None
    by_participant: dict[int, dict[Level, tuple[float, bool | None]]] = defaultdict(dict)
    for request in requests:
        if request.level not in definitions or request.invitation_id not in answers:
            continue
        definition = definitions[request.level]
        scored = score_answers(definition, answers[request.invitation_id]) if definition else None
        if scored is not None:
            by_participant[request.participant_id][request.level] = (scored.percent, scored.passed)
    rows = []
    for participant_id, scores in sorted(
        by_participant.items(), key=lambda kv: names.get(kv[0], "")
    ):
        pre = scores.get(Level.PRETEST)
        post = scores.get(Level.POSTTEST)
        rows.append(
            TestRow(
                names.get(participant_id, "–"),
                pre[0] if pre else None,
                post[0] if post else None,
                post[1] if post else None,
            )
        )
    return rows


def _number(value: object) -> float | None:
    try:
        return float(value)  # type: ignore[arg-type]
    except (TypeError, ValueError):
        return None


def _behaviour_rows(requests, answers, names) -> list[BehaviourRow]:
    views: dict[int, dict[str, object]] = defaultdict(dict)
    for request in requests:
        if request.level != Level.BEHAVIOUR:
            continue
        entry = views[request.participant_id]
        given = answers.get(request.invitation_id, {}) if request.invitation_id else {}
        if request.respondent_role == RespondentRole.SUPERVISOR:
            entry["supervisor"] = _number(given.get(SUPERVISOR_VIEW))
            entry["asked"] = request.respondent_id is not None
        else:
            entry["self"] = _number(given.get(SELF_VIEW))
    return [
        BehaviourRow(
            names.get(participant_id, "–"),
            entry.get("self"),  # type: ignore[arg-type]
            entry.get("supervisor"),  # type: ignore[arg-type]
            bool(entry.get("asked", False)),
        )
        for participant_id, entry in sorted(views.items(), key=lambda kv: names.get(kv[0], ""))
    ]


@dataclass(frozen=True)
class ResultsChange:
    """Level 4: mean change of the annual SKP (1–5) before → after, participants vs others."""

    participants: int
    participants_change: float | None
    comparison: int
    comparison_change: float | None

    @property
    def conclusive(self) -> bool:
        return self.participants >= MIN_COMPARISON and self.comparison >= MIN_COMPARISON

    @property
    def difference(self) -> float | None:
        if self.participants_change is None or self.comparison_change is None:
            return None
        return round(self.participants_change - self.comparison_change, 2)


@dataclass
class ProgramEvaluation:
    program: ProgramInfo
    events: list[tuple[int, str, object, list[Rate], float | None]]  # id, batch, end, rates, L1
    reaction: Reaction
    results: ResultsChange
    threshold: float

    @property
    def level_rates(self) -> list[Rate]:
        """Requests issued and answered per level, pooled over the program's events."""
        pooled: dict[str, list[int]] = {}
        for _event, _batch, _end, rates, _overall in self.events:
            for rate in rates:
                totals = pooled.setdefault(rate.level, [0, 0])
                totals[0] += rate.issued
                totals[1] += rate.answered
        return [Rate(level, issued, answered) for level, (issued, answered) in pooled.items()]

    @property
    def flagged(self) -> bool:
        overall = self.reaction.overall
        return overall is not None and overall < self.threshold


def program_evaluation(program: ProgramInfo) -> ProgramEvaluation:
    """One program across its events: rates, pooled L1 with comments, L4 against others."""
    attended = participations(include=in_program(program.id))
    events: dict[int, tuple[str, object]] = {}
    for p in participations(include=in_program(program.id), attended_only=False):
        events.setdefault(p.event_id, (p.batch_code, p.end_date))
    event_ids = sorted(events)
    instruments = _instruments(event_ids)
    reaction_campaigns = {
        e: c for (e, level), c in instruments.items() if level == Level.REACTION.value
    }
    minimum = reaction_min_group()
    per_campaign = submitted_per_campaign(list(reaction_campaigns.values()))
    overall_means = item_means(list(reaction_campaigns.values()), ["kepuasan_umum"])
    rates = rates_for(event_ids)
    rows = []
    for event_id in event_ids:
        batch, end = events[event_id]
        campaign = reaction_campaigns.get(event_id)
        overall = None
        if campaign is not None and per_campaign.get(campaign, 0) >= minimum:
            overall = overall_means.get((campaign, "kepuasan_umum"))
        rows.append((event_id, batch, end, rates.get(event_id, []), overall))
    settings = db.session.scalar(
        select(EvaluationSettings).where(EvaluationSettings.program_id == program.id)
    )
    return ProgramEvaluation(
        program=program,
        events=rows,
        reaction=reactions(list(reaction_campaigns.values()), minimum),
        results=results_change(program.instansi_id, attended),
        threshold=settings.flag_threshold if settings else DEFAULT_FLAG_THRESHOLD,
    )


def results_change(instansi_id: int, attended: list) -> ResultsChange:
    """SKP predikat of the year before the event against the event's year, for participants
    and for employees in the same positions who did not take part."""
    if not attended:
        return ResultsChange(0, None, 0, None)
    years = {p.end_date.year for p in attended}
    scores = annual_scores(instansi_id, tuple(sorted(years | {y - 1 for y in years})))
    people = {
        e_id: pos
        for e_id, pos in db.session.execute(
            select(Employee.id, Employee.position_id).where(
                Employee.instansi_id == instansi_id, Employee.active.is_(True)
            )
        )
    }
    participant_year = {p.employee_id: p.end_date.year for p in attended}
    positions = {people.get(e) for e in participant_year} - {None}

    def change(employee_id: int, year: int) -> float | None:
        before, after = scores.get((employee_id, year - 1)), scores.get((employee_id, year))
        return after - before if before is not None and after is not None else None

    mine = [c for e, y in participant_year.items() if (c := change(e, y)) is not None]
    reference_year = max(years)
    others = [
        c
        for e, pos in people.items()
        if pos in positions and e not in participant_year
        if (c := change(e, reference_year)) is not None
    ]
    return ResultsChange(
        len(mine),
        round(mean(mine), 2) if mine else None,
        len(others),
        round(mean(others), 2) if others else None,
    )


def program_list(instansi_id: int) -> list[ProgramEvaluation]:
    """Every program of the instansi that has an evaluated event, flagged ones first."""
    evaluated = set(
        db.session.scalars(
            select(EvaluationRequest.event_id)
            .where(EvaluationRequest.instansi_id == instansi_id)
            .distinct()
        )
    )
    if not evaluated:
        return []
    found = []
    for program in programs(instansi_id):
        evaluation = program_evaluation(program)
        if any(event_id in evaluated for event_id, *_rest in evaluation.events):
            found.append(evaluation)
    return sorted(found, key=lambda e: (not e.flagged, e.program.title))
