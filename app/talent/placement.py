"""The 9-box in SQL: potential × performance for every employee in scope, and last year's box.

One select builds the placements of a year as a subquery: one scan of the employees in scope,
each row reading its SKP (annual, else the latest quarter) and JPM (latest analysed cycle) by
index lookups and HR's latest inputs from one grouped pass, for this year and last; the page then runs three grouped reads on
it (counts per box, movements, one page of people), whatever the number of employees.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Float,
    Select,
    Subquery,
    and_,
    case,
    cast,
    func,
    literal,
    null,
    select,
    union_all,
)
from sqlalchemy.orm import aliased

from app.extensions import db
from app.needs.gaps import with_jpm
from app.org.models import Employee, OrgUnit, Position
from app.talent.matrix import POOL_BOXES, box_sql, performance_sql, potential_sql
from app.talent.models import PotentialInput, SkpPeriod, SkpRating, TalentSettings
from app.talent.potential import QUALIFICATION_SCORES

PERIOD_RANK = {SkpPeriod.ANNUAL.value: 0, "tw4": 1, "tw3": 2, "tw2": 3, "tw1": 4}


@dataclass(frozen=True)
class BoxFilter:
    instansi_id: int
    year: int
    unit_path: str | None = None
    position_type: str | None = None
    jenjang: str | None = None


def _quarter_predikat(year: int) -> ColumnElement[Any]:
    """Correlated scalar, read only without an annual SKP: the latest quarter's predikat."""
    s = SkpRating
    return (
        select(s.predikat)
        .where(s.employee_id == Employee.id, s.year == year)
        .order_by(case(PERIOD_RANK, value=s.period))
        .limit(1)
        .scalar_subquery()
    )


def _latest_inputs(year: int, name: str) -> Subquery:
    """Each employee's latest potential inputs up to `year`: one grouped pass over the inputs
    instead of a correlated lookup per employee."""
    p = PotentialInput
    latest = (
        select(p.employee_id, func.max(p.year).label("year"))
        .where(p.year <= year)
        .group_by(p.employee_id)
        .subquery(f"{name}_year")
    )
    return (
        select(p.employee_id, p.education, p.assessment_score, p.grade_since)
        .join(latest, and_(latest.c.employee_id == p.employee_id, latest.c.year == p.year))
        .subquery(name)
    )


def _weighted(
    settings: TalentSettings,
    jpm: ColumnElement[Any],
    qualification: ColumnElement[Any],
    assessment: ColumnElement[Any],
) -> ColumnElement[Any]:
    """Weighted mean of the inputs present; None without JPM and without an assessment."""
    parts = (
        (float(settings.weight_jpm), jpm),
        (float(settings.weight_qualification), qualification),
        (float(settings.weight_assessment), assessment),
    )
    numerator = sum((func.coalesce(value * weight, 0.0) for weight, value in parts), literal(0.0))
    denominator = sum(
        (case((value.is_(None), 0.0), else_=weight) for weight, value in parts), literal(0.0)
    )
    return case(
        (and_(jpm.is_(None), assessment.is_(None)), null()),
        (denominator == 0, null()),
        else_=cast(numerator, Float) / denominator,
    )


def _qualification(education: ColumnElement[Any]) -> ColumnElement[Any]:
    return case(
        {e.value: score for e, score in QUALIFICATION_SCORES.items()},
        value=education,
        else_=None,
    )


