"""Routes of performance and careers: SKP, potential, 9-box, targets, IDP, pool, succession."""

from __future__ import annotations

from app.clock import local_today
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


def make_ids(world) -> dict[str, int]:
    """A submitted plan of the staff, a career path, two key positions, a pinned candidate."""

    from app.extensions import db
    from app.talent.models import (
        ActivityKind,
        CareerPath,
        DevelopmentPlan,
        DevelopmentPlanItem,
        IdpStatus,
        KeyPosition,
        SuccessionCandidate,
    )

    plan = DevelopmentPlan(
        instansi_id=world.a.id,
        employee_id=world.staff.id,
        year=local_today().year,
        status=IdpStatus.SUBMITTED,
    )
    plan.items.append(
        DevelopmentPlanItem(activity=ActivityKind.TRAINING, title="Bimtek", jp_planned=24)
    )
    path = CareerPath(
        instansi_id=world.a.id,
        from_position_id=world.staff_position.id,
        to_position_id=world.kabid_position.id,
    )
    key = KeyPosition(instansi_id=world.a.id, position_id=world.head_position.id)
    spare = KeyPosition(instansi_id=world.a.id, position_id=world.kabid_position.id)
    db.session.add_all([plan, path, key, spare])
    db.session.flush()
    pinned = SuccessionCandidate(key_position_id=key.id, employee_id=world.kabid.id)
    db.session.add(pinned)
    db.session.commit()
    return {
        "plan": plan.id,
        "item": plan.items[0].id,
        "path": path.id,
        "key": key.id,
        "spare_key": spare.id,
        "candidate": pinned.id,
    }


POOL = only(MANAGERS, others=404)
MATRIX.update(
    {
        "talent.my_target": ("GET", "/talent/target", only(OWN)),
        "talent.target": (
            "GET",
            "/talent/employees/{staff}/target",
            only(VIEWERS_OF_STAFF, others=404),
        ),
        "talent.career_paths": ("GET", "/talent/career-paths", only(MANAGERS)),
        "talent.career_path_delete": (
            "POST",
            "/talent/career-paths/{path}/delete",
            only({"hr_admin": 303, "sysadmin": 303}),
        ),
        "talent.my_idp": ("GET", "/talent/idp", only(OWN)),
        "talent.idp_inbox": ("GET", "/talent/idp/inbox", only(OWN)),
        "talent.idp_detail": ("GET", "/talent/idp/{plan}", only(VIEWERS_OF_STAFF, others=404)),
        "talent.idp_draft": (
            "POST",
            "/talent/employees/{staff}/idp",
            only(
                {
                    "employee": 409,
                    "supervisor": 403,
                    "unit_head": 403,
                    "hr_admin": 409,
                    "sysadmin": 409,
                },
                others=404,
            ),
        ),
        "talent.idp_item_add": (
            "POST",
            "/talent/idp/{plan}/items",
            only(
                {
                    "employee": 422,
                    "supervisor": 422,
                    "unit_head": 422,
                    "hr_admin": 422,
                    "sysadmin": 422,
                },
                others=404,
            ),
        ),
        "talent.idp_item_delete": (
            "POST",
            "/talent/idp/{plan}/items/{item}/delete",
            only(
                {
                    "employee": 409,
                    "supervisor": 403,
                    "unit_head": 403,
                    "hr_admin": 409,
                    "sysadmin": 409,
                },
                others=404,
            ),
        ),
        "talent.idp_submit": (
            "POST",
            "/talent/idp/{plan}/submit",
            only(
                {
                    "employee": 409,
                    "supervisor": 403,
                    "unit_head": 403,
                    "hr_admin": 403,
                    "sysadmin": 403,
                },
                others=404,
            ),
        ),
        "talent.idp_decide": (
            "POST",
            "/talent/idp/{plan}/decide",
            only(
                {
                    "employee": 422,
                    "supervisor": 422,
                    "unit_head": 422,
                    "hr_admin": 422,
                    "sysadmin": 422,
                },
                others=404,
            ),
        ),
        "talent.succession": ("GET", "/talent/succession", only(MANAGERS)),
        "talent.succession_detail": ("GET", "/talent/succession/{key}", POOL),
        "talent.key_position_remove": (
            "POST",
            "/talent/succession/{spare_key}/remove",
            only({"hr_admin": 303, "sysadmin": 303}, others=404),
        ),
        "talent.candidate_pin": (
            "POST",
            "/talent/succession/{key}/candidates",
            only({"hr_admin": 422, "sysadmin": 422}, others=404),
        ),
        "talent.candidate_unpin": (
            "POST",
            "/talent/succession/{key}/candidates/{candidate}/remove",
            only({"hr_admin": 303, "sysadmin": 303}, others=404),
        ),
    }
)
