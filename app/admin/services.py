"""Who may grant what: sysadmins everything, HR administrators the roles of their own instansi."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import Select, or_, select

from app.access.policy import Principal
from app.accounts.models import GRANTABLE_ROLES, Role, RoleGrant, User
from app.accounts.services import create_user, set_grants
from app.clock import TimeZoneName
from app.errors import ServiceError
from app.extensions import db
from app.org.models import Employee, Instansi, InstansiKind
from app.org.nip import normalize_nip
from app.web.securitylog import security_event


def user_query(principal: Principal, search: str = "") -> Select:
    """Accounts the principal administers: all for sysadmin, own instansi for HR."""
    query = select(User).order_by(User.display_name)
    if not principal.has(Role.SYSADMIN):
        query = query.where(User.instansi_id.in_(principal.hr_instansi_ids))
    if search.strip():
        term = search.strip().lower()
        query = query.outerjoin(Employee, User.employee_id == Employee.id).where(
            or_(User.email.contains(term, autoescape=True), Employee.nip.startswith(term))
        )
    return query


def can_administer(principal: Principal, user: User) -> bool:
    return principal.has(Role.SYSADMIN) or (
        user.instansi_id is not None and user.instansi_id in principal.hr_instansi_ids
    )


def grantable_roles(principal: Principal) -> tuple[Role, ...]:
    """HR may hand out mentor and stakeholder roles; only a sysadmin makes HR admins or sysadmins."""
    if principal.has(Role.SYSADMIN):
        return GRANTABLE_ROLES
    return (Role.MENTOR, Role.STAKEHOLDER)


def update_roles(principal: Principal, user: User, wanted: list[str]) -> None:
    """Set the granted roles of `user`; roles the principal may not grant stay as they were."""
    allowed = grantable_roles(principal)
    try:
        wanted_roles = {Role(value) for value in wanted}
    except ValueError:
        raise ServiceError(_l("Unknown role."), field="roles") from None
    if wanted_roles - set(allowed):
        raise ServiceError(_l("You may not grant this role."), field="roles")
    if (
        user.id == principal.user_id
        and Role.SYSADMIN in user_roles(user)
        and Role.SYSADMIN not in wanted_roles
    ):
        raise ServiceError(_l("You cannot remove your own administrator role."), field="roles")
    kept = [(g.role, g.instansi_id) for g in user.grants if g.role not in allowed]
    scope = user.instansi_id
    new = [
        (role, scope if role in (Role.HR_ADMIN, Role.MENTOR) else None)
        for role in sorted(wanted_roles)
    ]
    set_grants(user, kept + new)


def user_roles(user: User) -> set[Role]:
    return {grant.role for grant in user.grants}


def grants_of(user_ids: list[int]) -> dict[int, list[RoleGrant]]:
    result: dict[int, list[RoleGrant]] = {}
    for grant in db.session.scalars(select(RoleGrant).where(RoleGrant.user_id.in_(user_ids))):
        result.setdefault(grant.user_id, []).append(grant)
    return result


def create_account(
    principal: Principal,
    kind: str,
    email: str,
    password: str,
    nip: str = "",
    display_name: str = "",
    organisation: str = "",
) -> User:
    """HR creates logins for employees of its instansi and for stakeholders; one per employee."""
    if kind == "employee":
        employee = db.session.scalar(select(Employee).where(Employee.nip == normalize_nip(nip)))
        if employee is None or not (
            principal.has(Role.SYSADMIN) or employee.instansi_id in principal.hr_instansi_ids
        ):
            raise ServiceError(_l("No employee with this NIP in your instansi."), field="nip")
        if db.session.scalar(select(User.id).where(User.employee_id == employee.id)):
            raise ServiceError(_l("This employee already has an account."), field="nip")
        return create_user(email, employee.name, password, employee=employee)
    if not display_name.strip():
        raise ServiceError(_l("Name is required."), field="display_name")
    instansi_id = next(iter(sorted(principal.hr_instansi_ids)), None)
    return create_user(
        email,
        display_name.strip(),
        password,
        instansi_id=instansi_id,
        organisation=organisation.strip() or None,
        roles=((Role.STAKEHOLDER, None),),
    )


def create_instansi(
    code: str, name: str, kind: str, ppk_title: str, time_zone: str = ""
) -> Instansi:
    """A new regional government in the portal; codes are unique; "" keeps the portal's zone."""
    if db.session.scalar(select(Instansi.id).where(Instansi.code == code)):
        raise ServiceError(_l("This code is already used."), field="code")
    instansi = Instansi(
        code=code,
        name=name.strip(),
        kind=InstansiKind(kind),
        ppk_title=ppk_title.strip(),
        time_zone=TimeZoneName(time_zone) if time_zone else None,
    )
    db.session.add(instansi)
    db.session.commit()
    return instansi


def set_hr_second_factor(instansi: Instansi, required: bool) -> None:
    """Whether the HR administrators of `instansi` must log in with a second factor."""
    instansi.hr_second_factor_required = required
    db.session.commit()
    security_event("instansi.second_factor_policy", instansi_id=instansi.id, required=required)
