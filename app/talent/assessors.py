"""Who assesses whom (pejabat penilai), derived from the position tree, never typed in.

The assessing position of an employee is the nearest superior position (the explicit superior,
then the head of each unit up the tree) that is filled or has an active Plt/Plh today; a Plt or
Plh may set and assess SKP (SE Kepala BKN 1/SE/I/2021). Everything is resolved for a whole batch
of employees with a fixed number of queries.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import ColumnElement, or_, select

from app.extensions import db
from app.org.hierarchy import ancestor_ids
from app.org.models import Employee, OrgUnit, Position
from app.talent.models import AssessorCapacity
from app.training.models import Delegation, DelegationKind
from app.training.policy import Acting


@dataclass(frozen=True)
class Assessor:
    position_id: int
    holder_ids: tuple[int, ...]  # definitive holders and today's delegates


def assessor_positions(employees: Sequence[Employee], day: date) -> dict[int, Assessor | None]:
    """employee id → the assessing position (or None at the top of the tree); three queries."""
    unit_ids = {uid for e in employees for uid in ancestor_ids(e.org_unit.path)}
    heads: dict[int, int] = {}
    if unit_ids:
        heads = {
            unit_id: position_id
            for position_id, unit_id in db.session.execute(
                select(Position.id, Position.heads_unit_id).where(
                    Position.heads_unit_id.in_(unit_ids)
                )
            )
            if unit_id is not None  # always: the query asks for these units
        }
    candidates: dict[int, list[int]] = {}
    for employee in employees:
        position = employee.position
        found: list[int] = []
        if position is not None and position.superior_id is not None:
            found.append(position.superior_id)
        for unit_id in reversed(ancestor_ids(employee.org_unit.path)):
            head = heads.get(unit_id)
            if head is not None and head != employee.position_id and head not in found:
                found.append(head)
        candidates[employee.id] = found
    wanted = {pid for found in candidates.values() for pid in found}
    holders: dict[int, list[int]] = {}
    if wanted:
        for position_id, employee_id in db.session.execute(
            select(Employee.position_id, Employee.id).where(
                Employee.position_id.in_(wanted), Employee.active.is_(True)
            )
        ):
            if position_id is not None:  # always: the query asks for these positions
                holders.setdefault(position_id, []).append(employee_id)
        for position_id, employee_id in db.session.execute(
            select(Delegation.position_id, Delegation.delegate_employee_id).where(
                Delegation.position_id.in_(wanted),
                Delegation.revoked_at.is_(None),
                Delegation.valid_from <= day,
                Delegation.valid_to >= day,
            )
        ):
            holders.setdefault(position_id, []).append(employee_id)
    result: dict[int, Assessor | None] = {}
    for employee in employees:
        result[employee.id] = None
        for position_id in candidates[employee.id]:
            people = [pid for pid in holders.get(position_id, []) if pid != employee.id]
            if people:
                result[employee.id] = Assessor(position_id, tuple(people))
                break
    return result


def capacity_for(acting: Acting, position_id: int) -> AssessorCapacity | None:
    """How the principal acts for `position_id` today, or None when they do not."""
    role = acting.role_for(position_id)
    if role is None:
        return None
    if role.delegation_id is None:
        return AssessorCapacity.DEFINITIVE
    kind = db.session.scalar(select(Delegation.kind).where(Delegation.id == role.delegation_id))
    return AssessorCapacity.PLT if kind == DelegationKind.PLT else AssessorCapacity.PLH


def assessable_employees(acting: Acting, day: date) -> list[Employee]:
    """Employees whose SKP the principal assesses today, definitively or as Plt/Plh."""
    positions = acting.position_ids
    if not positions:
        return []
    conditions: list[ColumnElement[bool]] = [Position.superior_id.in_(positions)]
    conditions += [OrgUnit.path.startswith(path) for path in acting.unit_paths]
    pool = list(
        db.session.scalars(
            select(Employee)
            .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
            .outerjoin(Position, Employee.position_id == Position.id)
            .where(Employee.active.is_(True), or_(*conditions))
            .order_by(OrgUnit.path, Employee.name)
        ).unique()
    )
    if acting.principal.employee_id is not None:
        pool = [e for e in pool if e.id != acting.principal.employee_id]
    assessors = assessor_positions(pool, day)
    return [
        e for e in pool if (a := assessors[e.id]) is not None and a.position_id in set(positions)
    ]
