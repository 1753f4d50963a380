"""Catalogue, events, approval chains, delegations, budget lines and participation.

The nomination lifecycle itself lives in `workflow.py`; read-only lists and views in
`queries.py`. Each function here owns its transaction and raises `ServiceError` on refusal.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, replace
from datetime import date, timedelta

from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, select
from sqlalchemy.exc import IntegrityError

from app.clock import local_today, utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.learning.services import credit_jp
from app.org.hierarchy import opd_of
from app.org.models import Employee, OrgUnit, Position
from app.training import certificates, plan_links
from app.training.models import (
    FORM_PATH,
    ApprovalChainStep,
    Attendance,
    BudgetLine,
    BudgetSource,
    Completion,
    Delegation,
    DelegationKind,
    EventStatus,
    Participation,
    ProgramCompetency,
    ProviderKind,
    StepKind,
    TrainingEvent,
    TrainingForm,
    TrainingProgram,
)
from app.training.policy import Acting, allocation_refusal
from app.training.workflow import Actor, NotAllowed, TransitionRefused, rupiah

CODE_PATTERN = re.compile(r"^[A-Z][A-Z0-9]{0,9}(\.[A-Z0-9]{1,10}){1,3}$")
MAX_CHAIN_STEPS = 5
MAX_DELEGATION_DAYS = 92  # a Plt/Plh serves at most three months; an extension is a new SK


# ---- catalogue -----------------------------------------------------------------------------


@dataclass
class ProgramData:
    code: str
    title: str
    form: str
    jp: float
    provider_kind: str
    provider_name: str
    cost_per_participant: int
    competencies: str  # "M.03:3" per line
    description: str = ""
    active: bool = True


def parse_competencies(text: str) -> list[tuple[str, int]]:
    """Lines of `CODE:LEVEL` (e.g. `M.03:3`); codes are upper-cased, each listed once."""
    parsed: list[tuple[str, int]] = []
    seen: set[str] = set()
    for number, raw in enumerate((text or "").splitlines(), start=1):
        line = raw.strip()
        if not line:
            continue
        code, _sep, level_text = line.replace("=", ":").partition(":")
        code = code.strip().upper()
        try:
            level = int(level_text.strip())
        except ValueError:
            level = 0
        if not CODE_PATTERN.match(code) or not 1 <= level <= 5:
            raise ValidationFailed(
                [
                    (
                        "competencies",
                        _(
                            "Line %(n)d: write a competency code and a target level 1–5, "
                            "e.g. M.03:3.",
                            n=number,
                        ),
                    )
                ]
            )
        if code in seen:
            raise ValidationFailed([("competencies", _("%(code)s is listed twice.", code=code))])
        seen.add(code)
        parsed.append((code, level))
    if not parsed:
        raise ValidationFailed(
            [("competencies", _("List at least one competency the program develops."))]
        )
    return parsed


def competencies_text(program: TrainingProgram) -> str:
    return "\n".join(f"{c.competency_code}:{c.target_level}" for c in program.competencies)


def save_program(
    instansi_id: int, data: ProgramData, existing: TrainingProgram | None = None
) -> TrainingProgram:
    """Create or change a catalogue entry; the path follows from the form."""
    problems: list[tuple[str, str]] = []
    code = data.code.strip().upper()
    if not code:
        problems.append(("code", _("A code is required.")))
    try:
        form = TrainingForm(data.form)
        provider = ProviderKind(data.provider_kind)
    except ValueError:
        raise ValidationFailed([("form", _("Choose a form from the list."))]) from None
    if data.jp <= 0 or data.jp > 2000:
        problems.append(("jp", _("JP must be between 0 and 2000 (1 JP = 45 minutes).")))
    if data.cost_per_participant < 0:
        problems.append(("cost_per_participant", _("The cost cannot be negative.")))
    duplicate = db.session.scalar(
        select(TrainingProgram.id).where(
            TrainingProgram.instansi_id == instansi_id,
            TrainingProgram.code == code,
            TrainingProgram.id != (existing.id if existing else 0),
        )
    )
    if duplicate:
        problems.append(("code", _("Another program already uses this code.")))
    try:
        competencies = parse_competencies(data.competencies)
    except ValidationFailed as error:
        problems.extend(error.problems)
        competencies = []
    if problems:
        db.session.rollback()
        raise ValidationFailed(problems)
    program = existing or TrainingProgram(instansi_id=instansi_id)
    program.code = code
    program.title = data.title.strip()[:200]
    program.form = form
    program.path = FORM_PATH[form]
    program.jp = round(data.jp, 2)
    program.provider_kind = provider
    program.provider_name = data.provider_name.strip()[:200]
    program.cost_per_participant = data.cost_per_participant
    program.description = (data.description or "").strip()
    program.active = data.active
    wanted = dict(competencies)
    for item in list(program.competencies):
        if item.competency_code not in wanted:
            program.competencies.remove(item)
        else:
            item.target_level = wanted.pop(item.competency_code)
    for code_, level in wanted.items():
        program.competencies.append(ProgramCompetency(competency_code=code_, target_level=level))
    db.session.add(program)
    db.session.commit()
    return program


@dataclass
class EventData:
    batch_code: str
    start_date: date
    end_date: date
    quota: int
    location: str = ""
    online_url: str = ""
    cancelled: bool = False
    plan_item_id: int | None = None


def save_event(
    program: TrainingProgram, data: EventData, existing: TrainingEvent | None = None
) -> TrainingEvent:
    """A batch needs dates in order, a place or an online link, and a quota not below the
    seats already approved."""
    problems: list[tuple[str, str]] = []
    if data.end_date < data.start_date:
        problems.append(("end_date", _("The event cannot end before it starts.")))
    if not data.location.strip() and not data.online_url.strip():
        problems.append(("location", _("Give the place or the online link.")))
    url = data.online_url.strip()
    if url and not url.startswith(("https://", "http://")):
        problems.append(("online_url", _("The online link must start with https://.")))
    taken = existing.seats_taken if existing else 0
    if data.quota < max(taken, 1):
        problems.append(
            ("quota", _("The quota cannot be below the %(n)d seats already approved.", n=taken))
        )
    if data.plan_item_id is not None and data.plan_item_id not in {
        item_id
        for item_id, _label in plan_links.item_choices(program.instansi_id, data.start_date.year)
    }:
        problems.append(("plan_item_id", _("Choose an item of this year's development plan.")))
    if problems:
        raise ValidationFailed(problems)
    event = existing or TrainingEvent(program_id=program.id, seats_taken=0)
    event.plan_item_id = data.plan_item_id
    event.batch_code = data.batch_code.strip()[:40]
    event.start_date, event.end_date = data.start_date, data.end_date
    event.location, event.online_url = data.location.strip()[:200], url[:300]
    event.quota = data.quota
    event.status = EventStatus.CANCELLED if data.cancelled else EventStatus.SCHEDULED
    db.session.add(event)
    db.session.commit()
    return event


# ---- approval chain ------------------------------------------------------------------------


def set_chain(actor: Actor, instansi_id: int, kinds: list[StepKind]) -> None:
    """Replace the instansi's chain; nominations already submitted keep the steps they copied."""
    if not kinds:
        raise ValidationFailed([("step_1", _("The chain needs at least one step."))])
    if len(kinds) > MAX_CHAIN_STEPS:
        raise ValidationFailed([("step_1", _("At most %(n)d steps.", n=MAX_CHAIN_STEPS))])
    if len(set(kinds)) != len(kinds):
        raise ValidationFailed([("step_1", _("Each kind of step can appear only once."))])
    db.session.execute(
        delete(ApprovalChainStep).where(ApprovalChainStep.instansi_id == instansi_id)
    )
    now = utcnow()
    db.session.add_all(
        ApprovalChainStep(
            instansi_id=instansi_id,
            step_no=number,
            kind=kind,
            updated_by_id=actor.user_id,
            updated_at=now,
        )
        for number, kind in enumerate(kinds, start=1)
    )
    db.session.commit()


