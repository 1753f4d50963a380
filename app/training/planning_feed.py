"""Read services for the development plan (app/planning): the catalogue with its competencies,
the units' budget lines and the events of a year. Plain values, a fixed number of queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from app.extensions import db
from app.org.models import OrgUnit
from app.training.models import (
    BudgetLine,
    EventStatus,
    ProgramCompetency,
    TrainingEvent,
    TrainingProgram,
)


@dataclass(frozen=True)
class Offer:
    """A catalogue program and the competencies (code → target level) it develops."""

    program_id: int
    code: str
    title: str
    form: str
    path: str
    jp: float
    provider_kind: str
    provider_name: str
    cost: int
    levels: dict[str, int]


def catalogue_offers(instansi_id: int) -> list[Offer]:
    """Active programs of the instansi's catalogue (two queries)."""
    programs = list(
        db.session.execute(
            select(
                TrainingProgram.id,
                TrainingProgram.code,
                TrainingProgram.title,
                TrainingProgram.form,
                TrainingProgram.path,
                TrainingProgram.jp,
                TrainingProgram.provider_kind,
                TrainingProgram.provider_name,
                TrainingProgram.cost_per_participant,
            )
            .where(TrainingProgram.instansi_id == instansi_id, TrainingProgram.active.is_(True))
            .order_by(TrainingProgram.code)
        )
    )
    levels: dict[int, dict[str, int]] = {int(p[0]): {} for p in programs}
    if programs:
        for program_id, code, level in db.session.execute(
            select(
                ProgramCompetency.program_id,
                ProgramCompetency.competency_code,
                ProgramCompetency.target_level,
            ).where(ProgramCompetency.program_id.in_(list(levels)))
        ):
            levels[int(program_id)][code] = int(level)
    return [
        Offer(
            int(pid),
            code,
            title,
            form.value,
            path.value,
            float(jp),
            kind.value,
            name,
            int(cost or 0),
            levels[int(pid)],
        )
        for pid, code, title, form, path, jp, kind, name, cost in programs
    ]


@dataclass(frozen=True)
class UnitBudget:
    line_id: int
    org_unit_id: int
    unit_name: str
    unit_path: str
    code: str
    name: str
    source: str
    amount: int
    committed: int


def budget_lines_for(instansi_id: int, year: int) -> list[UnitBudget]:
    """The units' training budget lines (pagu) of a year, with what approvals committed."""
    return [
        UnitBudget(int(a), int(b), c, d, e or "", f, g.value, int(h), int(i or 0))
        for a, b, c, d, e, f, g, h, i in db.session.execute(
            select(
                BudgetLine.id,
                BudgetLine.org_unit_id,
                OrgUnit.name,
                OrgUnit.path,
                BudgetLine.code,
                BudgetLine.name,
                BudgetLine.source,
                BudgetLine.amount,
                BudgetLine.committed,
            )
            .join(OrgUnit, OrgUnit.id == BudgetLine.org_unit_id)
            .where(BudgetLine.instansi_id == instansi_id, BudgetLine.year == year)
            .order_by(OrgUnit.name, BudgetLine.id)
        )
    ]


@dataclass(frozen=True)
class EventRow:
    event_id: int
    program_id: int
    program_title: str
    batch_code: str
    start_date: date
    end_date: date
    quota: int
    seats_taken: int


def events_in_year(instansi_id: int, year: int) -> list[EventRow]:
    """Scheduled (not cancelled) events of the instansi's programs starting in `year`."""
    return [
        EventRow(int(a), int(b), c, d, e, f, int(g), int(h))
        for a, b, c, d, e, f, g, h in db.session.execute(
            select(
                TrainingEvent.id,
                TrainingEvent.program_id,
                TrainingProgram.title,
                TrainingEvent.batch_code,
                TrainingEvent.start_date,
                TrainingEvent.end_date,
                TrainingEvent.quota,
                TrainingEvent.seats_taken,
            )
            .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
            .where(
                TrainingProgram.instansi_id == instansi_id,
                TrainingEvent.status != EventStatus.CANCELLED,
                TrainingEvent.start_date >= date(year, 1, 1),
                TrainingEvent.start_date <= date(year, 12, 31),
            )
            .order_by(TrainingEvent.start_date, TrainingEvent.id)
        )
    ]
