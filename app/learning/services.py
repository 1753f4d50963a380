"""Crediting JP and reading progress toward the yearly target, set-based."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, func, select

from app.errors import ServiceError
from app.extensions import db
from app.learning.models import JP_TARGET_PER_YEAR, LearningRecord, LearningSource
from app.org.models import Employee


def credit_jp(
    employee_id: int,
    jp: float,
    source: LearningSource,
    source_ref: str,
    activity_date: date,
    title: str,
    certificate_number: str | None = None,
) -> LearningRecord:
    """Add JP to an employee's record in the caller's transaction (the caller commits).

    Crediting the same (source, source_ref) again returns the existing record unchanged.
    """
    if jp <= 0:
        raise ServiceError(_l("JP must be greater than zero."), field="jp")
    existing = db.session.scalar(
        select(LearningRecord).where(
            LearningRecord.source == source, LearningRecord.source_ref == source_ref
        )
    )
    if existing is not None:
        return existing
    record = LearningRecord(
        employee_id=employee_id,
        year=activity_date.year,
        activity_date=activity_date,
        title=title[:200],
        source=source,
        source_ref=source_ref,
        jp=round(jp, 2),
        certificate_number=certificate_number,
    )
    db.session.add(record)
    db.session.flush()
    return record


@dataclass(frozen=True)
class JpProgress:
    employee_id: int
    name: str
    jp: float
    target: int = JP_TARGET_PER_YEAR

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.jp / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.jp >= self.target


def jp_total(employee_id: int, year: int) -> float:
    return float(
        db.session.scalar(
            select(func.coalesce(func.sum(LearningRecord.jp), 0)).where(
                LearningRecord.employee_id == employee_id, LearningRecord.year == year
            )
        )
        or 0
    )


def jp_progress(scope: ColumnElement[bool], year: int, limit: int = 500) -> list[JpProgress]:
    """JP this year for every active employee matching `scope`, lowest first, in one query."""
    totals = (
        select(LearningRecord.employee_id, func.sum(LearningRecord.jp).label("jp"))
        .where(LearningRecord.year == year)
        .group_by(LearningRecord.employee_id)
        .subquery()
    )
    rows = db.session.execute(
        select(Employee.id, Employee.name, func.coalesce(totals.c.jp, 0))
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(scope, Employee.active.is_(True))
        .order_by(func.coalesce(totals.c.jp, 0), Employee.name)
        .limit(limit)
    )
    return [JpProgress(employee_id, name, float(jp)) for employee_id, name, jp in rows]


def records_of(employee_id: int, year: int | None = None) -> list[LearningRecord]:
    query = select(LearningRecord).where(LearningRecord.employee_id == employee_id)
    if year is not None:
        query = query.where(LearningRecord.year == year)
    return list(db.session.scalars(query.order_by(LearningRecord.activity_date.desc())))
