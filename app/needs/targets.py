"""The analysis's second target: the intended position (jabatan tujuan), PP 11/2017 Pasal 206.

An employee's current levels (the blended levels of the latest cycle in `competency_gap`) are
read against the standard of any position in one set-based query (`gaps_against`): for the
intended position, for a succession candidate against a key position, for a career path step.
The recompute adds the needs that only the intended position causes (`needs_from_targets`),
carrying that position's id; a need the current position also causes serves the current one.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import date
from typing import Any

from sqlalchemy import (
    DateTime,
    Float,
    String,
    and_,
    case,
    exists,
    func,
    insert,
    literal,
    null,
    or_,
    select,
    type_coerce,
    update,
)
from sqlalchemy import Integer as SqlInteger
from sqlalchemy.sql.dml import Insert
from sqlalchemy.sql.expression import ColumnElement, FromClause

from app.clock import utcnow
from app.extensions import db
from app.needs.models import (
    Competency,
    CompetencyGap,
    CompetencyKind,
    DevelopmentNeed,
    NeedStatus,
    PositionStandard,
    StandardDefault,
    TargetPosition,
)
from app.org.models import Employee, Position


def reference_date(year: int) -> date:
    """Standards are read as in force at the end of the cycle year."""
    return date(year, 12, 31)


def required_levels(instansi_id: int, year: int) -> tuple[Any, Any]:
    """Explicit standards (position, code) and defaults (type, jenjang) in force in `year`."""
    as_of = reference_date(year)
    ps, comp, sd = PositionStandard.__table__, Competency.__table__, StandardDefault.__table__
    standards = (
        select(ps.c.position_id, comp.c.code, func.max(ps.c.required_level).label("level"))
        .select_from(ps.join(comp, comp.c.id == ps.c.competency_id))
        .where(
            comp.c.instansi_id == instansi_id,
            ps.c.valid_from <= as_of,
            or_(ps.c.valid_to.is_(None), ps.c.valid_to > as_of),
        )
        .group_by(ps.c.position_id, comp.c.code)
        .subquery()
    )
    defaults = (
        select(sd.c.position_type, sd.c.jenjang, func.max(sd.c.required_level).label("level"))
        .where(
            sd.c.instansi_id == instansi_id,
            sd.c.valid_from <= as_of,
            or_(sd.c.valid_to.is_(None), sd.c.valid_to > as_of),
        )
        .group_by(sd.c.position_type, sd.c.jenjang)
        .subquery()
    )
    return standards, defaults


def with_required(
    source: Any, instansi_id: int, year: int, position_id: Any, code: Any, p: Any, comp: Any
) -> tuple[Any, Any]:
    """Join the standards in force to `source` and return (source, required level).

    `p` (position) and `comp` (competency) must already be joined; the required level is the
    position's explicit standard, else the default of its type and jenjang for managerial and
    socio-cultural competencies.
    """
    standards, defaults = required_levels(instansi_id, year)
    required = func.coalesce(
        standards.c.level,
        case((comp.c.kind != CompetencyKind.TECHNICAL.value, defaults.c.level), else_=null()),
    )
    joined = source.outerjoin(
        standards, and_(standards.c.position_id == position_id, standards.c.code == code)
    ).outerjoin(
        defaults,
        and_(
            defaults.c.position_type == type_coerce(p.c.position_type, String),
            defaults.c.jenjang == func.coalesce(type_coerce(p.c.jenjang, String), ""),
        ),
    )
    return joined, required


def _against(instansi_id: int, year: int, pairs: Any) -> Any:
    """(employee_id, position_id, code, required, current, gap) for (employee, position) pairs.

    `pairs` is a selectable with columns employee_id and position_id.
    """
    g, comp, p = CompetencyGap.__table__, Competency.__table__, Position.__table__
    source, required = with_required(
        g.join(pairs, pairs.c.employee_id == g.c.employee_id)
        .join(p, p.c.id == pairs.c.position_id)
        .outerjoin(
            comp, and_(comp.c.instansi_id == instansi_id, comp.c.code == g.c.competency_code)
        ),
        instansi_id,
        year,
        pairs.c.position_id,
        g.c.competency_code,
        p,
        comp,
    )
    return (
        select(
            g.c.employee_id,
            pairs.c.position_id,
            g.c.competency_code.label("code"),
            type_coerce(required, Float).label("required"),
            g.c.current_level.label("current"),
            (type_coerce(required, Float) - g.c.current_level).label("gap"),
        )
        .select_from(source)
        .where(
            g.c.instansi_id == instansi_id,
            g.c.cycle_year == year,
            g.c.current_level.is_not(None),
            required.is_not(None),
        )
    )


@dataclass(frozen=True)
class TargetGapLine:
    employee_id: int
    position_id: int
    code: str
    required: float
    current: float
    gap: float


def latest_year(employee_ids: Iterable[int], year: int) -> int | None:
    """The latest analysed cycle up to `year` in which these employees have levels."""
    ids = list(employee_ids)
    if not ids:
        return None
    return db.session.scalar(
        select(func.max(CompetencyGap.cycle_year)).where(
            CompetencyGap.employee_id.in_(ids), CompetencyGap.cycle_year <= year
        )
    )


def _lines(query: Any) -> dict[int, list[TargetGapLine]]:
    result: dict[int, list[TargetGapLine]] = {}
    for row in db.session.execute(query):
        line = TargetGapLine(
            int(row.employee_id),
            int(row.position_id),
            row.code,
            float(row.required),
            float(row.current),
            float(row.gap),
        )
        result.setdefault(line.employee_id, []).append(line)
    for lines in result.values():
        lines.sort(key=lambda line: (-line.gap, line.code))
    return result


def gaps_for_position(
    instansi_id: int, year: int, employee_ids: Iterable[int], position_id: int
) -> dict[int, list[TargetGapLine]]:
    """employee → their levels of `year` against one position's standard (one statement)."""
    ids = sorted({int(i) for i in employee_ids})
    if not ids:
        return {}
    e = Employee.__table__
    pairs = select(
        e.c.id.label("employee_id"), literal(position_id, SqlInteger).label("position_id")
    ).where(e.c.id.in_(ids))
    return _lines(_against(instansi_id, year, pairs.subquery("pairs")))


