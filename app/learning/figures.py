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
    """JP compliance of employees in scope, grouped under each of `groups` (by path): one query.

    The database sums per unit (a row per unit, whatever the number of employees); each group
    adds up the units of its subtree here, instead of matching every employee's unit path
    against every group in SQL.
    """
    if not groups:
        return []
    totals = _yearly_totals(year)
    jp = func.coalesce(totals.c.jp, 0)
    rows = db.session.execute(
        select(
            OrgUnit.path,
            func.count(Employee.id),
            func.coalesce(func.sum(case((jp >= JP_TARGET_PER_YEAR, 1), else_=0)), 0),
            func.coalesce(func.sum(jp), 0),
        )
        .select_from(Employee)
        .join(OrgUnit, OrgUnit.id == Employee.org_unit_id)
        .outerjoin(totals, totals.c.employee_id == Employee.id)
        .where(scope)
        .group_by(OrgUnit.id, OrgUnit.path)
    ).all()
    result = []
    for g in groups:
        inside = [row for row in rows if str(row[0]).startswith(g.path)]
        summary = JpSummary(
            sum(int(n) for _path, n, _met, _total in inside),
            sum(int(met) for _path, _n, met, _total in inside),
            float(sum(float(total) for _path, _n, _met, total in inside)),
        )
        result.append(UnitJp(g.id, g.name, summary))
    return result


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