# ---- delegations (Plt / Plh) ---------------------------------------------------------------


def head_positions(instansi_id: int) -> list[tuple[int, str]]:
    """Positions that head a unit: the only ones a Plt/Plh is appointed for."""
    rows = db.session.execute(
        select(Position.id, Position.name, OrgUnit.name)
        .join(OrgUnit, Position.heads_unit_id == OrgUnit.id)
        .where(Position.instansi_id == instansi_id)
        .order_by(OrgUnit.path)
    )
    return [(pid, f"{name} — {unit}") for pid, name, unit in rows]


def create_delegation(
    actor: Actor,
    instansi_id: int,
    position_id: int,
    delegate_employee_id: int,
    kind: DelegationKind,
    valid_from: date,
    valid_to: date,
    sk_number: str,
) -> Delegation:
    """Record a Plt/Plh: a head position, a delegate of the same instansi who does not hold it,
    at most three months, one acting official per position at a time."""
    problems: list[tuple[str, str]] = []
    position = db.session.get(Position, position_id)
    if position is None or position.instansi_id != instansi_id or position.heads_unit_id is None:
        problems.append(("position_id", _("Choose a head position of this instansi.")))
    delegate = db.session.get(Employee, delegate_employee_id)
    if delegate is None or delegate.instansi_id != instansi_id or not delegate.active:
        problems.append(("delegate_employee_id", _("Choose an active employee of this instansi.")))
    elif position is not None and delegate.position_id == position.id:
        problems.append(
            ("delegate_employee_id", _("The holder of the position needs no delegation."))
        )
    if valid_to < valid_from:
        problems.append(("valid_to", _("The end date cannot be before the start date.")))
    elif (valid_to - valid_from).days + 1 > MAX_DELEGATION_DAYS:
        problems.append(
            (
                "valid_to",
                _("A Plt/Plh serves at most three months; record an extension as a new SK."),
            )
        )
    if not sk_number.strip():
        problems.append(("sk_number", _("Give the number of the appointment letter (SK).")))
    if not problems:
        overlap = db.session.scalar(
            select(Delegation.id).where(
                Delegation.position_id == position_id,
                Delegation.revoked_at.is_(None),
                Delegation.valid_from <= valid_to,
                Delegation.valid_to >= valid_from,
            )
        )
        if overlap:
            problems.append(
                ("valid_from", _("Another Plt/Plh already acts for this position in that period."))
            )
    if problems:
        raise ValidationFailed(problems)
    delegation = Delegation(
        instansi_id=instansi_id,
        position_id=position_id,
        delegate_employee_id=delegate_employee_id,
        kind=kind,
        valid_from=valid_from,
        valid_to=valid_to,
        sk_number=sk_number.strip()[:100],
        created_by_id=actor.user_id,
    )
    db.session.add(delegation)
    db.session.commit()
    return delegation