def with_movement(settings: TalentSettings, f: BoxFilter, scope: ColumnElement[bool]) -> Subquery:
    """employee → potential, its category, predikat, performance and box for `f.year`, and
    last year's box; one scan of the employees with index lookups per row, no self-join."""
    conditions = [Employee.instansi_id == f.instansi_id, Employee.active.is_(True), scope]
    if f.unit_path:
        conditions.append(OrgUnit.path.startswith(f.unit_path))
    if f.position_type:
        conditions.append(Position.position_type == f.position_type)
    if f.jenjang:
        conditions.append(Position.jenjang == f.jenjang)
    query = select(
        Employee.id.label("employee_id"),
        Employee.name.label("name"),
        Employee.nip.label("nip"),
        Employee.org_unit_id.label("org_unit_id"),
        Employee.position_id.label("position_id"),
    ).where(*conditions)
    # Units and positions are joined only to filter; names are read for the shown rows only.
    if f.unit_path:
        query = query.join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
    if f.position_type or f.jenjang:
        query = query.join(Position, Employee.position_id == Position.id)
    # Each year joins its rows directly by index (annual SKP, JPM of the latest cycle, latest
    # inputs); only an employee without an annual SKP costs one more lookup for the quarters.
    for prefix, year in {"": f.year, "prev_": f.year - 1}.items():
        annual = aliased(SkpRating, name=f"{prefix}annual")
        inputs = _latest_inputs(year, f"{prefix}inputs")
        query = (
            query.outerjoin(
                annual,
                and_(
                    annual.employee_id == Employee.id,
                    annual.year == year,
                    annual.period == SkpPeriod.ANNUAL,
                ),
            )
            .outerjoin(inputs, inputs.c.employee_id == Employee.id)
            .add_columns(
                _qualification(inputs.c.education).label(f"{prefix}qualification"),
                inputs.c.assessment_score.label(f"{prefix}assessment"),
                func.coalesce(annual.predikat, _quarter_predikat(year)).label(f"{prefix}predikat"),
            )
        )
        query = with_jpm(query, f.instansi_id, year, Employee.id, f"{prefix}jpm")
        if not prefix:
            query = query.add_columns(inputs.c.grade_since.label("grade_since"))
    # Materialised once: inlined, every use of a column below would re-run its lookup.
    base = query.cte("base").prefix_with("MATERIALIZED")
    scored: Any = select(
        base,
        _weighted(settings, base.c.jpm, base.c.qualification, base.c.assessment).label("potential"),
        _weighted(
            settings, base.c.prev_jpm, base.c.prev_qualification, base.c.prev_assessment
        ).label("prev_potential"),
    )
    scored = scored.cte("scored").prefix_with("MATERIALIZED")
    potential_cat = potential_sql(scored.c.potential, settings.medium_from, settings.high_from)
    performance = performance_sql(scored.c.predikat)
    prev_cat = potential_sql(scored.c.prev_potential, settings.medium_from, settings.high_from)
    prev_performance = performance_sql(scored.c.prev_predikat)
    return select(
        scored,
        potential_cat.label("potential_cat"),
        performance.label("performance"),
        box_sql(performance, potential_cat).label("box"),
        box_sql(prev_performance, prev_cat).label("prev_box"),
    ).subquery("placed")


def with_names(placed: Subquery) -> Select[Any]:
    """The placements with the unit and position names (join these on few rows only)."""
    return (
        select(placed, OrgUnit.name.label("unit_name"), Position.name.label("position_name"))
        .join(OrgUnit, OrgUnit.id == placed.c.org_unit_id)
        .outerjoin(Position, Position.id == placed.c.position_id)
    )


def people(
    placed: Subquery, box: int | None, limit: int, offset: int, pool_only: bool = False
) -> Select[Any]:
    query = with_names(placed).order_by(
        placed.c.box.desc().nulls_last(), placed.c.potential.desc().nulls_last(), placed.c.name
    )
    if box is not None:
        query = query.where(placed.c.box == box)
    if pool_only:
        query = query.where(placed.c.box.in_(POOL_BOXES))
    return query.limit(limit).offset(offset)


ROW_COLUMNS = (
    "employee_id",
    "name",
    "unit_name",
    "position_name",
    "potential",
    "potential_cat",
    "predikat",
    "box",
    "prev_box",
)


def counts_and_page(
    placed: Subquery, box: int | None, limit: int, offset: int, pool_only: bool = False
) -> tuple[list[tuple[int | None, int | None, int]], list[dict[str, Any]]]:
    """Both reads of the board in one statement, so the placements are computed only once:
    the (last year's box, box) counts and one page of people, as a UNION ALL of the two."""
    page = people(placed, box, limit, offset, pool_only).subquery("page")
    counts = select(
        literal("n").label("kind"),
        func.count().label("n"),
        *[
            (
                placed.c[name] if name in ("box", "prev_box") else cast(null(), page.c[name].type)
            ).label(name)
            for name in ROW_COLUMNS
        ],
    ).group_by(placed.c.prev_box, placed.c.box)
    rows = select(
        literal("row").label("kind"),
        literal(0).label("n"),
        *[page.c[name] for name in ROW_COLUMNS],
    )
    pairs: list[tuple[int | None, int | None, int]] = []
    found: list[dict[str, Any]] = []
    for row in db.session.execute(union_all(counts, select(rows.subquery()))).mappings():
        if row["kind"] == "n":
            pairs.append((row["prev_box"], row["box"], int(row["n"])))
        else:
            found.append({name: row[name] for name in ROW_COLUMNS})
    # A UNION does not keep the page's ORDER BY: sort the (at most `limit`) rows the same way.
    found.sort(
        key=lambda r: (
            r["box"] is None,
            -(r["box"] or 0),
            r["potential"] is None,
            -(r["potential"] or 0),
            r["name"],
        )
    )
    return pairs, found
