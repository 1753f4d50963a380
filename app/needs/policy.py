"""Who sees which part of the needs analysis.

HR administrators see and run the analysis of their instansi, sysadmins of every instansi;
heads of OPD see the analysis of their OPD subtree (read-only); every employee sees their own
gap profile, supervisors those of their direct and indirect reports (the same rule as the
employee pages). Supervisors also see the per-employee lists (employees behind the numbers,
development needs) narrowed to their team by the position tree, read-only; the aggregated
views (ranking, heatmap, instruments, skipped report, export) stay with HR and heads of OPD.
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, SQLColumnExpression, select, true

from app.access.policy import (
    Principal,
    can_manage_instansi,
    can_view_employee,
    in_team_scope,
    team_scope,
)
from app.accounts.models import Role
from app.extensions import db
from app.needs.models import DevelopmentNeed
from app.org.models import Employee, Instansi, OrgUnit


@dataclass(frozen=True)
class Scope:
    """What one analysis page covers: an instansi, a cycle year, maybe only a subtree."""

    instansi_id: int
    year: int
    unit_path: str | None = None  # None: the whole instansi
    can_manage: bool = False
    team: Principal | None = None  # a supervisor: only their reports (team_scope)

    def units(self, unit_id_column: SQLColumnExpression[int | None]) -> ColumnElement[bool]:
        """SQL condition: the unit column lies inside the scope's subtree."""
        if self.unit_path is None:
            return true()
        return unit_id_column.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(self.unit_path)))

    def contains_path(self, path: str) -> bool:
        """Whether a unit (by its path) lies inside the scope."""
        return self.unit_path is None or path.startswith(self.unit_path)

    def members(self, employee_id_column: SQLColumnExpression[int | None]) -> ColumnElement[bool]:
        """SQL condition: the employee is one the scope covers (a supervisor's team only)."""
        if self.team is None:
            return true()
        return employee_id_column.in_(select(Employee.id).where(team_scope(self.team)))

    def includes(self, employee: Employee) -> bool:
        """The same rule as units() and members(), for one employee already loaded."""
        if employee.instansi_id != self.instansi_id or not self.contains_path(
            employee.org_unit.path
        ):
            return False
        return self.team is None or in_team_scope(self.team, employee)


def analysis_instansi(principal: Principal) -> list[Instansi]:
    """Instansi whose analysis the principal may open, by name."""
    query = select(Instansi).order_by(Instansi.name)
    if principal.has(Role.SYSADMIN):
        return list(db.session.scalars(query))
    ids = set(principal.hr_instansi_ids)
    if principal.has(Role.UNIT_HEAD) and principal.instansi_id is not None:
        ids.add(principal.instansi_id)
    if not ids:
        return []
    return list(db.session.scalars(query.where(Instansi.id.in_(ids))))


def scope_for(principal: Principal, instansi_id: int, year: int) -> Scope | None:
    """The principal's view of one instansi's analysis, or None when it is not theirs."""
    if can_manage_instansi(principal, instansi_id):
        return Scope(instansi_id, year, None, True)
    if (
        principal.has(Role.UNIT_HEAD)
        and principal.headed_unit_path
        and principal.instansi_id == instansi_id
    ):
        return Scope(instansi_id, year, principal.headed_unit_path, False)
    return None


def team_instansi(principal: Principal) -> list[Instansi]:
    """Instansi whose per-employee lists the principal may open: analysis_instansi, plus a
    supervisor's own instansi."""
    options = analysis_instansi(principal)
    own = principal.instansi_id
    if principal.has(Role.SUPERVISOR) and own is not None and all(i.id != own for i in options):
        instansi = db.session.get(Instansi, own)
        if instansi is not None:
            options = sorted([*options, instansi], key=lambda i: i.name)
    return options


def team_scope_for(principal: Principal, instansi_id: int, year: int) -> Scope | None:
    """The scope of the per-employee lists: scope_for, else a supervisor's team in their own
    instansi (read-only). Only pages whose queries apply Scope.members() may use it."""
    scope = scope_for(principal, instansi_id, year)
    if scope is None and principal.has(Role.SUPERVISOR) and principal.instansi_id == instansi_id:
        return Scope(instansi_id, year, None, False, principal)
    return scope


def can_view_profile(principal: Principal, employee: Employee) -> bool:
    """A gap profile is visible to whoever may see the employee."""
    return can_view_employee(principal, employee)


def can_view_need(principal: Principal, need: DevelopmentNeed) -> bool:
    """HR of the need's instansi, the head of the OPD the employee works in, or a supervisor
    of the employee (direct or indirect, by the position tree)."""
    if can_manage_instansi(principal, need.instansi_id):
        return True
    employee = db.session.get(Employee, need.employee_id)
    if employee is None:
        return False
    if (
        principal.has(Role.UNIT_HEAD)
        and principal.headed_unit_path
        and employee.org_unit.path.startswith(principal.headed_unit_path)
    ):
        return True
    return principal.has(Role.SUPERVISOR) and in_team_scope(principal, employee)


def can_decide_need(principal: Principal, need: DevelopmentNeed) -> bool:
    """Only HR of the instansi (or a sysadmin) accepts or dismisses needs."""
    return can_manage_instansi(principal, need.instansi_id)
