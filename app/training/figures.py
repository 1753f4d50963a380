"""Training figures for monitoring: the nominations pipeline, budget use, needs realised."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import ColumnElement, and_, case, func, select, true

from app.clock import utcnow
from app.extensions import db
from app.org.models import Employee, OrgUnit
from app.org.scopes import units_in
from app.training.models import (
    BudgetCommitment,
    BudgetLine,
    Completion,
    Nomination,
    NominationState,
    NominationStep,
    Participation,
    StepStatus,
    TrainingEvent,
    is_current_step,
)
from app.training.policy import Acting, awaiting_decision_by

STALLED_AFTER_DAYS = 7  # an approval step open this long counts as stalled


@dataclass(frozen=True)
class Pipeline:
    """Nominations for events of the year by state, and how long the open steps have waited."""

    by_state: dict[str, int]
    oldest_open: datetime | None
    stalled: int
    completed: int

    @property
    def total(self) -> int:
        return sum(self.by_state.values())


def _event_year(year: int):
    """Events starting in `year`, as a date range (no per-row date function)."""
    return Nomination.event_id.in_(
        select(TrainingEvent.id).where(
            TrainingEvent.start_date >= date(year, 1, 1),
            TrainingEvent.start_date < date(year + 1, 1, 1),
        )
    )


def _nominees_in(unit_path: str | None) -> ColumnElement[bool]:
    """Nominations of employees in the subtree (all of them, without reading employees, when
    there is none: the instansi is already a column of the nomination)."""
    if unit_path is None:
        return true()
    return Nomination.employee_id.in_(
        select(Employee.id).where(units_in(Employee.org_unit_id, unit_path))
    )


def pipeline(instansi_id: int, year: int, unit_path: str | None) -> Pipeline:
    """Three grouped queries: states, open steps' age, completed participations."""
    in_scope = and_(
        Nomination.instansi_id == instansi_id,
        _event_year(year),
        _nominees_in(unit_path),
    )
    by_state = {state.value: 0 for state in NominationState}
    for state, count in db.session.execute(
        select(Nomination.state, func.count()).where(in_scope).group_by(Nomination.state)
    ):
        by_state[str(state)] = int(count)
    cutoff = utcnow() - timedelta(days=STALLED_AFTER_DAYS)
    oldest, stalled = db.session.execute(
        select(
            func.min(NominationStep.opened_at),
            func.coalesce(func.sum(case((NominationStep.opened_at <= cutoff, 1), else_=0)), 0),
        )
        .join(Nomination, is_current_step())
        .where(
            in_scope,
            Nomination.state == NominationState.PENDING,
            NominationStep.status == StepStatus.PENDING,
        )
    ).one()
    completed = (
        db.session.scalar(
            select(func.count())
            .select_from(Participation)
            .join(Nomination, Nomination.id == Participation.nomination_id)
            .where(in_scope, Participation.completion == Completion.COMPLETED)
        )
        or 0
    )
    return Pipeline(by_state, oldest, int(stalled or 0), int(completed))


def needs_realised(instansi_id: int, year: int, unit_path: str | None) -> tuple[int, int]:
    """Development needs of the cycle with an approved nomination, and with a completed one."""
    approved, completed = db.session.execute(
        select(
            func.count(func.distinct(Nomination.need_id)),
            func.count(
                func.distinct(
                    case((Participation.completion == Completion.COMPLETED, Nomination.need_id))
                )
            ),
        )
        .select_from(Nomination)
        .outerjoin(Participation, Participation.nomination_id == Nomination.id)
        .where(
            Nomination.instansi_id == instansi_id,
            Nomination.need_id.is_not(None),
            Nomination.state == NominationState.APPROVED,
            _nominees_in(unit_path),
            _event_year(year),
        )
    ).one()
    return int(approved or 0), int(completed or 0)


@dataclass(frozen=True)
class BudgetUse:
    line_id: int
    unit: str
    code: str
    name: str
    source: str
    amount: int
    committed: int
    realised: int  # committed for participations that completed

    @property
    def remaining(self) -> int:
        return self.amount - self.committed


def budget_use(instansi_id: int, year: int, unit_path: str | None) -> list[BudgetUse]:
    """Every budget line of the year in scope with its committed and realised money: one query."""
    realised = (
        select(
            BudgetCommitment.budget_line_id.label("line_id"),
            func.sum(BudgetCommitment.amount).label("amount"),
        )
        .join(Participation, Participation.nomination_id == BudgetCommitment.nomination_id)
        .where(Participation.completion == Completion.COMPLETED)
        .group_by(BudgetCommitment.budget_line_id)
        .subquery()
    )
    rows = db.session.execute(
        select(
            BudgetLine.id,
            OrgUnit.name,
            BudgetLine.code,
            BudgetLine.name,
            BudgetLine.source,
            BudgetLine.amount,
            BudgetLine.committed,
            func.coalesce(realised.c.amount, 0),
        )
        .join(OrgUnit, OrgUnit.id == BudgetLine.org_unit_id)
        .outerjoin(realised, realised.c.line_id == BudgetLine.id)
        .where(
            BudgetLine.instansi_id == instansi_id,
            BudgetLine.year == year,
            units_in(BudgetLine.org_unit_id, unit_path),
        )
        .order_by(OrgUnit.path, BudgetLine.code)
    )
    return [
        BudgetUse(i, unit, code, name, str(source), int(amount), int(committed), int(spent))
        for i, unit, code, name, source, amount, committed, spent in rows
    ]


def waiting_for(acting: Acting) -> tuple[int, datetime | None]:
    """Approval steps awaiting this person (as themselves or acting), and the oldest one's age."""
    count, oldest = db.session.execute(
        select(func.count(), func.min(NominationStep.opened_at))
        .select_from(Nomination)
        .join(NominationStep, NominationStep.nomination_id == Nomination.id)
        .where(awaiting_decision_by(acting))
    ).one()
    return int(count or 0), oldest


def nominations_of(employee_id: int, year: int) -> dict[str, int]:
    """An employee's nominations for events of `year` by state."""
    rows = db.session.execute(
        select(Nomination.state, func.count())
        .where(Nomination.employee_id == employee_id, _event_year(year))
        .group_by(Nomination.state)
    )
    return {str(state): int(count) for state, count in rows}
