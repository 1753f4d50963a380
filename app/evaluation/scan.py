"""The due-evaluation scan: which participants (and supervisors) are asked what, and when.

One run issues every request that has fallen due, in a fixed number of set-based statements:
the reaction survey (L1) when an event has ended, pre- and post-tests (L2) around the event,
and the 90-day follow-up (L3) to the participant and to the supervisor they had at the event.
Running it twice issues nothing twice (unique keys, and only rows without a request are read);
a run that dies before its commit leaves nothing behind, so the next run simply does the work.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date, timedelta

from flask_babel import force_locale
from flask_babel import lazy_gettext as _l
from sqlalchemy import select, update

from app.clock import utcnow
from app.evaluation.models import (
    DEFAULT_FOLLOW_UP_DAYS,
    FOLLOW_UP_DEFINITION,
    REACTION_DEFINITION,
    EvaluationRequest,
    EvaluationSettings,
    EventInstrument,
    Level,
    RespondentRole,
)
from app.extensions import db
from app.org.models import Employee
from app.surveys.models import Audience
from app.surveys.services.assignments import supervisors_by_employee
from app.surveys.services.campaigns import CampaignSpec, open_campaigns
from app.surveys.services.days import end_of_day
from app.surveys.services.invitations import insert_invitation_rows, invitation_keys
from app.training.attendance import Attended, participation_id_column, participations

REACTION_WINDOW_DAYS = 30  # events that ended longer ago than this get no reaction survey
PRETEST_LEAD_DAYS = 7  # the pre-test opens this many days before the event starts
ANSWER_DAYS = 30  # a request can be answered this long after it is issued

TITLES = {
    Level.REACTION: _l("Evaluation of the training"),
    Level.PRETEST: _l("Pre-test"),
    Level.POSTTEST: _l("Post-test"),
    Level.BEHAVIOUR: _l("90-day follow-up"),
}


@dataclass
class ScanResult:
    """How many requests one run issued, per level, and the campaigns it opened."""

    issued: dict[str, int] = field(default_factory=lambda: defaultdict(int))
    planned_follow_ups: int = 0
    campaign_ids: list[int] = field(default_factory=list)

    @property
    def total(self) -> int:
        return sum(self.issued.values())


@dataclass(frozen=True)
class _Ask:
    """One invitation to create: who answers, about whom, for which event and level."""

    event: Attended
    level: Level
    definition_id: str
    role: RespondentRole
    respondent_id: int
    request_id: int | None = None  # an existing (planned) request to attach it to


def _done(level: Level):
    """Participations that already have a request of this level (an uncorrelated subquery:
    evaluated once, where a correlated EXISTS would be run per participation on SQLite)."""
    return participation_id_column().in_(
        select(EvaluationRequest.participation_id).where(EvaluationRequest.level == level)
    )


def _settings() -> dict[int, EvaluationSettings]:
    return {s.program_id: s for s in db.session.scalars(select(EvaluationSettings))}


def run_due(today: date) -> ScanResult:
    """Issue every evaluation request due on `today`; the caller commits."""
    result = ScanResult()
    settings = _settings()
    ended = participations(
        ended_from=today - timedelta(days=REACTION_WINDOW_DAYS),
        ended_to=today,
        exclude=_done(Level.REACTION),
    )
    asks = [
        _Ask(p, Level.REACTION, REACTION_DEFINITION, RespondentRole.PARTICIPANT, p.employee_id)
        for p in ended
    ]
    result.planned_follow_ups = _plan_follow_ups(ended, settings)
    tests = [s for s in settings.values() if s.pretest_definition or s.posttest_definition]
    if tests:
        asks += _test_asks(today, settings)
    instansi = {a.event.instansi_id for a in asks} | set(
        db.session.scalars(
            select(EvaluationRequest.instansi_id)
            .where(
                EvaluationRequest.level == Level.BEHAVIOUR,
                EvaluationRequest.invitation_id.is_(None),
                EvaluationRequest.due_on <= today,
            )
            .distinct()
        )
    )
    people = _people(instansi)
    asks += _follow_up_asks(today, people)
    _issue(asks, today, result)
    return result


def _test_asks(today: date, settings: dict[int, EvaluationSettings]) -> list[_Ask]:
    """Pre-tests from a week before the start to the end; post-tests once the event ended."""
    asks = []
    upcoming = participations(
        starts_to=today + timedelta(days=PRETEST_LEAD_DAYS),
        ended_from=today,
        attended_only=False,
        exclude=_done(Level.PRETEST),
    )
    for p in upcoming:
        definition = settings.get(p.program_id)
        if definition and definition.pretest_definition:
            asks.append(
                _Ask(
                    p,
                    Level.PRETEST,
                    definition.pretest_definition,
                    RespondentRole.PARTICIPANT,
                    p.employee_id,
                )
            )
    finished = participations(
        ended_from=today - timedelta(days=REACTION_WINDOW_DAYS),
        ended_to=today,
        exclude=_done(Level.POSTTEST),
    )
    for p in finished:
        definition = settings.get(p.program_id)
        if definition and definition.posttest_definition:
            asks.append(
                _Ask(
                    p,
                    Level.POSTTEST,
                    definition.posttest_definition,
                    RespondentRole.PARTICIPANT,
                    p.employee_id,
                )
            )
    return asks


def _plan_follow_ups(ended: list[Attended], settings: dict[int, EvaluationSettings]) -> int:
    """Behaviour requests for participant and supervisor, due later; the supervisor is the one
    the position tree names at the event (kept if they move, replaced only if they leave)."""
    if not ended:
        return 0
    supervisors: dict[int, dict[int, int]] = {
        instansi_id: supervisors_by_employee(instansi_id)
        for instansi_id in sorted({p.instansi_id for p in ended})
    }
    rows = []
    for p in ended:
        delay = (
            settings[p.program_id].follow_up_days
            if p.program_id in settings
            else DEFAULT_FOLLOW_UP_DAYS
        )
        due = p.end_date + timedelta(days=delay)
        supervisor = supervisors[p.instansi_id].get(p.employee_id)
        for role, respondent in (
            (RespondentRole.PARTICIPANT, p.employee_id),
            (RespondentRole.SUPERVISOR, supervisor),
        ):
            rows.append(
                {
                    "instansi_id": p.instansi_id,
                    "event_id": p.event_id,
                    "participation_id": p.participation_id,
                    "participant_id": p.employee_id,
                    "level": Level.BEHAVIOUR,
                    "respondent_role": role,
                    "respondent_id": respondent,
                    "original_respondent_id": respondent,
                    "due_on": due,
                }
            )
    db.session.execute(EvaluationRequest.__table__.insert(), rows)  # Core: one executemany
    return len(rows)


def _follow_up_asks(today: date, people: dict[int, _Person]) -> list[_Ask]:
    """Planned behaviour requests that fell due; a supervisor who left is replaced by the
    participant's supervisor today."""
    due_condition = (
        EvaluationRequest.level == Level.BEHAVIOUR,
        EvaluationRequest.invitation_id.is_(None),
        EvaluationRequest.due_on <= today,
    )
    due = list(db.session.scalars(select(EvaluationRequest).where(*due_condition)))
    if not due:
        return []
    events = {
        p.participation_id: p
        for p in participations(
            attended_only=False,
            include=participation_id_column().in_(
                select(EvaluationRequest.participation_id).where(*due_condition)
            ),
        )
    }
    supervisors: dict[int, dict[int, int]] = {}
    asks = []
    for request in due:
        event = events.get(request.participation_id)
        participant = people.get(request.participant_id)
        if event is None or participant is None or not participant.active:
            continue
        respondent = request.respondent_id
        current = people.get(respondent) if respondent is not None else None
        if request.respondent_role == RespondentRole.SUPERVISOR and (
            current is None or not current.active
        ):
            if event.instansi_id not in supervisors:
                supervisors[event.instansi_id] = supervisors_by_employee(event.instansi_id)
            respondent = supervisors[event.instansi_id].get(request.participant_id)
            request.respondent_id = respondent
        if respondent is None:
            continue  # nobody to ask: shown as "no supervisor" on the event page
        asks.append(
            _Ask(
                event,
                Level.BEHAVIOUR,
                FOLLOW_UP_DEFINITION,
                request.respondent_role,
                respondent,
                request.id,
            )
        )
    return asks


