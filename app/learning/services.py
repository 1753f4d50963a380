"""Crediting JP and reading progress toward the yearly target, set-based."""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, case, func, insert, or_, select

from app.clock import local_today
from app.errors import ServiceError
from app.extensions import db
from app.learning.models import JP_TARGET_PER_YEAR, LearningRecord, LearningSource
from app.org.models import Employee, OrgUnit


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


class JpTarget:
    """The share of the yearly JP target reached, for rows carrying `jp` and `target`."""

    jp: float
    target: int

    @property
    def percent(self) -> int:
        return min(100, round(100 * self.jp / self.target)) if self.target else 100

    @property
    def met(self) -> bool:
        return self.jp >= self.target


@dataclass(frozen=True)
class JpProgress(JpTarget):
    employee_id: int
    name: str
    jp: float
    target: int = JP_TARGET_PER_YEAR


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


@dataclass(frozen=True)
class JpRow(JpTarget):
    """One employee's JP this year, for the progress pages of heads and HR."""

    employee_id: int
    name: str
    nip: str
    unit: str
    jp: float
    target: int = JP_TARGET_PER_YEAR


@dataclass(frozen=True)
class JpSummary:
    employees: int
    met: int
    total_jp: float

    @property
    def average(self) -> float:
        return round(self.total_jp / self.employees, 1) if self.employees else 0.0

    @property
    def percent_met(self) -> int:
        return round(100 * self.met / self.employees) if self.employees else 0


def _yearly_totals(year: int):
    return (
        select(LearningRecord.employee_id, func.sum(LearningRecord.jp).label("jp"))
        .where(LearningRecord.year == year)
        .group_by(LearningRecord.employee_id)
        .subquery()
    )


def jp_summary(scope: ColumnElement[bool], year: int) -> JpSummary:
    """Employees in scope, how many reached the target, and their JP: one grouped query."""
    totals = _yearly_totals(year)
    jp = func.coalesce(totals.c.jp, 0)
    employees, met, total = db.session.execute(
        select(
            func.count(Employee.id),
            func.coalesce(func.sum(case((jp >= JP_TARGET_PER_YEAR, 1), else_=0)), 0),
            func.coalesce(func.sum(jp), 0),
        )
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(scope, Employee.active.is_(True))
    ).one()
    return JpSummary(int(employees or 0), int(met or 0), float(total or 0))


def jp_progress_page(
    scope: ColumnElement[bool],
    year: int,
    search: str = "",
    unit_path: str | None = None,
    below_target: bool = False,
    limit: int = 50,
    offset: int = 0,
) -> tuple[list[JpRow], int]:
    """One page of JP per employee in scope (lowest first) and the matching count: two queries."""
    totals = _yearly_totals(year)
    jp = func.coalesce(totals.c.jp, 0)
    conditions = [scope, Employee.active.is_(True)]
    search = search.strip()
    if search:
        digits = "".join(ch for ch in search if ch.isdigit())
        matches = [func.lower(Employee.name).contains(search.lower(), autoescape=True)]
        if len(digits) >= 4:
            matches.append(Employee.nip.startswith(digits))
        conditions.append(or_(*matches))
    if unit_path:
        conditions.append(
            Employee.org_unit_id.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(unit_path)))
        )
    if below_target:
        conditions.append(jp < JP_TARGET_PER_YEAR)
    base = (
        select(Employee.id, Employee.name, Employee.nip, OrgUnit.name, jp)
        .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(*conditions)
    )
    count = db.session.scalar(select(func.count()).select_from(base.subquery())) or 0
    rows = db.session.execute(base.order_by(jp, Employee.name).limit(limit).offset(offset))
    return [JpRow(i, name, nip, unit, float(total)) for i, name, nip, unit, total in rows], count


