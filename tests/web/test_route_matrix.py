"""Every route against every role: the expected status is written down for each pair.

A new route without an entry here fails `test_every_route_is_in_the_matrix`.
"""

from __future__ import annotations

import pytest

from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS

ROLES = ("anonymous", *ROLE_EMAILS)
ALL = dict.fromkeys(ROLES, 200)
SIGNED_IN = {**dict.fromkeys(ROLE_EMAILS, 200), "anonymous": 303}


def only(allowed: dict[str, int], others: int = 403) -> dict[str, int]:
    """`allowed` roles get their status, other signed-in roles `others`, visitors the login."""
    return {"anonymous": 303, **dict.fromkeys(ROLE_EMAILS, others), **allowed}


MANAGERS = {"hr_admin": 200, "sysadmin": 200}
BROWSERS = {"supervisor": 200, "unit_head": 200, **MANAGERS}
TREE = {"unit_head": 200, **MANAGERS}

# endpoint -> (method, path template, expected status per role). Paths use the `world` ids:
# {staff} an employee of instansi A in the kepala's OPD, {unit} that OPD, {user} the staff login.
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "static": ("GET", "/static/css/app.css", ALL),
    "home.index": ("GET", "/", ALL),
    "home.health": ("GET", "/healthz", ALL),
    "home.ping": ("GET", "/ping", ALL),
    "accounts.login": ("GET", "/login", {**dict.fromkeys(ROLE_EMAILS, 303), "anonymous": 200}),
    "accounts.logout": ("POST", "/logout", {**dict.fromkeys(ROLE_EMAILS, 303), "anonymous": 303}),
    "accounts.language": ("POST", "/language", dict.fromkeys(ROLES, 303)),
    "accounts.settings": ("GET", "/account", SIGNED_IN),
    "admin.users": ("GET", "/admin/users", only(MANAGERS)),
    "admin.user_roles": ("GET", "/admin/users/{user}", only(MANAGERS)),
    "org.units": ("GET", "/org/units", only(TREE)),
    "org.unit_detail": ("GET", "/org/units/{unit}", only(TREE, others=404)),
    "org.unit_create": ("GET", "/org/units/new", only(MANAGERS)),
    "org.position_create": (
        "GET",
        "/org/units/{unit}/positions/new",
        only({**MANAGERS, "unit_head": 403}, others=404),
    ),
    "org.employees": ("GET", "/employees", only(BROWSERS)),
    "org.my_profile": (
        "GET",
        "/me",
        {
            **dict.fromkeys(ROLE_EMAILS, 303),
            "hr_admin": 404,
            "stakeholder": 404,
            "sysadmin": 404,
            "anonymous": 303,
        },
    ),
    "org.employee_detail": (
        "GET",
        "/employees/{staff}",
        only({**BROWSERS, "employee": 200}, others=404),
    ),
    "org.employee_create": ("GET", "/employees/new", only(MANAGERS)),
    "org.employee_edit": (
        "GET",
        "/employees/{staff}/edit",
        only({**MANAGERS, "employee": 403, "supervisor": 403, "unit_head": 403}, others=404),
    ),
    "org.validate_nip": ("POST", "/employees/validate-nip", only(MANAGERS)),
    "org.import_employees": ("GET", "/employees/import", only(MANAGERS)),
    "org.confirm_import": (
        "POST",
        "/employees/import/unknown-token",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
    "org.export_employees": ("GET", "/employees/export.csv", only(BROWSERS)),
}


def test_every_route_is_in_the_matrix(app):
    endpoints = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = endpoints - MATRIX.keys()
    assert not missing, f"add these endpoints to the route matrix: {sorted(missing)}"
    assert not MATRIX.keys() - endpoints, "the matrix names endpoints that no longer exist"


@pytest.mark.parametrize("role", ROLES)
def test_route_matrix(app, world, role):
    client = app.test_client()
    if role != "anonymous":
        login(client, ROLE_EMAILS[role])
    ids = {"staff": world.staff.id, "unit": world.opd.id, "user": world.users["employee"].id}
    failures = []
    # Logging out ends the session, so it goes last.
    ordered = sorted(MATRIX.items(), key=lambda item: item[0] == "accounts.logout")
    for endpoint, (method, template, expected) in ordered:
        path = template.format(**ids)
        if method == "GET":
            response = client.get(path)
        else:
            token = csrf_token(client, "/login" if role == "anonymous" else "/account")
            response = client.post(path, data={"csrf_token": token}, headers={"X-CSRFToken": token})
        response.close()
        if response.status_code != expected[role]:
            failures.append(
                f"{endpoint} {method} {path}: {response.status_code} != {expected[role]}"
            )
    assert not failures, "\n".join(failures)
