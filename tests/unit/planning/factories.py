"""Planning test data on top of the standard world: needs, a catalogue, a budget line."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from app.clock import local_today
from app.extensions import db
from app.needs.models import DevelopmentForm, DevelopmentNeed, NeedStatus
from app.org.models import Employee, OrgUnit
from app.planning.audit import PlanActor
from app.planning.models import ActorCapacity
from tests.unit.training.factories import make_budget, make_event, make_program

HR = PlanActor(None, "HR Uji", ActorCapacity.HR)


def year() -> int:
    return local_today().year


def need(
    employee: Employee | int,
    code: str = "M.03",
    form: DevelopmentForm = DevelopmentForm.CLASSICAL,
    status: NeedStatus = NeedStatus.ACCEPTED,
    gap: float = 1.5,
    cycle: int | None = None,
) -> DevelopmentNeed:
    employee = employee if isinstance(employee, Employee) else db.session.get(Employee, employee)
    assert employee is not None
    row = DevelopmentNeed(
        instansi_id=employee.instansi_id,
        cycle_year=cycle or year(),
        employee_id=employee.id,
        competency_code=code,
        gap=gap,
        priority=gap * 2,
        suggested_form=form,
        status=status,
    )
    db.session.add(row)
    db.session.flush()
    return row


@dataclass
class Evidence:
    program_id: int
    event_id: int
    line_id: int


def evidence(  # type: ignore[no-untyped-def]
    world,
    budget: int | None = 50_000_000,
    cost: int = 1_000_000,
    code: str | None = "RPK-01",
) -> Evidence:
    """Dictionary entries, a program for M.03, an event this year, the OPD's budget line, and
    accepted needs of both staff members (M.03 classical) and one of the head (M.05 mentoring)."""
    from app.needs.services import seed_dictionary

    seed_dictionary(world.a.id)
    program_id = event_id = 0
    if code is not None:  # code None: no catalogue program
        program = make_program(world.a.id, code=code, cost=cost)
        program_id, event_id = program.id, make_event(program, start=date(year(), 6, 2)).id
    opd = db.session.get(OrgUnit, world.opd.id)
    line_id = make_budget(opd, budget, year()).id if budget is not None else 0
    need(world.staff.id)
    need(world.staff2.id)
    need(world.head.id, "M.05", DevelopmentForm.MENTORING)
    db.session.commit()
    return Evidence(program_id, event_id, line_id)