def record_manual_credit(
    employee: Employee,
    title: str,
    activity_date: date,
    jp: float,
    certificate_number: str | None,
    recorded_by_user_id: int | None,
) -> LearningRecord:
    """HR records a development activity from outside the portal (certificate in hand)."""
    title = " ".join(title.split())
    if not title:
        raise ServiceError(_l("Give the title of the activity."), field="title")
    if jp > 1000:
        raise ServiceError(_l("JP must be at most 1000 for one activity."), field="jp")
    if activity_date > local_today():
        raise ServiceError(_l("The activity date cannot be in the future."), field="activity_date")
    reference = f"manual:{recorded_by_user_id or 0}:{uuid.uuid4().hex[:16]}"
    record = credit_jp(
        employee.id,
        jp,
        LearningSource.MANUAL,
        reference,
        activity_date,
        title,
        (certificate_number or "").strip() or None,
    )
    db.session.commit()
    return record


@dataclass(frozen=True)
class CreditedRecord:
    """A learning record with its employee's NIP, for national exports."""

    record_id: int
    employee_id: int
    nip: str
    title: str
    source: str
    activity_date: date
    jp: float
    certificate_number: str


def records_of_instansi(
    instansi_id: int, year: int | None, sources: tuple[LearningSource, ...]
) -> list[CreditedRecord]:
    """Learning records of an instansi's employees from `sources` (in `year`): one query."""
    query = (
        select(
            LearningRecord.id,
            LearningRecord.employee_id,
            Employee.nip,
            LearningRecord.title,
            LearningRecord.source,
            LearningRecord.activity_date,
            LearningRecord.jp,
            LearningRecord.certificate_number,
        )
        .join(Employee, Employee.id == LearningRecord.employee_id)
        .where(Employee.instansi_id == instansi_id, LearningRecord.source.in_(sources))
        .order_by(LearningRecord.id)
    )
    if year is not None:
        query = query.where(LearningRecord.year == year)
    return [
        CreditedRecord(rid, eid, nip, title, str(source), day, float(jp), certificate or "")
        for rid, eid, nip, title, source, day, jp, certificate in db.session.execute(query)
    ]


@dataclass(frozen=True)
class NewCredit:
    employee_id: int
    jp: float
    source_ref: str
    activity_date: date
    title: str
    certificate_number: str | None = None


def credit_many(source: LearningSource, credits: list[NewCredit]) -> dict[str, int]:
    """Insert many credits in the caller's transaction; their ids by source_ref (two statements).

    The caller checks duplicates first: a (source, source_ref) already credited fails the insert.
    """
    if not credits:
        return {}
    if any(credit.jp <= 0 for credit in credits):
        raise ServiceError(_l("JP must be greater than zero."), field="jp")
    db.session.execute(
        insert(LearningRecord),
        [
            {
                "employee_id": credit.employee_id,
                "year": credit.activity_date.year,
                "activity_date": credit.activity_date,
                "title": credit.title[:200],
                "source": source,
                "source_ref": credit.source_ref,
                "jp": round(credit.jp, 2),
                "certificate_number": credit.certificate_number,
            }
            for credit in credits
        ],
    )
    refs = [credit.source_ref for credit in credits]
    found: dict[str, int] = {}
    for start in range(0, len(refs), 5000):  # bound the IN list for large imports
        chunk = refs[start : start + 5000]
        rows = db.session.execute(
            select(LearningRecord.source_ref, LearningRecord.id).where(
                LearningRecord.source == source, LearningRecord.source_ref.in_(chunk)
            )
        )
        found.update((ref, record_id) for ref, record_id in rows)
    return found


def titles_on_dates(employee_ids: list[int], first: date, last: date) -> set[tuple[int, str, date]]:
    """(employee, lower-cased title, date) of every record in the range, to detect duplicates."""
    found: set[tuple[int, str, date]] = set()
    unique = sorted(set(employee_ids))
    for start in range(0, len(unique), 5000):  # bound the IN list for large imports
        rows = db.session.execute(
            select(
                LearningRecord.employee_id, LearningRecord.title, LearningRecord.activity_date
            ).where(
                LearningRecord.activity_date >= first,
                LearningRecord.activity_date <= last,
                LearningRecord.employee_id.in_(unique[start : start + 5000]),
            )
        )
        found.update((eid, " ".join(title.lower().split()), day) for eid, title, day in rows)
    return found
