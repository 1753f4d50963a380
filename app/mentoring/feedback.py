"""The mentee's feedback after a session, answered on the bundled `umpan_balik_mentoring` survey.

The form is rendered from the loaded definition and checked by the survey engine's own logic
(`evaluate_all`: relevance, required, constraints). Submitted answers go to the survey tables,
one `survey_response` per session with one `survey_answer` row per field, under a campaign per
instansi and year with audience "mentee", so they appear in the survey results like any other
response. The response's `submission_key` is derived from the session, so a double submit
cannot store two responses. Answering "no" to "is this pairing working?" flags the pairing.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date
from pathlib import Path
from threading import Lock

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import utcnow
from app.errors import ServiceError
from app.extensions import db
from app.mentoring.models import MentoringSession
from app.mentoring.services import lock_session
from app.org.models import Instansi
from app.surveys.definition import Definition, load_definition
from app.surveys.logic import FormState, evaluate_all
from app.surveys.models import (
    Answer,
    Audience,
    Campaign,
    CampaignStatus,
    Response,
    ResponseStatus,
)
from app.surveys.services import answer_rows

FEEDBACK_DEFINITION_ID = "umpan_balik_mentoring"
PAIRING_QUESTION = "berjalan_baik"  # "Is this mentoring pair working well?"
NOT_WORKING = "tidak"
PROBLEM_ITEM = "kendala"
RATER_ROLE = "mentee"

_cache: dict[str, tuple[int, Definition]] = {}
_cache_lock = Lock()


class FeedbackIncomplete(ServiceError):
    """The answers miss required fields or break a constraint; the state has every error."""

    def __init__(self, state: FormState) -> None:
        super().__init__(_l("Please correct the answers marked below."))
        self.state = state


def feedback_definition() -> Definition:
    """The loaded instrument, reloaded when its file changes."""
    path = Path(current_app.config["SURVEYS_DIR"]) / f"{FEEDBACK_DEFINITION_ID}.yaml"
    stamp = path.stat().st_mtime_ns
    with _cache_lock:
        cached = _cache.get(str(path))
        if cached is None or cached[0] != stamp:
            cached = (stamp, load_definition(path))
            _cache[str(path)] = cached
    return cached[1]


def relevance_drivers(definition: Definition) -> frozenset[str]:
    """Items whose answer can show or hide other items; only they re-render the form (htmx)."""
    drivers: set[str] = set()
    expressions = [page.relevant for page in definition.pages]
    for item in definition.items:
        expressions += [item.relevant, item.choice_filter, item.calculate]
        if not isinstance(item.required, bool):
            expressions.append(item.required)
    for expression in expressions:
        if expression is not None:
            drivers.update(path.split(".")[0] for path in expression.references)
    return frozenset(drivers)


def prefill(session: MentoringSession) -> dict[str, object]:
    """Answers already known from the session log, so the mentee only rates the session."""
    return {
        "tanggal_sesi": session.held_on.isoformat(),
        "bentuk_sesi": session.mode.value,
        "durasi_menit": str(session.duration_minutes),
        "topik": session.topics,
    }


def evaluate(answers: Mapping[str, object], lang: str, today: date) -> FormState:
    """Relevance, coercion and validation of the answers by the survey engine."""
    return evaluate_all(feedback_definition(), answers, lang, today=today)


def feedback_campaign(instansi_id: int, year: int, definition: Definition) -> Campaign:
    """The open "mentee" campaign of the instansi and year for this instrument, made on first use.

    The instansi row is locked first, so two first answers at once create a single campaign.
    """
    db.session.execute(select(Instansi.id).where(Instansi.id == instansi_id).with_for_update())
    campaign = db.session.scalar(
        select(Campaign)
        .where(
            Campaign.instansi_id == instansi_id,
            Campaign.definition_id == definition.id,
            Campaign.audience == Audience.MENTEE,
            Campaign.cycle_year == year,
        )
        .order_by(Campaign.id)
        .limit(1)
    )
    if campaign is None:
        campaign = Campaign(
            instansi_id=instansi_id,
            definition_id=definition.id,
            definition_version=definition.version,
            title=f"{definition.text(definition.title, 'id')} {year}",
            audience=Audience.MENTEE,
            cycle_year=year,
            opens_on=date(year, 1, 1),
            closes_on=date(year, 12, 31),
            status=CampaignStatus.OPEN,
            anonymous=False,
        )
        db.session.add(campaign)
        db.session.flush()
    return campaign


def submission_key(session: MentoringSession) -> str:
    return f"mentoring-session:{session.id}"


def submit_feedback(
    session: MentoringSession, answers: Mapping[str, object], lang: str, today: date
) -> Response:
    """Store the mentee's answers for a confirmed session once; "not working" flags the pairing.

    The session row is locked first, so a double submit finds the first response and returns it.
    """
    session = lock_session(session)
    if session.confirmed_at is None:
        raise ServiceError(_l("Confirm the session before giving feedback."))
    if session.feedback_response_id is not None:
        existing = db.session.get(Response, session.feedback_response_id)
        if existing is not None:
            return existing
    definition = feedback_definition()
    state = evaluate_all(definition, answers, lang, today=today)
    if not state.is_complete:
        raise FeedbackIncomplete(state)
    pairing = session.pairing
    campaign = feedback_campaign(pairing.instansi_id, session.held_on.year, definition)
    now = utcnow()
    response = Response(
        campaign_id=campaign.id,
        definition_id=definition.id,
        definition_version=definition.version,
        language=lang if lang in definition.languages else definition.default_language,
        rater_role=RATER_ROLE,
        respondent_employee_id=pairing.mentee_id,
        subject_employee_id=pairing.mentor_id,
        org_unit_id=pairing.mentee.org_unit_id,
        submission_key=submission_key(session),
        status=ResponseStatus.SUBMITTED,
        draft_answers="{}",
        started_on=today,
        submitted_on=today,
        submitted_at=now,
        updated_at=now,
    )
    db.session.add(response)
    db.session.flush()
    db.session.add_all(Answer(**row) for row in answer_rows(definition, response.id, state.values))
    session.feedback_response_id = response.id
    if state.answers.get(PAIRING_QUESTION) == NOT_WORKING:
        pairing.flagged_at = now
        pairing.flag_note = str(state.answers.get(PROBLEM_ITEM) or "")
    db.session.commit()
    return response
