"""Routes of the learning record: own record, one employee's record, JP progress, HR entry."""

from __future__ import annotations

from tests.web.matrix import only

MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "learning.my_record": (
        "GET",
        "/learning",
        only({"employee": 200, "supervisor": 200, "unit_head": 200, "mentor": 200}),
    ),
    "learning.employee_record": (
        "GET",
        "/learning/employees/{staff}",
        only(
            {
                "employee": 200,
                "supervisor": 200,
                "unit_head": 200,
                "hr_admin": 200,
                "sysadmin": 200,
            },
            others=404,
        ),
    ),
    "learning.team": (
        "GET",
        "/learning/team",
        only({"supervisor": 200, "unit_head": 200, "hr_admin": 200, "sysadmin": 200}),
    ),
    "learning.record_create": (
        "GET",
        "/learning/records/new",
        only({"hr_admin": 200, "sysadmin": 200}),
    ),
}
