"""Intended positions (jabatan tujuan) and career paths as data.

The intended position is the needs analysis's second target (`app.needs.targets`): its gap is
scored next to the current one, and needs it alone causes carry its id. Career paths are rows
"position A leads to position B" within a rumpun; the competencies to close are where B's
standard is above A's.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.access.policy import Principal, can_manage_instansi
from app.errors import ServiceError
from app.extensions import db
from app.needs import targets
from app.org.models import Employee, Position
from app.talent import audit
from app.talent.models import CareerPath


class NotAllowed(ServiceError):
    status = 403


def can_set_target(principal: Principal, employee: Employee) -> bool:
    """The employee themself or HR of the employee's instansi."""
    return principal.employee_id == employee.id or can_manage_instansi(
        principal, employee.instansi_id
    )


def set_intended_position(
    principal: Principal, employee: Employee, position_id: int | None, user_id: int, reason: str
) -> None:
    if not can_set_target(principal, employee):
        raise NotAllowed(_l("Only the employee or HR sets the intended position."))
    if position_id is not None:
        position = db.session.get(Position, position_id)
        if position is None or position.instansi_id != employee.instansi_id:
            raise ServiceError(_l("Choose a position of the employee's instansi."), "position_id")
        if position.id == employee.position_id:
            raise ServiceError(
                _l("The intended position must differ from the current one."), "position_id"
            )
    before = targets.target_of(employee.id)
    before_id = before.position_id if before else None
    row = targets.set_target(employee.instansi_id, employee.id, position_id, user_id, reason)
    audit.record(
        employee.instansi_id,
        "target",
        row.id if row is not None else (before.id if before else 0),
        "set" if position_id else "clear",
        f"position {before_id or '-'} ⇒ {position_id or '-'}; {reason.strip()[:200]}",
        user_id,
        employee.id,
    )
    db.session.commit()


@dataclass
class GapView:
    year: int | None
    current: list[targets.TargetGapLine] = field(default_factory=list)
    target: list[targets.TargetGapLine] = field(default_factory=list)
    target_position: Position | None = None


def gap_view(employee: Employee, year: int) -> GapView:
    """The employee's gaps against the current and the intended position, same cycle."""
    target = targets.target_of(employee.id)
    cycle = targets.latest_year([employee.id], year)
    view = GapView(
        cycle, target_position=db.session.get(Position, target.position_id) if target else None
    )
    if cycle is None:
        return view
    if employee.position_id is not None:
        view.current = targets.gaps_for_position(
            employee.instansi_id, cycle, [employee.id], employee.position_id
        ).get(employee.id, [])
    if target is not None:
        view.target = targets.target_gaps(employee.instansi_id, cycle, [employee.id]).get(
            employee.id, []
        )
    return view


def paths(instansi_id: int) -> list[CareerPath]:
    return list(
        db.session.scalars(
            select(CareerPath)
            .where(CareerPath.instansi_id == instansi_id)
            .order_by(CareerPath.rumpun, CareerPath.id)
        )
    )


def next_steps(employee: Employee) -> list[CareerPath]:
    if employee.position_id is None:
        return []
    return list(
        db.session.scalars(
            select(CareerPath).where(CareerPath.from_position_id == employee.position_id)
        )
    )


@dataclass(frozen=True)
class PathLine:
    path: CareerPath
    to_close: list[tuple[str, int, int]]  # code, level at A, level at B


def path_lines(instansi_id: int, year: int, rows: list[CareerPath]) -> list[PathLine]:
    """Each step with the competencies whose standard rises from A to B (two statements)."""
    ids = {r.from_position_id for r in rows} | {r.to_position_id for r in rows}
    levels = targets.standard_levels(instansi_id, year, ids)
    lines = []
    for row in rows:
        a, b = levels.get(row.from_position_id, {}), levels.get(row.to_position_id, {})
        rises = sorted(
            (code, a.get(code, 0), level) for code, level in b.items() if level > a.get(code, 0)
        )
        lines.append(PathLine(row, rises))
    return lines


def add_path(
    instansi_id: int,
    from_id: int,
    to_id: int,
    rumpun: str,
    min_years: int,
    note: str,
    user_id: int,
) -> CareerPath:
    positions = {
        p.id: p
        for p in db.session.scalars(select(Position).where(Position.id.in_([from_id, to_id])))
    }
    if any(
        positions.get(i) is None or positions[i].instansi_id != instansi_id
        for i in (from_id, to_id)
    ):
        raise ServiceError(_l("Choose positions of this instansi."), "from_position_id")
    if from_id == to_id:
        raise ServiceError(_l("A path leads to another position."), "to_position_id")
    exists = db.session.scalars(
        select(CareerPath).where(
            CareerPath.from_position_id == from_id, CareerPath.to_position_id == to_id
        )
    ).first()
    if exists is not None:
        raise ServiceError(_l("This step is already a career path."), "to_position_id")
    if not 0 <= min_years <= 40:
        raise ServiceError(_l("Between 0 and 40 years."), "min_years_in_grade")
    row = CareerPath(
        instansi_id=instansi_id,
        from_position_id=from_id,
        to_position_id=to_id,
        rumpun=rumpun.strip()[:120],
        min_years_in_grade=min_years,
        note=note.strip()[:2000],
    )
    db.session.add(row)
    db.session.flush()
    audit.record(instansi_id, "career_path", row.id, "add", f"{from_id} → {to_id}", user_id)
    db.session.commit()
    return row


def remove_path(row: CareerPath, user_id: int) -> None:
    audit.record(
        row.instansi_id,
        "career_path",
        row.id,
        "remove",
        f"{row.from_position_id} → {row.to_position_id}",
        user_id,
    )
    db.session.delete(row)
    db.session.commit()
