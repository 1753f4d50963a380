"""Who may run campaigns and read survey results: rules over a Principal plus SQL scopes.

HR administrators manage the campaigns of their instansi and see all of its responses; a head
of OPD reads the results of responses about units in the subtree they head; a sysadmin sees
everything. Respondents never need a rule here: their link (or their own invitation) is the key.
"""

from __future__ import annotations

from sqlalchemy import ColumnElement, false, or_, select, true

from app.access.policy import Principal
from app.accounts.models import Role
from app.org.models import OrgUnit
from app.surveys.models import Campaign, Invitation, Response

MANAGERS = (Role.HR_ADMIN, Role.SYSADMIN)
RESULT_READERS = (Role.HR_ADMIN, Role.SYSADMIN, Role.UNIT_HEAD)


def can_manage_campaign(principal: Principal, campaign: Campaign) -> bool:
    """HR of the campaign's instansi (or a sysadmin) publishes, invites, closes and exports."""
    return principal.has(Role.SYSADMIN) or campaign.instansi_id in principal.hr_instansi_ids


def can_view_campaign(principal: Principal, campaign: Campaign) -> bool:
    """Managers, and heads of OPD of the same instansi (they read their subtree's results)."""
    if can_manage_campaign(principal, campaign):
        return True
    return bool(
        principal.has(Role.UNIT_HEAD)
        and principal.headed_unit_path
        and principal.instansi_id == campaign.instansi_id
    )


def campaign_scope(principal: Principal) -> ColumnElement[bool]:
    """Campaigns the principal may list (the SQL twin of can_view_campaign)."""
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(Campaign.instansi_id.in_(principal.hr_instansi_ids))
    if principal.has(Role.UNIT_HEAD) and principal.headed_unit_path and principal.instansi_id:
        conditions.append(Campaign.instansi_id == principal.instansi_id)
    return or_(*conditions) if conditions else false()


def response_scope(principal: Principal) -> ColumnElement[bool]:
    """Responses whose results the principal may read (campaign must be joined)."""
    if principal.has(Role.SYSADMIN):
        return true()
    conditions: list[ColumnElement[bool]] = []
    if principal.hr_instansi_ids:
        conditions.append(Campaign.instansi_id.in_(principal.hr_instansi_ids))
    if principal.has(Role.UNIT_HEAD) and principal.headed_unit_path:
        conditions.append(
            Response.org_unit_id.in_(
                select(OrgUnit.id).where(OrgUnit.path.startswith(principal.headed_unit_path))
            )
        )
    return or_(*conditions) if conditions else false()


def can_export(principal: Principal, campaign: Campaign) -> bool:
    """Raw rows leave the portal only through HR: exports carry every answer of every group."""
    return can_manage_campaign(principal, campaign)


def is_own_invitation(principal: Principal, invitation: Invitation, email: str | None) -> bool:
    """An employee's own assignment, or a stakeholder login invited under its email."""
    if principal.employee_id is not None and invitation.respondent_employee_id is not None:
        return invitation.respondent_employee_id == principal.employee_id
    return bool(email and invitation.email and invitation.email.lower() == email.lower())
