"""Training test data on top of the standard world: a program, events, budget lines, actors."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from sqlalchemy import select

from app.accounts.models import User
from app.clock import local_today
from app.extensions import db
from app.needs.models import DevelopmentForm, DevelopmentNeed, NeedStatus
from app.org.models import Employee, Instansi, OrgUnit
from app.training.models import (
    Attendance,
    BudgetLine,
    Completion,
    Delegation,
    DelegationKind,
    Nomination,
    NominationOrigin,
    NominationState,
    Participation,
    ProgramCompetency,
    ProviderKind,
    TrainingEvent,
    TrainingForm,
    TrainingPath,
    TrainingProgram,
)
from app.training.workflow import Actor, actor_for_employee, actor_for_user


def make_program(
    instansi: Instansi | int,
    code: str = "PKP-01",
    cost: int = 1_000_000,
    jp: float = 24,
    competencies: tuple[tuple[str, int], ...] = (("M.03", 3),),
    title: str | None = None,
) -> TrainingProgram:
    instansi_id = instansi if isinstance(instansi, int) else instansi.id
    program = TrainingProgram(
        instansi_id=instansi_id,
        code=code,
        title=title or f"Pelatihan {code}",
        path=TrainingPath.CLASSICAL,
        form=TrainingForm.CLASSICAL,
        jp=jp,
        provider_kind=ProviderKind.BPSDM,
        provider_name="BPSDM Provinsi",
        cost_per_participant=cost,
        competencies=[
            ProgramCompetency(competency_code=c, target_level=lvl) for c, lvl in competencies
        ],
    )
    db.session.add(program)
    db.session.flush()
    return program


def make_event(
    program: TrainingProgram,
    start: date | None = None,
    days: int = 3,
    quota: int = 10,
    batch: str = "Angkatan I",
) -> TrainingEvent:
    start = start or local_today() + timedelta(days=30)
    event = TrainingEvent(
        program_id=program.id,
        batch_code=batch,
        start_date=start,
        end_date=start + timedelta(days=days - 1),
        location="Aula BKPSDM",
        quota=quota,
        seats_taken=0,
    )
    db.session.add(event)
    db.session.flush()
    return event


def make_budget(unit: OrgUnit, amount: int, year: int | None = None) -> BudgetLine:
    line = BudgetLine(
        instansi_id=unit.instansi_id,
        org_unit_id=unit.id,
        year=year or (local_today() + timedelta(days=30)).year,
        name=f"Pengembangan kompetensi {unit.name}",
        amount=amount,
        committed=0,
    )
    db.session.add(line)
    db.session.flush()
    return line


def make_delegation(
    position_id: int,
    delegate: Employee,
    kind: DelegationKind = DelegationKind.PLT,
    start: date | None = None,
    end: date | None = None,
) -> Delegation:
    delegation = Delegation(
        instansi_id=delegate.instansi_id,
        position_id=position_id,
        delegate_employee_id=delegate.id,
        kind=kind,
        valid_from=start or local_today() - timedelta(days=1),
        valid_to=end or local_today() + timedelta(days=30),
        sk_number="800/123/BKPSDM",
    )
    db.session.add(delegation)
    db.session.flush()
    return delegation


def make_need(
    employee: Employee,
    code: str = "M.03",
    status: NeedStatus = NeedStatus.ACCEPTED,
    gap: float = 1.5,
) -> DevelopmentNeed:
    need = DevelopmentNeed(
        instansi_id=employee.instansi_id,
        cycle_year=local_today().year,
        employee_id=employee.id,
        competency_code=code,
        gap=gap,
        priority=gap * 2,
        suggested_form=DevelopmentForm.CLASSICAL,
        status=status,
    )
    db.session.add(need)
    db.session.flush()
    return need


def user_actor(email: str) -> Actor:
    user = db.session.scalars(select(User).where(User.email == email)).one()
    return actor_for_user(user)


def employee_actor(employee_id: int) -> Actor:
    employee = db.session.get(Employee, employee_id)
    assert employee is not None
    return actor_for_employee(employee)


@dataclass
class TrainingSetup:
    program_id: int
    event_id: int
    budget_id: int


def build_training(
    world, cost: int = 1_000_000, quota: int = 10, budget: int = 50_000_000
) -> TrainingSetup:
    """A program of instansi A with one future event and a budget line for the OPD."""
    program = make_program(world.a.id, cost=cost)
    event = make_event(program, quota=quota)
    opd = db.session.get(OrgUnit, world.opd.id)
    line = make_budget(opd, budget, event.start_date.year)
    db.session.commit()
    return TrainingSetup(program.id, event.id, line.id)


def reload(nomination: Nomination) -> Nomination:
    db.session.expire_all()
    found = db.session.get(Nomination, nomination.id)
    assert found is not None
    return found


JUSTIFY = "Needed for the new public-service standard in the bidang."


def submit_as(email: str, event_id: int, employee_id: int, text: str = JUSTIFY) -> int:
    from app.training.workflow import nominate

    return nominate(user_actor(email), event_id, employee_id, text).id


def approve_as(email: str, nomination_id: int) -> None:
    from app.training.workflow import Decision, decide

    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    assert nomination is not None
    decide(user_actor(email), nomination_id, Decision.APPROVE, nomination.version)


def version_of(nomination_id: int) -> int:
    db.session.expire_all()
    nomination = db.session.get(Nomination, nomination_id)
    assert nomination is not None
    return nomination.version


def approved_participation(
    event: TrainingEvent,
    employee: Employee,
    attendance: Attendance = Attendance.PRESENT,
    completion: Completion = Completion.ENROLLED,
    certificate: str = "",
) -> Participation:
    """An approved nomination of `employee` for `event` with its participation (flushed)."""
    nomination = Nomination(
        instansi_id=employee.instansi_id,
        event_id=event.id,
        employee_id=employee.id,
        origin=NominationOrigin.SUPERVISOR,
        justification="Needed for the service standard.",
        state=NominationState.APPROVED,
    )
    db.session.add(nomination)
    db.session.flush()
    participation = Participation(
        nomination_id=nomination.id,
        event_id=event.id,
        employee_id=employee.id,
        attendance=attendance,
        completion=completion,
        certificate_number=certificate,
    )
    db.session.add(participation)
    db.session.flush()
    return participation