def revoke_delegation(actor: Actor, delegation: Delegation) -> None:
    """End a delegation early (the definitive official is back); its past acts stay audited."""
    if delegation.revoked_at is not None:
        raise ServiceError(_l("This delegation has already ended."))
    delegation.revoked_at = utcnow()
    delegation.revoked_by_id = actor.user_id
    if delegation.valid_to >= local_today():
        delegation.valid_to = max(delegation.valid_from, local_today() - timedelta(days=1))
    db.session.commit()


# ---- budget --------------------------------------------------------------------------------


@dataclass
class BudgetData:
    org_unit_id: int
    year: int
    name: str
    amount: int
    code: str = ""
    source: str = BudgetSource.APBD.value


def opd_head_position_id(unit: OrgUnit) -> int | None:
    opd = opd_of(unit)
    return db.session.scalar(select(Position.id).where(Position.heads_unit_id == opd.id))


def allocatable_units(acting: Acting) -> list[OrgUnit]:
    """Units of the OPDs the principal heads definitively (the only ones they may allocate)."""
    path = acting.principal.headed_unit_path
    if not path or acting.principal.headed_unit_id is None:
        return []
    unit = db.session.get(OrgUnit, acting.principal.headed_unit_id)
    if unit is None or unit.parent_id is not None:
        return []
    return list(
        db.session.scalars(
            select(OrgUnit).where(OrgUnit.path.startswith(path)).order_by(OrgUnit.path)
        )
    )


