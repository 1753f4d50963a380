"""Who sees, edits, reviews and adopts a plan.

HR administrators of the instansi draft, edit and review it. The position named in the
settings (the PPK's, or the official the PPK delegates to) adopts it; adoption is a
definitive act, so a Plt/Plh of that position is refused (training's `acts_definitively`).
Acting officials may still read the plan and return it with comments. Heads of OPD read the
plan of their instansi.
"""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import ColumnElement, false, true

from app.access.policy import Principal, can_manage_instansi
from app.accounts.models import Role
from app.planning.models import Plan
from app.training.policy import Acting, acts_definitively


def can_manage_plans(principal: Principal, instansi_id: int) -> bool:
    return can_manage_instansi(principal, instansi_id)


def acts_for_ppk(acting: Acting, ppk_position_id: int | None) -> bool:
    """Holds the adopting position or acts for it (Plt/Plh) today."""
    return acting.role_for(ppk_position_id) is not None


def can_view_plan(acting: Acting, plan: Plan, ppk_position_id: int | None) -> bool:
    principal = acting.principal
    if can_manage_plans(principal, plan.instansi_id):
        return True
    if acts_for_ppk(acting, ppk_position_id):
        return True
    return principal.has(Role.UNIT_HEAD) and principal.instansi_id == plan.instansi_id


def plan_scope(acting: Acting, ppk_instansi_ids: set[int]) -> ColumnElement[bool]:
    """Plans the principal may list: HR's instansi, the PPK's, and a head of OPD's own."""
    principal = acting.principal
    if principal.has(Role.SYSADMIN):
        return true()
    ids = set(principal.hr_instansi_ids) | ppk_instansi_ids
    if principal.has(Role.UNIT_HEAD) and principal.instansi_id is not None:
        ids.add(principal.instansi_id)
    return Plan.instansi_id.in_(ids) if ids else false()


def adoption_refusal(acting: Acting, ppk_position_id: int | None) -> object | None:
    """None when the principal may adopt; otherwise why not (a Plt/Plh hears the rule)."""
    if ppk_position_id is None:
        return _l(
            "No adopting official is set for this instansi: HR names the PPK's position in the "
            "plan settings."
        )
    definitive = acts_definitively(acting, ppk_position_id)
    if definitive:
        return None
    if definitive is False:
        return _l(
            "Adopting the development plan is a definitive decision of the PPK; an acting "
            "official (Plt/Plh) cannot adopt it (SE Kepala BKN 1/SE/I/2021). Return it with "
            "comments or wait for the definitive official."
        )
    return _l("Only the PPK (or the official the PPK delegates to) adopts the plan.")