@dataclass(frozen=True)
class _Person:
    email: str | None
    name: str
    org_unit_id: int
    active: bool


def _people(instansi_ids: set[int]) -> dict[int, _Person]:
    """Every employee of the instansi concerned, in one query (respondents and their state)."""
    if not instansi_ids:
        return {}
    rows = db.session.execute(
        select(
            Employee.id, Employee.email, Employee.name, Employee.org_unit_id, Employee.active
        ).where(Employee.instansi_id.in_(instansi_ids))
    )
    return {i: _Person(email, name, unit, bool(active)) for i, email, name, unit, active in rows}


def _issue(asks: list[_Ask], today: date, result: ScanResult) -> None:
    """Campaigns per event and level (opened once), one invitation per ask, the requests."""
    if not asks:
        return
    closes = today + timedelta(days=ANSWER_DAYS)
    campaigns = _campaigns_for(asks, today, closes, result)
    respondents = {
        e.id: e
        for e in db.session.scalars(
            select(Employee).where(Employee.id.in_({a.respondent_id for a in asks}))
        )
    }
    expires = end_of_day(closes)
    campaign_ids = [campaigns[(ask.event.event_id, ask.level)] for ask in asks]
    invitation_rows = []
    for ask, campaign_id in zip(asks, campaign_ids, strict=True):
        respondent = respondents[ask.respondent_id]
        invitation_rows.append(
            {
                "campaign_id": campaign_id,
                "expires_at": expires,
                "email": respondent.email,
                "name": respondent.name,
                "rater_role": ask.role.value,
                "respondent_employee_id": ask.respondent_id,
                "subject_employee_id": ask.event.employee_id,
                "org_unit_id": respondent.org_unit_id,
            }
        )
    insert_invitation_rows(invitation_rows)
    keys = invitation_keys(sorted(set(campaign_ids)))
    now = utcnow()
    new_requests, attached = [], []
    for ask, campaign_id in zip(asks, campaign_ids, strict=True):
        invitation_id = keys[
            (campaign_id, ask.respondent_id, ask.event.employee_id, ask.role.value)
        ]
        result.issued[ask.level.value] += 1
        if ask.request_id is not None:
            attached.append(
                {
                    "id": ask.request_id,
                    "invitation_id": invitation_id,
                    "issued_at": now,
                    "respondent_id": ask.respondent_id,
                }
            )
            continue
        new_requests.append(
            {
                "instansi_id": ask.event.instansi_id,
                "event_id": ask.event.event_id,
                "participation_id": ask.event.participation_id,
                "participant_id": ask.event.employee_id,
                "level": ask.level,
                "respondent_role": ask.role,
                "respondent_id": ask.respondent_id,
                "original_respondent_id": ask.respondent_id,
                "due_on": today,
                "invitation_id": invitation_id,
                "issued_at": now,
            }
        )
    if new_requests:
        db.session.execute(EvaluationRequest.__table__.insert(), new_requests)
    if attached:
        db.session.execute(update(EvaluationRequest), attached)