def target_gaps(
    instansi_id: int, year: int, employee_ids: Iterable[int]
) -> dict[int, list[TargetGapLine]]:
    """employee → their levels against their intended position's standard (one statement)."""
    ids = sorted({int(i) for i in employee_ids})
    if not ids:
        return {}
    t = TargetPosition.__table__
    pairs = select(t.c.employee_id, t.c.position_id).where(t.c.employee_id.in_(ids))
    return _lines(_against(instansi_id, year, pairs.subquery("pairs")))


def target_of(employee_id: int) -> TargetPosition | None:
    return db.session.scalars(
        select(TargetPosition).where(TargetPosition.employee_id == employee_id)
    ).first()


def targets_of(employee_ids: Iterable[int]) -> dict[int, int]:
    """employee id → intended position id, for those who have one."""
    ids = list(employee_ids)
    if not ids:
        return {}
    return dict(
        db.session.execute(
            select(TargetPosition.employee_id, TargetPosition.position_id).where(
                TargetPosition.employee_id.in_(ids)
            )
        ).all()
    )


def set_target(
    instansi_id: int, employee_id: int, position_id: int | None, user_id: int, reason: str = ""
) -> TargetPosition | None:
    """Set or clear the intended position; joins the caller's transaction (it commits)."""
    current = target_of(employee_id)
    if position_id is None:
        if current is not None:
            db.session.delete(current)
        return None
    if current is None:
        current = TargetPosition(instansi_id=instansi_id, employee_id=employee_id)
        db.session.add(current)
    current.position_id, current.set_by_id, current.set_at = position_id, user_id, utcnow()
    current.reason = reason.strip()[:2000]
    db.session.flush()
    return current


def employee_needs(employee_id: int, year: int) -> list[DevelopmentNeed]:
    """An employee's development needs of a cycle that are not dismissed, largest gap first."""
    return list(
        db.session.scalars(
            select(DevelopmentNeed)
            .where(
                DevelopmentNeed.employee_id == employee_id,
                DevelopmentNeed.cycle_year == year,
                DevelopmentNeed.status != NeedStatus.DISMISSED,
            )
            .order_by(DevelopmentNeed.gap.desc(), DevelopmentNeed.competency_code)
        )
    )


