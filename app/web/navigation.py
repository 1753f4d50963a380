"""Navigation per role, grouped by task.

Features add entries with ``add_nav(NavEntry(endpoint, label, roles, order))``; each entry falls into
a task group (Survei, Kebutuhan, Pelatihan, …) chosen by its ``group`` or, when none is given, by
the endpoint (personal ``my_*`` pages go to "Me", the rest by blueprint). The layout shows each
group as a menu that works without JavaScript (``<details>``), only the entries the user's roles
allow, the current place highlighted, and a breadcrumb on pages that are not menu entries.
"""

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
    order: int = 50  # position in its group, low first
    group: str = ""  # a key of GROUPS; empty: chosen from the endpoint (group_of)


@dataclass(frozen=True)
class NavGroup:
    key: str
    label: object
    order: int


GROUPS: dict[str, NavGroup] = {
    group.key: group
    for group in (
        NavGroup("home", _l("Home"), 0),
        NavGroup("me", _l("Me"), 10),
        NavGroup("surveys", _l("Surveys"), 20),
        NavGroup("needs", _l("Needs"), 30),
        NavGroup("training", _l("Training"), 40),
        NavGroup("mentoring", _l("Mentoring"), 50),
        NavGroup("talent", _l("Talent"), 60),
        NavGroup("staff", _l("Staff"), 65),
        NavGroup("planning", _l("Planning"), 70),
        NavGroup("evaluation", _l("Evaluation"), 80),
        NavGroup("reports", _l("Reports"), 85),
        NavGroup("admin", _l("Administration"), 90),
    )
}

# Blueprint → group, for entries that name none.
BLUEPRINT_GROUPS: dict[str, str] = {
    "home": "home",
    "surveys": "surveys",
    "needs": "needs",
    "training": "training",
    "learning": "training",
    "mentoring": "mentoring",
    "talent": "talent",
    "org": "staff",
    "planning": "planning",
    "optimiser": "planning",
    "evaluation": "evaluation",
    "monitoring": "reports",
    "admin": "admin",
    "jobs": "admin",
    "siasn": "admin",
    "mail": "admin",
    "accounts": "me",
}

# Single endpoints whose task is not their blueprint's.
ENDPOINT_GROUPS: dict[str, str] = {
    "surveys.my_surveys": "surveys",
    "org.import_employees": "admin",
    "talent.skp_import": "admin",
    "talent.settings": "admin",
    "training.delegations": "admin",
    "training.chain": "admin",
    "learning.team": "reports",
    "surveys.results": "reports",
}


def group_of(endpoint: str) -> str:
    """The group of an endpoint: explicit table, then personal pages, then its blueprint."""
    if endpoint in ENDPOINT_GROUPS:
        return ENDPOINT_GROUPS[endpoint]
    blueprint, _, name = endpoint.partition(".")
    if name.startswith("my_") or name == "mentee_dashboard":
        return "me"
    return BLUEPRINT_GROUPS.get(blueprint, "admin")


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


@dataclass
class MenuItem:
    url: str
    label: object
    endpoint: str
    active: bool


@dataclass
class Menu:
    key: str
    label: object
    items: list[MenuItem]

    @property
    def active(self) -> bool:
        return any(item.active for item in self.items) or (
            current_group() == self.key and not any_entry_active()
        )

    @property
    def single(self) -> MenuItem | None:
        """A group with one entry is shown as a plain link."""
        return self.items[0] if len(self.items) == 1 else None


def current_group() -> str | None:
    endpoint = request.endpoint
    return group_of(endpoint) if endpoint else None


def any_entry_active() -> bool:
    return any(entry.endpoint == request.endpoint for entry in NAVIGATION)


def menus_for(entries: list[NavEntry]) -> list[Menu]:
    """Visible entries grouped, groups in their order, entries in theirs."""
    menus: dict[str, Menu] = {}
    for entry in entries:
        key = entry.group or group_of(entry.endpoint)
        group = GROUPS.get(key) or GROUPS["admin"]
        menu = menus.setdefault(group.key, Menu(group.key, group.label, []))
        menu.items.append(
            MenuItem(
                url_for(entry.endpoint),
                entry.label,
                entry.endpoint,
                request.endpoint == entry.endpoint,
            )
        )
    return sorted(menus.values(), key=lambda menu: GROUPS[menu.key].order)


def breadcrumb_parent(menus: list[Menu]) -> tuple[Menu, MenuItem] | None:
    """On a page that is not a menu entry: the menu entry of the same feature it belongs under."""
    endpoint = request.endpoint or ""
    if not menus or any_entry_active() or endpoint in {"home.index", "static"}:
        return None
    blueprint = endpoint.partition(".")[0]
    group_key = group_of(endpoint)
    for menu in menus:
        if menu.key != group_key:
            continue
        same = [item for item in menu.items if item.endpoint.partition(".")[0] == blueprint]
        if same or menu.items:
            return menu, (same or menu.items)[0]
    for menu in menus:
        for item in menu.items:
            if item.endpoint.partition(".")[0] == blueprint:
                return menu, item
    return None


def init_navigation(app: Flask) -> None:
    app.jinja_env.globals["role_label"] = role_label

    @app.context_processor
    def navigation() -> dict[str, object]:
        principal = current_principal()
        if not principal.is_authenticated:
            return {"nav_menus": [], "nav_parent": None, "principal": principal}
        visible = [entry for entry in NAVIGATION if not entry.roles or principal.has(*entry.roles)]
        menus = menus_for(visible)
        return {"nav_menus": menus, "nav_parent": breadcrumb_parent(menus), "principal": principal}