def _campaigns_for(
    asks: Iterable[_Ask], today: date, closes: date, result: ScanResult
) -> dict[tuple[int, Level], int]:
    """The campaign of each (event, level), opening the missing ones in one INSERT per form."""
    wanted = {(a.event.event_id, a.level): a for a in asks}
    existing = {
        (event_id, level): campaign_id
        for event_id, level, campaign_id in db.session.execute(
            select(
                EventInstrument.event_id, EventInstrument.level, EventInstrument.campaign_id
            ).where(EventInstrument.event_id.in_({event for event, _ in wanted}))
        )
    }
    missing: dict[str, list[_Ask]] = defaultdict(list)
    for key, ask in wanted.items():
        if key not in existing:
            missing[ask.definition_id].append(ask)
    for definition_id, group in sorted(missing.items()):
        with force_locale("id"):
            specs = [
                CampaignSpec(
                    instansi_id=a.event.instansi_id,
                    title=f"{TITLES[a.level]}: {a.event.program_title} ({a.event.batch_code})",
                    audience=Audience.PARTICIPANT,
                    cycle_year=a.event.end_date.year,
                    opens_on=today,
                    closes_on=closes,
                )
                for a in group
            ]
        ids = open_campaigns(definition_id, specs)
        db.session.execute(
            EventInstrument.__table__.insert(),
            [
                {"event_id": a.event.event_id, "level": a.level, "campaign_id": campaign_id}
                for a, campaign_id in zip(group, ids, strict=True)
            ],
        )
        for a, campaign_id in zip(group, ids, strict=True):
            existing[(a.event.event_id, a.level)] = campaign_id
        result.campaign_ids.extend(ids)
    return existing
