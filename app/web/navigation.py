"""Navigation per role: features add entries here; the layout shows those the user's roles allow."""

from __future__ import annotations

from dataclasses import dataclass

from flask import Flask, request, url_for
from flask_babel import lazy_gettext as _l

from app.access.guards import current_principal
from app.accounts.models import Role


@dataclass(frozen=True)
class NavEntry:
    endpoint: str
    label: object  # a lazy string, translated when rendered
    roles: tuple[Role, ...]  # empty: every signed-in user
    order: int = 50  # position in the menu, low first


NAVIGATION: list[NavEntry] = []


def add_nav(*entries: NavEntry) -> None:
    """Features add their menu entries when their routes module is imported."""
    NAVIGATION.extend(entry for entry in entries if entry not in NAVIGATION)
    NAVIGATION.sort(key=lambda entry: entry.order)


add_nav(
    NavEntry("home.index", _l("Home"), (), order=0),
    NavEntry("org.my_profile", _l("My profile"), (Role.EMPLOYEE,), order=10),
    NavEntry(
        "org.employees",
        _l("Employees"),
        (Role.SUPERVISOR, Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN),
        order=20,
    ),
    NavEntry(
        "org.units", _l("Organisation"), (Role.UNIT_HEAD, Role.HR_ADMIN, Role.SYSADMIN), order=80
    ),
    NavEntry(
        "org.import_employees", _l("Import employees"), (Role.HR_ADMIN, Role.SYSADMIN), order=85
    ),
    NavEntry("admin.users", _l("User accounts"), (Role.HR_ADMIN, Role.SYSADMIN), order=90),
    NavEntry("admin.instansi_list", _l("Regional governments"), (Role.SYSADMIN,), order=91),
    NavEntry("accounts.settings", _l("My account"), (), order=99),
)


ROLE_LABELS: dict[Role, object] = {
    Role.EMPLOYEE: _l("Employee"),
    Role.SUPERVISOR: _l("Supervisor"),
    Role.UNIT_HEAD: _l("Head of OPD"),
    Role.HR_ADMIN: _l("HR administrator (BKPSDM)"),
    Role.MENTOR: _l("Mentor"),
    Role.STAKEHOLDER: _l("External stakeholder"),
    Role.SYSADMIN: _l("System administrator"),
}


def role_label(role: Role | str) -> object:
    return ROLE_LABELS.get(Role(role), role)


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals["role_label"] = role_label

    @app.context_processor
    def navigation() -> dict[str, object]:
        principal = current_principal()
        if not principal.is_authenticated:
            return {"nav_items": [], "principal": principal}
        items = [
            {
                "url": url_for(entry.endpoint),
                "label": entry.label,
                "active": request.endpoint == entry.endpoint,
            }
            for entry in NAVIGATION
            if not entry.roles or principal.has(*entry.roles)
        ]
        return {"nav_items": items, "principal": principal}
