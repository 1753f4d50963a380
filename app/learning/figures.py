"""JP figures for monitoring: compliance per unit, the distribution, and credits per month."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, case, extract, func, literal, select

from app.extensions import db
from app.learning.models import JP_TARGET_PER_YEAR, LearningRecord
from app.learning.services import JpSummary, _yearly_totals
from app.org.models import Employee, OrgUnit

# Upper bounds (exclusive) of the JP bins; the last bin is open-ended.
JP_BIN_EDGES: tuple[float, ...] = (1, 5, 10, 15, 20, 30, 40)


def jp_bin_labels() -> list[str]:
    """'0', '1–4', … '40+' for JP_BIN_EDGES."""
    labels = ["0"]
    for low, high in zip(JP_BIN_EDGES, JP_BIN_EDGES[1:], strict=False):
        labels.append(f"{low:g}–{high - 1:g}")
    labels.append(f"{JP_BIN_EDGES[-1]:g}+")
    return labels


def jp_distribution(scope: ColumnElement[bool], year: int) -> list[tuple[str, int]]:
    """Employees in scope per JP bin of `year`: one grouped query."""
    totals = _yearly_totals(year)
    jp = func.coalesce(totals.c.jp, 0)
    bin_of = case(
        *((jp < edge, index) for index, edge in enumerate(JP_BIN_EDGES)),
        else_=literal(len(JP_BIN_EDGES)),
    )
    counts = [0] * (len(JP_BIN_EDGES) + 1)
    rows = db.session.execute(
        select(bin_of, func.count(Employee.id))
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(scope)
        .group_by(bin_of)
    )
    for index, count in rows:
        counts[int(index)] = int(count)
    return list(zip(jp_bin_labels(), counts, strict=True))


@dataclass(frozen=True)
class UnitJp:
    unit_id: int
    unit: str
    summary: JpSummary


def jp_by_unit(scope: ColumnElement[bool], groups: list[OrgUnit], year: int) -> list[UnitJp]:
    """JP compliance of employees in scope, grouped under each of `groups` (by path): one query."""
    if not groups:
        return []
    totals = _yearly_totals(year)
    jp = func.coalesce(totals.c.jp, 0)
    group = select(OrgUnit.id, OrgUnit.path).where(OrgUnit.id.in_([g.id for g in groups]))
    group_sq = group.subquery()
    member = OrgUnit.__table__.alias("member_unit")
    rows = db.session.execute(
        select(
            group_sq.c.id,
            func.count(Employee.id),
            func.coalesce(func.sum(case((jp >= JP_TARGET_PER_YEAR, 1), else_=0)), 0),
            func.coalesce(func.sum(jp), 0),
        )
        .select_from(Employee)
        .join(member, member.c.id == Employee.org_unit_id)
        .join(group_sq, member.c.path.startswith(group_sq.c.path))
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(scope)
        .group_by(group_sq.c.id)
    )
    by_id = {gid: JpSummary(int(n), int(met), float(total)) for gid, n, met, total in rows}
    return [UnitJp(g.id, g.name, by_id.get(g.id, JpSummary(0, 0, 0.0))) for g in groups]


def jp_by_month(scope: ColumnElement[bool], years: tuple[int, ...]) -> dict[int, list[float]]:
    """JP credited to employees in scope per calendar month of each of `years`: one query."""
    month = extract("month", LearningRecord.activity_date)
    result = {y: [0.0] * 12 for y in years}
    rows = db.session.execute(
        select(LearningRecord.year, month, func.sum(LearningRecord.jp))
        .join(Employee, Employee.id == LearningRecord.employee_id)
        .where(scope, LearningRecord.year.in_(years))
        .group_by(LearningRecord.year, month)
    )
    for year, m, jp in rows:
        if int(year) in result:
            result[int(year)][int(m) - 1] = round(float(jp or 0), 2)
    return result
