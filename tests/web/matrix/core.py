"""Routes of the portal foundation: home, accounts, organisation, admin."""

from __future__ import annotations

from tests.web.matrix import ALL, BROWSERS, MANAGERS, ROLE_EMAILS, ROLES, SIGNED_IN, TREE, only

# endpoint -> (method, path template, expected status per role). Paths use the `world` ids:
# {staff} an employee of instansi A in the kepala's OPD, {unit} that OPD, {user} the staff login.
MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "static": ("GET", "/static/css/app.css", ALL),
    "home.index": ("GET", "/", ALL),
    "home.health": ("GET", "/healthz", ALL),
    "home.ready": ("GET", "/healthz/ready", ALL),
    "home.ping": ("GET", "/ping", ALL),
    "home.team": ("GET", "/team", only({"supervisor": 200, "unit_head": 200})),
    "accounts.login": ("GET", "/login", {**dict.fromkeys(ROLE_EMAILS, 303), "anonymous": 200}),
    "accounts.logout": ("POST", "/logout", {**dict.fromkeys(ROLE_EMAILS, 303), "anonymous": 303}),
    "accounts.language": ("POST", "/language", dict.fromkeys(ROLES, 303)),
    "accounts.settings": ("GET", "/account", SIGNED_IN),
    "accounts.login_second_factor": (
        "GET",
        "/login/second-factor",
        dict.fromkeys(ROLES, 303),  # signed in, or no password step pending
    ),
    "accounts.second_factor_settings": ("GET", "/account/second-factor", SIGNED_IN),
    # before the set-up starts there is no secret to show
    "accounts.second_factor_qr": (
        "GET",
        "/account/second-factor/qr.svg",
        {**dict.fromkeys(ROLE_EMAILS, 404), "anonymous": 303},
    ),
    "accounts.second_factor_start": (
        "POST",
        "/account/second-factor/start",
        {**dict.fromkeys(ROLE_EMAILS, 303), "anonymous": 303},
    ),
    "accounts.second_factor_confirm": (
        "POST",
        "/account/second-factor/confirm",
        {**dict.fromkeys(ROLE_EMAILS, 422), "anonymous": 303},
    ),
    "accounts.second_factor_disable": (
        "POST",
        "/account/second-factor/disable",
        {**dict.fromkeys(ROLE_EMAILS, 422), "anonymous": 303},
    ),
    "admin.users": ("GET", "/admin/users", only(MANAGERS)),
    "admin.user_roles": ("GET", "/admin/users/{user}", only(MANAGERS)),
    "admin.user_create": ("GET", "/admin/users/new", only(MANAGERS)),
    "admin.instansi_list": ("GET", "/admin/instansi", only({"sysadmin": 200})),
    "admin.instansi_create": ("POST", "/admin/instansi", only({"sysadmin": 422})),
    "admin.instansi_second_factor": (
        "POST",
        "/admin/instansi/{instansi}/second-factor",
        only({"sysadmin": 303}),
    ),
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


def make_ids(world: object) -> dict[str, int]:
    return {"instansi": world.a.id}  # type: ignore[attr-defined]
