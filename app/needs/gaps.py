"""What other features read from the gaps of the needs analysis, in set-based queries.

Mentoring matches a mentee's `top_gaps` with mentors who meet the standard (`standard_met`)
and shows how mentees' gaps changed between cycles (`mean_positive_gaps`); talent joins the JPM of
the latest analysed cycle into its potential (`with_jpm`). Features above needs call these
instead of querying `CompetencyGap` or `EmployeeMatch` themselves.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from typing import Any

from sqlalchemy import Select, and_, case, func, or_, select
from sqlalchemy.orm import aliased

from app.extensions import db
from app.needs.models import CompetencyGap, DevelopmentNeed, EmployeeMatch, NeedStatus
from app.org.models import Employee

ID_CHUNK = 5_000  # ids per IN (…) list, well under every database's parameter limit


def _chunks(ids: Sequence[int]) -> Iterable[list[int]]:
    unique = sorted({int(i) for i in ids})
    for start in range(0, len(unique), ID_CHUNK):
        yield unique[start : start + ID_CHUNK]


def _latest_cycle(employee_ids: list[int], cycle_year: int | None) -> Any:
    """Subquery (employee_id, year): the given cycle, or each employee's latest one."""
    query = select(
        CompetencyGap.employee_id, func.max(CompetencyGap.cycle_year).label("year")
    ).where(CompetencyGap.employee_id.in_(employee_ids))
    if cycle_year is not None:
        query = query.where(CompetencyGap.cycle_year == cycle_year)
    return query.group_by(CompetencyGap.employee_id).subquery()


def top_gaps(
    employee_ids: list[int], cycle_year: int | None = None, limit: int = 3
) -> dict[int, list[tuple[str, float]]]:
    """Each employee's largest positive gaps as (competency code, gap), largest first, in
    `cycle_year` or, without one, each employee's latest cycle.

    One query per 5,000 employees; employees without a gap map to an empty list.
    """
    result: dict[int, list[tuple[str, float]]] = {int(i): [] for i in employee_ids}
    if limit <= 0:
        return result
    g = CompetencyGap
    for chunk in _chunks(employee_ids):
        query = select(
            g.employee_id,
            g.competency_code,
            g.gap,
            func.row_number()
            .over(
                partition_by=g.employee_id,
                order_by=(g.gap.desc(), g.priority.desc().nulls_last(), g.competency_code),
            )
            .label("rank"),
        ).where(g.employee_id.in_(chunk), g.gap > 0)
        if cycle_year is None:
            latest = _latest_cycle(chunk, None)
            query = query.join(
                latest, and_(latest.c.employee_id == g.employee_id, latest.c.year == g.cycle_year)
            )
        else:
            query = query.where(g.cycle_year == cycle_year)
        ranked = query.subquery()
        rows = db.session.execute(
            select(ranked.c.employee_id, ranked.c.competency_code, ranked.c.gap)
            .where(ranked.c.rank <= limit)
            .order_by(ranked.c.employee_id, ranked.c.rank)
        )
        for employee_id, code, gap in rows:
            result[int(employee_id)].append((code, float(gap)))
    return result


STRENGTH_MARGIN = 1.0  # current ≥ required + 1 is a strength
STRENGTH_LEVEL = 4.0  # so is any current level of 4 or more


def strengths(employee_ids: list[int], cycle_year: int) -> dict[int, list[str]]:
    """Competency codes where an employee is at least one level above the standard or ≥ 4."""
    result: dict[int, list[str]] = {int(i): [] for i in employee_ids}
    g = CompetencyGap
    for chunk in _chunks(employee_ids):
        rows = db.session.execute(
            select(g.employee_id, g.competency_code)
            .where(
                g.employee_id.in_(chunk),
                g.cycle_year == cycle_year,
                g.current_level.is_not(None),
                or_(
                    g.current_level >= STRENGTH_LEVEL,
                    and_(
                        g.required_level.is_not(None),
                        g.current_level >= g.required_level + STRENGTH_MARGIN,
                    ),
                ),
            )
            .order_by(g.employee_id, g.current_level.desc(), g.competency_code)
        )
        for employee_id, code in rows:
            result[int(employee_id)].append(code)
    return result