def allocate_budget(actor: Actor, acting: Acting, data: BudgetData) -> BudgetLine:
    """Set a unit's training budget for a year: reserved to the OPD's definitive head."""
    unit = db.session.get(OrgUnit, data.org_unit_id)
    if unit is None:
        raise ValidationFailed([("org_unit_id", _("Choose a unit."))])
    refusal = allocation_refusal(acting, opd_head_position_id(unit))
    if refusal is not None:
        raise NotAllowed(refusal)
    problems: list[tuple[str, str]] = []
    if not 2000 <= data.year <= 2100:
        problems.append(("year", _("Give a year between 2000 and 2100.")))
    if data.amount < 0:
        problems.append(("amount", _("The amount cannot be negative.")))
    try:
        source = BudgetSource(data.source)
    except ValueError:
        problems.append(("source", _("Choose a funding source.")))
        source = BudgetSource.APBD
    line = db.session.scalars(
        select(BudgetLine).where(BudgetLine.org_unit_id == unit.id, BudgetLine.year == data.year)
    ).first()
    if line is not None and data.amount < line.committed:
        problems.append(
            (
                "amount",
                _(
                    "The amount cannot be lower than the %(committed)s already committed.",
                    committed=rupiah(line.committed),
                ),
            )
        )
    if problems:
        raise ValidationFailed(problems)
    if line is None:
        line = BudgetLine(
            instansi_id=unit.instansi_id, org_unit_id=unit.id, year=data.year, committed=0
        )
        db.session.add(line)
    line.name = data.name.strip()[:200] or unit.name
    line.code = data.code.strip()[:60]
    line.source = source
    line.amount = data.amount
    line.allocated_by_id = actor.user_id
    try:
        db.session.commit()
    except IntegrityError:  # a parallel allocation created the line, or committed more
        db.session.rollback()
        raise TransitionRefused(
            _l("The budget line changed while you were editing it; open it again.")
        ) from None
    return line


# ---- participation and JP ------------------------------------------------------------------


@dataclass(frozen=True)
class ParticipationChange:
    """What one roster row is set to; `certificate_number` None keeps the current one."""

    participation_id: int
    attendance: Attendance
    completion: Completion | None  # None: the row keeps its completion
    certificate_number: str | None = None


class RowsRefused(ValidationFailed):
    """Some roster rows were refused: (participation id, message) for each; nothing was saved."""

    def __init__(self, rows: list[tuple[int, str]]) -> None:
        super().__init__([(f"row:{pid}", message) for pid, message in rows])
        self.rows = rows


def _event_started(event: TrainingEvent) -> None:
    if event.start_date > local_today():
        raise ValidationFailed(
            [("attendance", _("Attendance is recorded once the event has started."))]
        )


def _resolved(participation: Participation, change: ParticipationChange) -> ParticipationChange:
    """The row as it will be saved: the completion it keeps when none is given; the number
    typed, else (or when a completed row's number is cleared) the number it has."""
    completion = change.completion or participation.completion
    typed = change.certificate_number
    number = participation.certificate_number if typed is None else typed.strip()[:100]
    if completion == Completion.COMPLETED and not number:
        number = participation.certificate_number
    return replace(change, completion=completion, certificate_number=number)


def _row_problems(
    event: TrainingEvent, rows: list[tuple[Participation, ParticipationChange]]
) -> list[tuple[int, str, str]]:
    """The rules every roster row keeps, as (participation id, field, message), for the single
    and the bulk path alike; a typed certificate number must be new in the instansi."""
    problems: list[tuple[int, str, str]] = []
    for participation, change in rows:
        if (
            participation.completion == Completion.COMPLETED
            and change.completion != Completion.COMPLETED
        ):
            message = _("The JP of this participation are already credited; it stays completed.")
            problems.append((participation.id, "completion", message))
        elif change.completion == Completion.COMPLETED and change.attendance != Attendance.PRESENT:
            message = _("Only a participant who was present can complete the event.")
            problems.append((participation.id, "completion", message))
    typed = {
        change.certificate_number: participation.id
        for participation, change in rows
        if change.certificate_number
        and change.certificate_number != participation.certificate_number
    }
    taken = certificates.numbers_in_use(
        event.program.instansi_id, list(typed), [p.id for p, _change in rows]
    )
    problems.extend(
        (typed[number], "certificate_number", _("Another participant already has this number."))
        for number in sorted(taken)
    )
    return problems


