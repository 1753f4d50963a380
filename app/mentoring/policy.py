"""Who may see and change mentoring objects; SQL scopes for lists, predicates for single objects."""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from app.access.policy import Principal, can_manage_instansi
from app.accounts.models import Role
from app.mentoring.models import MentoringSession, Pairing, PairingState
from app.org.hierarchy import opd_of, unit_head_of
from app.org.models import Employee, OrgUnit


def pairing_scope(principal: Principal) -> ColumnElement[bool]:
    """Pairings the principal may see: own (as mentor or mentee), HR's instansi, a headed subtree."""
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(Pairing.instansi_id.in_(principal.hr_instansi_ids))
    if principal.employee_id is not None:
        conditions.append(Pairing.mentor_id == principal.employee_id)
        conditions.append(Pairing.mentee_id == principal.employee_id)
    if principal.headed_unit_path:
        conditions.append(
            Pairing.mentee_id.in_(
                select(Employee.id)
                .join(OrgUnit, Employee.org_unit_id == OrgUnit.id)
                .where(OrgUnit.path.startswith(principal.headed_unit_path))
            )
        )
    return or_(*conditions) if conditions else false()


def can_view_pairing(principal: Principal, pairing: Pairing) -> bool:
    """The same rule as pairing_scope, for one pairing already loaded."""
    if principal.has(Role.SYSADMIN) or pairing.instansi_id in principal.hr_instansi_ids:
        return True
    if principal.employee_id is not None and principal.employee_id in (
        pairing.mentor_id,
        pairing.mentee_id,
    ):
        return True
    path = principal.headed_unit_path
    return bool(path and pairing.mentee.org_unit.path.startswith(path))


def can_view_session(principal: Principal, session: MentoringSession) -> bool:
    return can_view_pairing(principal, session.pairing)


def is_hr_for(principal: Principal, pairing: Pairing) -> bool:
    """HR administrators of the program's instansi (and sysadmins) run the program."""
    return can_manage_instansi(principal, pairing.instansi_id)


def can_propose_for(principal: Principal, mentee: Employee) -> bool:
    """The mentee proposes for themselves; HR for any employee of their instansi."""
    return principal.employee_id == mentee.id or can_manage_instansi(principal, mentee.instansi_id)


def approver_unit_id(pairing: Pairing) -> int:
    """The OPD whose head approves: the mentee's top-level unit."""
    return opd_of(pairing.mentee.org_unit).id


def can_decide(principal: Principal, pairing: Pairing) -> bool:
    """The head of the mentee's OPD approves; while that post is vacant, HR of the instansi does."""
    opd = opd_of(pairing.mentee.org_unit)
    if principal.has(Role.UNIT_HEAD) and principal.headed_unit_id == opd.id:
        return principal.employee_id != pairing.mentor_id
    return unit_head_of(opd) is None and is_hr_for(principal, pairing)


def can_close(principal: Principal, pairing: Pairing) -> bool:
    """Mentor, mentee and HR may complete or cancel a pairing."""
    return principal.employee_id in (pairing.mentor_id, pairing.mentee_id) or is_hr_for(
        principal, pairing
    )


def can_edit_goals(principal: Principal, pairing: Pairing) -> bool:
    """Mentor, mentee and HR keep the goals and their progress up to date."""
    return can_close(principal, pairing)


def can_log_session(principal: Principal, pairing: Pairing) -> bool:
    return principal.employee_id == pairing.mentor_id and pairing.state == PairingState.ACTIVE


def is_mentor_of(principal: Principal, pairing: Pairing) -> bool:
    return principal.employee_id is not None and principal.employee_id == pairing.mentor_id


def is_mentee_of(principal: Principal, pairing: Pairing) -> bool:
    return principal.employee_id is not None and principal.employee_id == pairing.mentee_id