def standard_met(
    employee_ids: list[int], cycle_year: int | None = None, codes: Iterable[str] | None = None
) -> dict[int, set[str]]:
    """Competencies where each employee meets the standard (gap ≤ 0), or is rated 4+ without
    one, in `cycle_year` or each employee's latest cycle; employees with none are left out."""
    result: dict[int, set[str]] = {}
    g = CompetencyGap
    for chunk in _chunks(employee_ids):
        latest = _latest_cycle(chunk, cycle_year)
        query = (
            select(g.employee_id, g.competency_code)
            .join(
                latest, and_(latest.c.employee_id == g.employee_id, latest.c.year == g.cycle_year)
            )
            .where(
                g.current_level.is_not(None),
                or_(
                    and_(g.gap.is_not(None), g.gap <= 0),
                    and_(g.required_level.is_(None), g.current_level >= STRENGTH_LEVEL),
                ),
            )
        )
        if codes is not None:
            query = query.where(g.competency_code.in_(list(codes)))
        for employee_id, code in db.session.execute(query):
            result.setdefault(employee_id, set()).add(code)
    return result


def gap_cycles(employees: Select[*tuple[Any, ...]], limit: int) -> list[int]:
    """The latest `limit` cycles in which any of `employees` (a select of ids) has a gap."""
    return list(
        db.session.scalars(
            select(CompetencyGap.cycle_year)
            .where(CompetencyGap.employee_id.in_(employees))
            .group_by(CompetencyGap.cycle_year)
            .order_by(CompetencyGap.cycle_year.desc())
            .limit(limit)
        )
    )


def mean_positive_gaps(
    employees: Select[*tuple[Any, ...]], years: Sequence[int]
) -> list[tuple[int, str, int, float]]:
    """(employee id, name, cycle, mean of the positive gaps) of `employees` in `years`, one
    query; a competency met counts as a gap of 0."""
    g = CompetencyGap
    return [
        (int(employee_id), name, int(year), float(average))
        for employee_id, name, year, average in db.session.execute(
            select(
                g.employee_id,
                Employee.name,
                g.cycle_year,
                func.avg(case((g.gap > 0, g.gap), else_=0.0)),
            )
            .join(Employee, g.employee_id == Employee.id)
            .where(g.employee_id.in_(employees), g.cycle_year.in_(years), g.gap.is_not(None))
            .group_by(g.employee_id, Employee.name, g.cycle_year)
        )
    ]


def with_jpm(
    query: Select[*tuple[Any, ...]], instansi_id: int, year: int, employee_id: Any, label: str
) -> Any:
    """`query` plus a column `label`: the JPM of `employee_id` (a column) in the instansi's
    latest analysed cycle up to `year`, joined by index (for other features' set-based selects)."""
    m = aliased(EmployeeMatch, name=f"{label}_match")
    latest = (
        select(func.max(EmployeeMatch.cycle_year))
        .where(EmployeeMatch.instansi_id == instansi_id, EmployeeMatch.cycle_year <= year)
        .scalar_subquery()
    )
    return query.outerjoin(
        m, and_(m.cycle_year == latest, m.employee_id == employee_id)
    ).add_columns(m.jpm.label(label))


def open_need_counts(employee_ids: list[int], cycle_year: int | None = None) -> dict[int, int]:
    """Development needs not dismissed per employee, in `cycle_year` or each employee's latest
    cycle with needs; one query per 5,000 employees."""
    result: dict[int, int] = {int(i): 0 for i in employee_ids}
    n = DevelopmentNeed
    for chunk in _chunks(employee_ids):
        latest = (
            select(n.employee_id, func.max(n.cycle_year).label("year"))
            .where(n.employee_id.in_(chunk))
            .group_by(n.employee_id)
            .subquery()
        )
        query = select(n.employee_id, func.count()).where(
            n.employee_id.in_(chunk), n.status != NeedStatus.DISMISSED
        )
        if cycle_year is None:
            query = query.join(
                latest, and_(latest.c.employee_id == n.employee_id, latest.c.year == n.cycle_year)
            )
        else:
            query = query.where(n.cycle_year == cycle_year)
        for employee_id, count in db.session.execute(query.group_by(n.employee_id)):
            result[int(employee_id)] = int(count)
    return result