def _save_rows(
    actor: Actor, event: TrainingEvent, rows: list[tuple[Participation, ParticipationChange]]
) -> None:
    """Apply checked rows in the caller's transaction: completed rows without a number get
    the next numbers of the instansi's pattern (one counter update for all), and completion
    credits the program's JP once."""
    unnumbered = [
        index
        for index, (_p, change) in enumerate(rows)
        if change.completion == Completion.COMPLETED and not change.certificate_number
    ]
    for index, number in zip(unnumbered, certificates.issue(event, len(unnumbered)), strict=True):
        participation, change = rows[index]
        rows[index] = (participation, replace(change, certificate_number=number))
    program = event.program
    for participation, change in rows:
        certificate = change.certificate_number or ""
        participation.attendance = change.attendance
        participation.completion = change.completion or participation.completion
        participation.certificate_number = certificate
        participation.recorded_by_id = actor.user_id
        if participation.completion != Completion.COMPLETED:
            continue
        record = credit_jp(
            participation.employee_id,
            program.jp,
            LearningSource.TRAINING,
            f"participation:{participation.id}",
            event.end_date,
            program.title,
            certificate or None,
        )
        if record.certificate_number != (certificate or None):
            record.certificate_number = certificate or None
        participation.learning_record_id = record.id
        participation.completed_at = participation.completed_at or utcnow()


def record_participation(
    actor: Actor,
    participation: Participation,
    attendance: Attendance,
    completion: Completion,
    certificate_number: str,
) -> Participation:
    """HR records attendance and completion once the event has started; completing a present
    participant writes the program's JP into the learning record, exactly once, and gives a
    certificate number by the instansi's pattern unless one was typed."""
    event = db.session.get(TrainingEvent, participation.event_id)
    assert event is not None
    _event_started(event)
    change = ParticipationChange(participation.id, attendance, completion, certificate_number)
    rows = [(participation, _resolved(participation, change))]
    problems = _row_problems(event, rows)
    if problems:
        raise ValidationFailed([(field, message) for _pid, field, message in problems])
    _save_rows(actor, event, rows)
    db.session.commit()
    return participation


MAX_BULK_ROWS = 1000


def record_many(
    actor: Actor, event: TrainingEvent, changes: list[ParticipationChange]
) -> list[Participation]:
    """Many roster rows at once, by the single row's rules: every row is checked first and a
    single refused row refuses them all (`RowsRefused`), so nothing is half-saved."""
    _event_started(event)
    if not changes:
        raise ValidationFailed([("participants", _("Select at least one participant."))])
    if len(changes) > MAX_BULK_ROWS:
        raise ValidationFailed(
            [("participants", _("At most %(n)d participants at once.", n=MAX_BULK_ROWS))]
        )
    wanted = {change.participation_id: change for change in changes}
    found = {
        p.id: p
        for p in db.session.scalars(
            select(Participation).where(
                Participation.event_id == event.id, Participation.id.in_(list(wanted))
            )
        )
    }
    refused = [
        (pid, _("This participant is not on the roster of this event."))
        for pid in wanted
        if pid not in found
    ]
    rows = [(found[pid], _resolved(found[pid], change)) for pid, change in wanted.items()
            if pid in found]  # fmt: skip
    refused.extend((pid, message) for pid, _field, message in _row_problems(event, rows))
    if refused:
        db.session.rollback()
        raise RowsRefused(refused)
    _save_rows(actor, event, rows)
    db.session.commit()
    return [participation for participation, _change in rows]


def credited_record(participation: Participation) -> LearningRecord | None:
    if participation.learning_record_id is None:
        return None
    return db.session.get(LearningRecord, participation.learning_record_id)
