"""Derived relations: supervisor and unit head come from the position tree, never typed in."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import select

from app.extensions import db
from app.org.models import Employee, OrgUnit, Position, UnitKind


def ancestor_ids(path: str) -> list[int]:
    """Unit ids in a materialised path, root first."""
    return [int(part) for part in path.strip("/").split("/") if part]


def superior_candidates(position: Position | None, unit: OrgUnit) -> list[int]:
    """Positions that supervise a holder of `position`, nearest first.

    The explicit superior comes first; then the heads of the employee's unit and of each unit
    above it, so a vacant post passes the role up the tree.
    """
    candidates: list[int] = []
    if position is not None and position.superior_id is not None:
        candidates.append(position.superior_id)
    unit_ids = list(reversed(ancestor_ids(unit.path)))
    heads = dict(
        db.session.execute(
            select(Position.heads_unit_id, Position.id).where(Position.heads_unit_id.in_(unit_ids))
        ).all()
    )
    for unit_id in unit_ids:
        head = heads.get(unit_id)
        if (
            head is not None
            and (position is None or head != position.id)
            and head not in candidates
        ):
            candidates.append(head)
    return candidates


def supervisor_of(employee: Employee) -> Employee | None:
    """The atasan langsung: the active holder of the nearest filled superior position."""
    candidates = superior_candidates(employee.position, employee.org_unit)
    if not candidates:
        return None
    holders = {
        holder.position_id: holder
        for holder in db.session.scalars(
            select(Employee)
            .where(Employee.position_id.in_(candidates), Employee.active.is_(True))
            .order_by(Employee.id)
        )
    }
    for position_id in candidates:
        holder = holders.get(position_id)
        if holder is not None and holder.id != employee.id:
            return holder
    return None


def unit_head_of(unit: OrgUnit) -> Employee | None:
    """The active holder of the position that heads `unit`."""
    return db.session.scalars(
        select(Employee)
        .join(Position, Employee.position_id == Position.id)
        .where(Position.heads_unit_id == unit.id, Employee.active.is_(True))
        .order_by(Employee.id)
        .limit(1)
    ).first()


def opd_of(unit: OrgUnit) -> OrgUnit:
    """The top-level unit (OPD) that `unit` belongs to."""
    if unit.parent_id is None:
        return unit
    root = db.session.get(OrgUnit, ancestor_ids(unit.path)[0])
    assert root is not None  # the path always starts at an existing root
    return root


def child_path(parent_path: str, unit_id: int) -> str:
    """Materialised path of unit `unit_id` under a parent whose path is `parent_path` ("/" for
    an OPD): every ancestor id and its own, so a subtree is one prefix match."""
    return f"{parent_path}{unit_id}/"


def unit_path(parent: OrgUnit | None, unit_id: int) -> str:
    """Materialised path of a unit placed under `parent`."""
    return child_path(parent.path if parent else "/", unit_id)


def add_unit(instansi_id: int, parent: OrgUnit | None, name: str, kind: UnitKind) -> OrgUnit:
    """The one way to create an org unit: placed under `parent` (an OPD without one), with its
    depth and materialised path set (flushed for its id; the caller commits)."""
    unit = OrgUnit(
        instansi_id=instansi_id,
        parent_id=parent.id if parent else None,
        name=name,
        kind=kind,
        depth=parent.depth + 1 if parent else 0,
    )
    db.session.add(unit)
    db.session.flush()
    unit.path = unit_path(parent, unit.id)
    db.session.flush()
    return unit


@dataclass
class EmployeeContext:
    employee: Employee
    supervisor: Employee | None
    unit_head: Employee | None


def employee_context(employee: Employee) -> EmployeeContext:
    """The employee with the supervisor and unit head derived from the tree."""
    return EmployeeContext(employee, supervisor_of(employee), unit_head_of(employee.org_unit))
