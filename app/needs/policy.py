"""Who sees which part of the needs analysis.

HR administrators see and run the analysis of their instansi, sysadmins of every instansi;
heads of OPD see the analysis of their OPD subtree (read-only); every employee sees their own
gap profile, supervisors those of their direct reports (the same rule as the employee pages).
"""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import ColumnElement, select, true

from app.access.policy import Principal, can_manage_instansi, can_view_employee
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

    def units(self, unit_id_column: ColumnElement[int]) -> ColumnElement[bool]:
        """SQL condition: the unit column lies inside the scope's subtree."""
        if self.unit_path is None:
            return true()
        return unit_id_column.in_(select(OrgUnit.id).where(OrgUnit.path.startswith(self.unit_path)))

    def contains_path(self, path: str) -> bool:
        """Whether a unit (by its path) lies inside the scope."""
        return self.unit_path is None or path.startswith(self.unit_path)


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


def can_view_profile(principal: Principal, employee: Employee) -> bool:
    """A gap profile is visible to whoever may see the employee."""
    return can_view_employee(principal, employee)


def can_view_need(principal: Principal, need: DevelopmentNeed) -> bool:
    """HR of the need's instansi, or the head of the OPD the employee works in."""
    if can_manage_instansi(principal, need.instansi_id):
        return True
    employee = db.session.get(Employee, need.employee_id)
    if employee is None:
        return False
    return bool(
        principal.has(Role.UNIT_HEAD)
        and principal.headed_unit_path
        and employee.org_unit.path.startswith(principal.headed_unit_path)
    )


def can_decide_need(principal: Principal, need: DevelopmentNeed) -> bool:
    """Only HR of the instansi (or a sysadmin) accepts or dismisses needs."""
    return can_manage_instansi(principal, need.instansi_id)