def needs_from_targets(
    execute: Callable[[Any], Any],
    instansi_id: int,
    year: int,
    threshold: float,
    form_for: Callable[[Any, Any], Any],
    now: Any,
) -> None:
    """Needs the intended position causes, in two statements (run after the current needs).

    A target need whose competency the current position now also lacks serves the current
    position from now on; a gap against the target where no need exists yet adds a proposed
    need carrying the target position's id (proposed ones are re-derived by every recompute).
    """
    n, g, comp = DevelopmentNeed.__table__, CompetencyGap.__table__, Competency.__table__
    t = TargetPosition.__table__
    mine = and_(n.c.instansi_id == instansi_id, n.c.cycle_year == year)
    execute(
        update(n)
        .where(
            mine,
            n.c.target_position_id.is_not(None),
            exists(
                select(g.c.id).where(
                    g.c.cycle_year == n.c.cycle_year,
                    g.c.employee_id == n.c.employee_id,
                    g.c.competency_code == n.c.competency_code,
                    g.c.gap >= threshold,
                )
            ),
        )
        .values(target_position_id=None, updated_at=now)
    )
    pairs = select(t.c.employee_id, t.c.position_id).where(t.c.instansi_id == instansi_id)
    gaps = _against(instansi_id, year, pairs.subquery()).subquery("target_gaps")
    has_need = exists(
        select(n.c.id).where(
            n.c.cycle_year == year,
            n.c.employee_id == gaps.c.employee_id,
            n.c.competency_code == gaps.c.code,
        )
    )
    execute(
        insert_proposed_needs(
            {
                "instansi_id": literal(instansi_id, SqlInteger),
                "cycle_year": literal(year, SqlInteger),
                "employee_id": gaps.c.employee_id,
                "competency_code": gaps.c.code,
                "gap": gaps.c.gap,
                "suggested_form": form_for(comp.c.kind, gaps.c.gap),
                "target_position_id": gaps.c.position_id,
            },
            now,
            gaps.outerjoin(
                comp, and_(comp.c.instansi_id == instansi_id, comp.c.code == gaps.c.code)
            ),
            gaps.c.gap >= threshold,
            ~has_need,
        )
    )


def insert_proposed_needs(
    values: dict[str, Any], now: Any, source: FromClause, *where: ColumnElement[bool]
) -> Insert:
    """INSERT … SELECT of the needs the analysis proposes: one per row of `source` meeting `where`.

    `values` maps need columns to what the rows give; every such need starts proposed, without a
    note, created and updated at `now` (the recompute re-derives proposed needs every time).
    """
    columns = {
        **values,
        "status": literal(NeedStatus.PROPOSED.value),
        "note": literal(""),
        "created_at": literal(now, DateTime(timezone=True)),
        "updated_at": literal(now, DateTime(timezone=True)),
    }
    query = select(*columns.values()).select_from(source).where(*where)
    return insert(DevelopmentNeed).from_select(list(columns), query)


def standard_levels(
    instansi_id: int, year: int, position_ids: Iterable[int]
) -> dict[int, dict[str, int]]:
    """position → competency code → required level in force (explicit standards, then the
    managerial and socio-cultural defaults of its type and jenjang); two statements."""
    ids = sorted({int(i) for i in position_ids})
    result: dict[int, dict[str, int]] = {i: {} for i in ids}
    if not ids:
        return result
    standards, defaults = required_levels(instansi_id, year)
    p, comp = Position.__table__, Competency.__table__
    for position_id, code, level in db.session.execute(
        select(standards.c.position_id, standards.c.code, standards.c.level).where(
            standards.c.position_id.in_(ids)
        )
    ):
        result[position_id][code] = int(level)
    core = (
        select(comp.c.code)
        .where(
            comp.c.instansi_id == instansi_id,
            comp.c.kind != CompetencyKind.TECHNICAL.value,
            comp.c.active.is_(True),
        )
        .subquery()
    )
    rows = db.session.execute(
        select(p.c.id, core.c.code, defaults.c.level)
        .select_from(
            p.join(
                defaults,
                and_(
                    defaults.c.position_type == type_coerce(p.c.position_type, String),
                    defaults.c.jenjang == func.coalesce(type_coerce(p.c.jenjang, String), ""),
                ),
            ).join(core, literal(True))
        )
        .where(p.c.id.in_(ids))
    )
    for position_id, code, level in rows:
        result[position_id].setdefault(code, int(level))
    return result
