"""Roles derived from the position tree plus granted roles, and the rules that use them.

Rules are plain functions over a `Principal`, and scopes are SQL conditions, so lists are
filtered in the database and single objects are checked with the same rule.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass, field

from sqlalchemy import ColumnElement, Select, and_, exists, false, or_, select, true

from app.accounts.models import Role, User
from app.extensions import db
from app.org.models import Employee, OrgUnit, Position


class Action(enum.StrEnum):
    VIEW = "view"
    EDIT = "edit"


@dataclass(frozen=True)
class Principal:
    """What the rules need to know about the signed-in user, computed once per request."""

    user_id: int | None = None
    roles: frozenset[Role] = frozenset()
    employee_id: int | None = None
    position_id: int | None = None
    instansi_id: int | None = None
    hr_instansi_ids: frozenset[int] = frozenset()
    headed_unit_path: str | None = None
    headed_unit_id: int | None = None
    granted: frozenset[Role] = field(default_factory=frozenset)

    @property
    def is_authenticated(self) -> bool:
        return self.user_id is not None

    def has(self, *roles: Role) -> bool:
        return bool(self.roles.intersection(roles))


ANONYMOUS = Principal()


def principal_for(user: User) -> Principal:
    """Effective roles: granted ones, plus employee, supervisor and unit head from the tree."""
    granted = frozenset(grant.role for grant in user.grants)
    roles = set(granted)
    hr_instansi = frozenset(
        grant.instansi_id
        for grant in user.grants
        if grant.role == Role.HR_ADMIN and grant.instansi_id is not None
    )
    employee = user.employee
    position_id = headed_unit_id = None
    headed_path = None
    if employee is not None and employee.active:
        roles.add(Role.EMPLOYEE)
        position = employee.position
        if position is not None:
            position_id = position.id
            if position.heads_unit_id is not None:
                head_unit = db.session.get(OrgUnit, position.heads_unit_id)
                if head_unit is not None:
                    headed_unit_id, headed_path = head_unit.id, head_unit.path
                    roles.add(Role.SUPERVISOR)
                    if head_unit.parent_id is None:
                        roles.add(Role.UNIT_HEAD)
            if Role.SUPERVISOR not in roles and db.session.scalar(
                select(exists().where(Position.superior_id == position.id))
            ):
                roles.add(Role.SUPERVISOR)
    return Principal(
        user_id=user.id,
        roles=frozenset(roles),
        employee_id=employee.id if employee is not None else None,
        position_id=position_id,
        instansi_id=user.instansi_id or (employee.instansi_id if employee else None),
        hr_instansi_ids=hr_instansi,
        headed_unit_path=headed_path,
        headed_unit_id=headed_unit_id,
        granted=granted,
    )


def employee_scope(principal: Principal) -> ColumnElement[bool]:
    """Employees the principal may see: self, subordinates, own OPD subtree, HR's instansi."""
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(Employee.instansi_id.in_(principal.hr_instansi_ids))
    if principal.headed_unit_path:
        conditions.append(
            Employee.org_unit_id.in_(
                select(OrgUnit.id).where(OrgUnit.path.startswith(principal.headed_unit_path))
            )
        )
    if principal.position_id is not None:
        conditions.append(Employee.position_id.in_(team_position_ids(principal.position_id)))
    if principal.employee_id is not None:
        conditions.append(Employee.id == principal.employee_id)
    return or_(*conditions) if conditions else false()


def team_position_ids(position_id: int) -> Select[tuple[int]]:
    """Positions below one in the position tree, direct and indirect (a recursive CTE; UNION
    rather than UNION ALL, so a cycle in bad data ends instead of looping)."""
    tree = (
        select(Position.id)
        .where(Position.superior_id == position_id)
        .cte(f"team_{position_id}", recursive=True)
    )
    tree = tree.union(select(Position.id).where(Position.superior_id == tree.c.id))
    return select(tree.c.id)


def in_team(principal: Principal, employee: Employee) -> bool:
    """Whether an employee's position lies below the principal's in the position tree."""
    if principal.position_id is None or employee.position_id is None:
        return False
    team = team_position_ids(principal.position_id).subquery()
    found = db.session.scalar(select(team.c.id).where(team.c.id == employee.position_id).limit(1))
    return found is not None


def team_scope(principal: Principal) -> ColumnElement[bool]:
    """A supervisor's team: direct and indirect reports by the position tree and, for a head,
    everyone in the headed subtree; never the supervisor themself."""
    conditions: list[ColumnElement[bool]] = []
    if principal.position_id is not None:
        conditions.append(Employee.position_id.in_(team_position_ids(principal.position_id)))
    if principal.headed_unit_path:
        conditions.append(
            Employee.org_unit_id.in_(
                select(OrgUnit.id).where(OrgUnit.path.startswith(principal.headed_unit_path))
            )
        )
    if not conditions:
        return false()
    return and_(or_(*conditions), Employee.id != (principal.employee_id or 0))


def in_team_scope(principal: Principal, employee: Employee) -> bool:
    """The same rule as team_scope, for one employee already loaded."""
    if employee.id == principal.employee_id:
        return False
    if principal.headed_unit_path and employee.org_unit.path.startswith(principal.headed_unit_path):
        return True
    return in_team(principal, employee)


def unit_scope(principal: Principal) -> ColumnElement[bool]:
    """Units the principal may browse: HR's instansi, or the subtree the principal heads."""
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(OrgUnit.instansi_id.in_(principal.hr_instansi_ids))
    if principal.headed_unit_path:
        conditions.append(OrgUnit.path.startswith(principal.headed_unit_path))
    return or_(*conditions) if conditions else false()


def can_manage_instansi(principal: Principal, instansi_id: int) -> bool:
    """HR administrators manage people and units of their own instansi; sysadmins of all."""
    return principal.has(Role.SYSADMIN) or instansi_id in principal.hr_instansi_ids


def can_view_employee(principal: Principal, employee: Employee) -> bool:
    """The same rule as employee_scope, for one object already loaded."""
    if principal.has(Role.SYSADMIN) or employee.instansi_id in principal.hr_instansi_ids:
        return True
    if principal.employee_id == employee.id:
        return True
    if principal.position_id is not None and employee.position is not None:
        if employee.position.superior_id == principal.position_id:
            return True
        if employee.position.superior_id is not None and in_team(principal, employee):
            return True
    if principal.headed_unit_path and employee.org_unit.path.startswith(principal.headed_unit_path):
        return True
    return False


def can_edit_employee(principal: Principal, employee: Employee) -> bool:
    """Only HR of the employee's instansi (or a sysadmin) changes master data."""
    return can_manage_instansi(principal, employee.instansi_id)


def can_view_unit(principal: Principal, unit: OrgUnit) -> bool:
    if principal.has(Role.SYSADMIN) or unit.instansi_id in principal.hr_instansi_ids:
        return True
    return bool(principal.headed_unit_path and unit.path.startswith(principal.headed_unit_path))


def can_manage_users(principal: Principal) -> bool:
    """Sysadmins manage all accounts; HR administrators the accounts of their instansi."""
    return principal.has(Role.SYSADMIN, Role.HR_ADMIN)
