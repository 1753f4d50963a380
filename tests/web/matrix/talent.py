"""Routes of performance and careers: SKP, potential, 9-box, targets, IDP, pool, succession."""

from __future__ import annotations

from tests.web.matrix import MANAGERS, only

OWN = {"employee": 200, "supervisor": 200, "unit_head": 200, "mentor": 200}
VIEWERS_OF_STAFF = {"employee": 200, "supervisor": 200, "unit_head": 200, **MANAGERS}

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "talent.my_skp": ("GET", "/talent/skp", only(OWN)),
    "talent.skp_team": ("GET", "/talent/skp/team", only(OWN)),
    "talent.skp_employee": (
        "GET",
        "/talent/skp/employees/{staff}",
        only(VIEWERS_OF_STAFF, others=404),
    ),
    "talent.skp_assess": (
        "GET",
        "/talent/skp/employees/{staff}/assess",
        only(
            {
                "supervisor": 200,
                "employee": 403,
                "unit_head": 403,
                "hr_admin": 403,
                "sysadmin": 403,
            },
            others=404,
        ),
    ),
    "talent.skp_import": ("GET", "/talent/skp/import", only(MANAGERS)),
    "talent.skp_import_confirm": (
        "POST",
        "/talent/skp/import/skp-unknown-token-000",
        only({"hr_admin": 303, "sysadmin": 303}),
    ),
}

MATRIX.update(
    {
        "talent.my_box": ("GET", "/talent/me", only(OWN)),
        "talent.boxes": (
            "GET",
            "/talent/boxes",
            only({"supervisor": 200, "unit_head": 200, **MANAGERS}),
        ),
        "talent.employee_box": (
            "GET",
            "/talent/employees/{staff}",
            only(VIEWERS_OF_STAFF, others=404),
        ),
        "talent.pool": ("GET", "/talent/pool", only(MANAGERS)),
        "talent.settings": ("GET", "/talent/settings", only(MANAGERS)),
        "talent.potential_input": (
            "GET",
            "/talent/employees/{staff}/potential",
            only(MANAGERS),
        ),
    }
)
