"""The 9-box in SQL: potential × performance for every employee in scope, and last year's box.

One statement builds the placements of a year as a subquery (latest SKP of the year: the annual
one, else the latest quarter; JPM of the latest analysed cycle; HR's inputs); the page then
runs three grouped reads on it (counts per box, movements, one page of people), whatever the
number of employees.
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
)

from app.extensions import db
from app.needs.gaps import jpm_select
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


def _latest_skp(instansi_id: int, year: int) -> Subquery:
    s = SkpRating
    ranked = (
        select(
            s.employee_id,
            s.predikat,
            func.row_number()
            .over(partition_by=s.employee_id, order_by=case(PERIOD_RANK, value=s.period))
            .label("rank"),
        )
        .where(s.instansi_id == instansi_id, s.year == year)
        .subquery()
    )
    return select(ranked.c.employee_id, ranked.c.predikat).where(ranked.c.rank == 1).subquery("skp")


def _latest_input(instansi_id: int, year: int) -> Subquery:
    p = PotentialInput
    ranked = (
        select(
            p.employee_id,
            p.education,
            p.assessment_score,
            p.grade_since,
            func.row_number()
            .over(partition_by=p.employee_id, order_by=p.year.desc())
            .label("rank"),
        )
        .where(p.instansi_id == instansi_id, p.year <= year)
        .subquery()
    )
    return (
        select(
            ranked.c.employee_id,
            ranked.c.education,
            ranked.c.assessment_score,
            ranked.c.grade_since,
        )
        .where(ranked.c.rank == 1)
        .subquery("inputs")
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


def placements(
    settings: TalentSettings, f: BoxFilter, scope: ColumnElement[bool], prefix: str = "p"
) -> Subquery:
    """employee → potential, its category, predikat, performance and box for `f.year`."""
    skp = _latest_skp(f.instansi_id, f.year)
    jpm = jpm_select(f.instansi_id, f.year).subquery("jpm")
    inputs = _latest_input(f.instansi_id, f.year)
    qualification = case(
        {e.value: score for e, score in QUALIFICATION_SCORES.items()},
        value=inputs.c.education,
        else_=None,
    )
    conditions = [Employee.instansi_id == f.instansi_id, Employee.active.is_(True), scope]
    if f.unit_path:
        conditions.append(OrgUnit.path.startswith(f.unit_path))
    if f.position_type:
        conditions.append(Position.position_type == f.position_type)
    if f.jenjang:
        conditions.append(Position.jenjang == f.jenjang)
    base = (
        select(
            Employee.id.label("employee_id"),
            Employee.name.label("name"),
            Employee.nip.label("nip"),
            Employee.org_unit_id.label("org_unit_id"),
            Employee.position_id.label("position_id"),
            OrgUnit.name.label("unit_name"),
            OrgUnit.path.label("unit_path"),
            Position.name.label("position_name"),
            jpm.c.jpm.label("jpm"),
            qualification.label("qualification"),
            inputs.c.assessment_score.label("assessment"),
            inputs.c.grade_since.label("grade_since"),
            _weighted(settings, jpm.c.jpm, qualification, inputs.c.assessment_score).label(
                "potential"
            ),
            skp.c.predikat.label("predikat"),
        )
        .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
        .outerjoin(Position, Employee.position_id == Position.id)
        .outerjoin(skp, skp.c.employee_id == Employee.id)
        .outerjoin(jpm, jpm.c.employee_id == Employee.id)
        .outerjoin(inputs, inputs.c.employee_id == Employee.id)
        .where(*conditions)
        .subquery(f"{prefix}_base")
    )
    potential_cat = potential_sql(base.c.potential, settings.medium_from, settings.high_from)
    performance = performance_sql(base.c.predikat)
    return select(
        base,
        potential_cat.label("potential_cat"),
        performance.label("performance"),
        box_sql(performance, potential_cat).label("box"),
    ).subquery(prefix)


def with_movement(settings: TalentSettings, f: BoxFilter, scope: ColumnElement[bool]) -> Subquery:
    """This year's placements with last year's box next to each (None when not placed)."""
    now = placements(settings, f, scope, "now")
    before = placements(
        settings,
        BoxFilter(f.instansi_id, f.year - 1, None, None, None),
        scope,
        "before",
    )
    return (
        select(now, before.c.box.label("prev_box"))
        .outerjoin(before, before.c.employee_id == now.c.employee_id)
        .subquery("placed")
    )


def box_counts(placed: Subquery) -> dict[int | None, int]:
    """Employees per box; key None counts those not placed (no SKP or no potential yet)."""
    rows = db.session.execute(select(placed.c.box, func.count()).group_by(placed.c.box))
    return {box: count for box, count in rows}


def movement_counts(placed: Subquery) -> list[tuple[int, int, int]]:
    """(last year's box, this year's box, employees) for everyone placed in both years."""
    rows = db.session.execute(
        select(placed.c.prev_box, placed.c.box, func.count())
        .where(placed.c.box.is_not(None), placed.c.prev_box.is_not(None))
        .group_by(placed.c.prev_box, placed.c.box)
        .order_by(placed.c.prev_box, placed.c.box)
    )
    return [(int(a), int(b), int(n)) for a, b, n in rows]


def people(
    placed: Subquery, box: int | None, limit: int, offset: int, pool_only: bool = False
) -> Select[Any]:
    query = select(placed).order_by(
        placed.c.box.desc().nulls_last(), placed.c.potential.desc().nulls_last(), placed.c.name
    )
    if box is not None:
        query = query.where(placed.c.box == box)
    if pool_only:
        query = query.where(placed.c.box.in_(POOL_BOXES))
    return query.limit(limit).offset(offset)
