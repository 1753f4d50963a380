"""Routes of the budget optimiser.

`make_ids` drafts instansi A's plan for next year from two needs (the planning module drafts
this year's), costs its items and runs one scenario.
"""

from __future__ import annotations

from tests.web.matrix import only

HR = {"hr_admin": 200, "sysadmin": 200}
VIEW = {**HR, "unit_head": 200}


def make_ids(world) -> dict[str, int]:  # type: ignore[no-untyped-def]
    from sqlalchemy import update

    from app.extensions import db
    from app.optimiser import services
    from app.planning import services as plan_services
    from app.planning.models import PlanItem, Revision
    from tests.unit.planning.factories import HR as HR_ACTOR
    from tests.unit.planning.factories import need, year

    need(world.staff.id, cycle=year() + 1)
    need(world.staff2.id, cycle=year() + 1)
    db.session.commit()
    result = plan_services.draft_plan(world.a.id, year() + 1, HR_ACTOR)
    db.session.execute(
        update(PlanItem).where(PlanItem.revision_id == result.revision_id).values(unit_cost=0)
    )
    db.session.commit()
    revision = db.session.get(Revision, result.revision_id)
    scenario = services.create_scenario(revision, "As is", 1.0, 0, HR_ACTOR)
    return {"opt_revision": revision.id, "opt_scenario": scenario.id, "opt_instansi": world.a.id}


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "optimiser.index": ("GET", "/optimiser/", only(VIEW)),
    "optimiser.revision": ("GET", "/optimiser/revisions/{opt_revision}", only(VIEW, others=404)),
    "optimiser.create": (
        "POST",
        "/optimiser/revisions/{opt_revision}/scenarios",
        only({"hr_admin": 422, "sysadmin": 422, "unit_head": 403}, others=404),
    ),
    "optimiser.estimate": (
        "POST",
        "/optimiser/revisions/{opt_revision}/estimate",
        only({"hr_admin": 303, "sysadmin": 303, "unit_head": 403}, others=404),
    ),
    "optimiser.scenario": ("GET", "/optimiser/scenarios/{opt_scenario}", only(VIEW, others=404)),
    "optimiser.export": (
        "GET",
        "/optimiser/scenarios/{opt_scenario}/export.xlsx",
        only(VIEW, others=404),
    ),
    "optimiser.apply": (
        "POST",
        "/optimiser/scenarios/{opt_scenario}/apply",
        only({"hr_admin": 303, "sysadmin": 303, "unit_head": 403}, others=404),
    ),
    "optimiser.settings_page": ("GET", "/optimiser/settings/{opt_instansi}", only(HR)),
    "optimiser.save_rules": (
        "POST",
        "/optimiser/settings/{opt_instansi}/rules",
        only({"hr_admin": 422, "sysadmin": 422}),
    ),
    "optimiser.save_forms": (
        "POST",
        "/optimiser/settings/{opt_instansi}/forms",
        only({"hr_admin": 422, "sysadmin": 422}),
    ),
    "optimiser.adopt_effect": (
        "POST",
        "/optimiser/settings/{opt_instansi}/forms/classical/adopt",
        only({"hr_admin": 422, "sysadmin": 422}),
    ),
}
