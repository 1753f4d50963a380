"""Read services for the development plan (app/planning): the catalogue with its competencies,
the units' budget lines and the events of a year. Plain values, a fixed number of queries."""

from __future__ import annotations

from collections.abc import Collection
from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.extensions import db
from app.org.models import OrgUnit
from app.training.models import (
    BudgetCommitment,
    BudgetLine,
    Completion,
    EventStatus,
    Nomination,
    NominationState,
    Participation,
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


@dataclass(frozen=True)
class Realised:
    """What training did for one plan item: approvals, completions, JP, money."""

    nominated: int = 0  # every nomination, whatever its state
    approved: int = 0  # approved (seat and budget committed)
    completed: int = 0  # participants who completed
    jp_credited: float = 0.0  # the program's JP for each completion
    committed: int = 0  # budget committed by approvals
    spent: int = 0  # committed for participants who completed


def realisation_by_item(item_ids: Collection[int]) -> dict[int, Realised]:
    """Nominations that realise the given plan items, grouped per item (one query)."""
    if not item_ids:
        return {}
    approved = Nomination.state == NominationState.APPROVED
    completed = approved & (Participation.completion == Completion.COMPLETED)
    amount = func.coalesce(BudgetCommitment.amount, 0)
    rows = db.session.execute(
        select(
            Nomination.plan_item_id,
            func.count(),
            func.sum(case((approved, 1), else_=0)),
            func.sum(case((completed, 1), else_=0)),
            func.sum(case((completed, TrainingProgram.jp), else_=0)),
            func.sum(case((approved, amount), else_=0)),
            func.sum(case((completed, amount), else_=0)),
        )
        .join(TrainingEvent, TrainingEvent.id == Nomination.event_id)
        .join(TrainingProgram, TrainingProgram.id == TrainingEvent.program_id)
        .outerjoin(Participation, Participation.nomination_id == Nomination.id)
        .outerjoin(BudgetCommitment, BudgetCommitment.nomination_id == Nomination.id)
        .where(Nomination.plan_item_id.in_(list(item_ids)))
        .group_by(Nomination.plan_item_id)
    )
    return {
        int(item_id): Realised(
            int(n), int(a or 0), int(c or 0), float(jp or 0), int(m or 0), int(s or 0)
        )
        for item_id, n, a, c, jp, m, s in rows
    }


def outside_plan_count(instansi_id: int, year: int) -> int:
    """Nominations for the year's events that realise no plan item (allowed, and shown)."""
    return int(
        db.session.scalar(
            select(func.count())
            .select_from(Nomination)
            .join(TrainingEvent, TrainingEvent.id == Nomination.event_id)
            .where(
                Nomination.instansi_id == instansi_id,
                Nomination.plan_item_id.is_(None),
                TrainingEvent.start_date >= date(year, 1, 1),
                TrainingEvent.start_date <= date(year, 12, 31),
            )
        )
        or 0
    )


def linked_event_months(item_ids: Collection[int]) -> dict[int, set[int]]:
    """Months in which a scheduled event chosen for each plan item starts (one query)."""
    found: dict[int, set[int]] = {}
    if not item_ids:
        return found
    for item_id, start in db.session.execute(
        select(TrainingEvent.plan_item_id, TrainingEvent.start_date).where(
            TrainingEvent.plan_item_id.in_(list(item_ids)),
            TrainingEvent.status != EventStatus.CANCELLED,
        )
    ):
        if item_id is not None:  # always: the query asks for these items
            found.setdefault(item_id, set()).add(start.month)
    return found
