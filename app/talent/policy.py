"""Who sees boxes and SKP, who keeps the settings, who sees the talent pool.

An employee's box and SKP: the employee, their supervisor, the heads above them and HR only
(the same rule as `employee_scope`). The talent pool and succession lists: HR of the instansi
and the PPK's own login (named in the talent settings).
"""

from __future__ import annotations

from sqlalchemy import select

from app.access.policy import Principal, can_manage_instansi, can_view_employee
from app.accounts.models import Role
from app.extensions import db
from app.org.models import Employee, Instansi
from app.org.services import manageable_instansi
from app.talent.models import TalentSettings

BOX_VIEWERS = (Role.SUPERVISOR, Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN)


def can_view_box(principal: Principal, employee: Employee) -> bool:
    return can_view_employee(principal, employee)


def ppk_instansi_ids(principal: Principal) -> set[int]:
    """Instansi whose talent settings name this login as the PPK."""
    if principal.user_id is None:
        return set()
    return set(
        db.session.scalars(
            select(TalentSettings.instansi_id).where(
                TalentSettings.ppk_user_id == principal.user_id
            )
        )
    )


def can_view_pool(principal: Principal, instansi_id: int) -> bool:
    return can_manage_instansi(principal, instansi_id) or instansi_id in ppk_instansi_ids(principal)


def pool_instansi(principal: Principal) -> list[Instansi]:
    """Instansi whose talent pool the principal sees: HR's own, sysadmin all, the PPK's."""
    options = {i.id: i for i in manageable_instansi(principal)}
    extra = ppk_instansi_ids(principal) - options.keys()
    if extra:
        for instansi in db.session.scalars(select(Instansi).where(Instansi.id.in_(extra))):
            options[instansi.id] = instansi
    return sorted(options.values(), key=lambda i: i.name)


def box_instansi(principal: Principal) -> list[Instansi]:
    """Instansi whose 9-box the principal browses (their scope inside it is applied in SQL)."""
    options = {i.id: i for i in manageable_instansi(principal)}
    if principal.instansi_id is not None and principal.instansi_id not in options:
        own = db.session.get(Instansi, principal.instansi_id)
        if own is not None:
            options[own.id] = own
    return sorted(options.values(), key=lambda i: i.name)
