"""Demo: Kota Dumai's draft plan for the cycle with accepted needs, and two budget scenarios
("budget as is" and "budget −20 %") for HR to compare and apply. Runs once."""

from __future__ import annotations

from sqlalchemy import func, select

from app.clock import local_today
from app.extensions import db
from app.needs.planning_feed import accepted_need_rows
from app.optimiser import services
from app.optimiser.models import Scenario
from app.org.models import Instansi
from app.planning import services as plan_services
from app.planning.audit import PlanActor


def _cycle_year(instansi_id: int) -> int | None:
    """The latest year (this one or next) whose cycle has accepted needs."""
    for year in (local_today().year + 1, local_today().year):
        if accepted_need_rows(instansi_id, year):
            return year
    return None


def seed_demo_data(context: object) -> None:
    if db.session.scalar(select(func.count()).select_from(Scenario)):
        return
    dumai = db.session.scalar(select(Instansi).where(Instansi.code == "kota-dumai"))
    if dumai is None:
        return
    year = _cycle_year(dumai.id)
    if year is None:
        return
    actor = PlanActor(None, "BKPSDM Kota Dumai")
    plan = plan_services.plan_for(dumai.id, year)
    if plan is None:
        plan_services.draft_plan(dumai.id, year, actor)
        plan = plan_services.plan_for(dumai.id, year)
    revision = plan_services.latest_revision(plan.id) if plan else None
    if revision is None or not revision.editable:
        return
    services.estimate_missing_costs(revision, actor)  # HR's first estimate of the costs
    for name, scale in (("Anggaran tetap", 1.0), ("Anggaran −20 %", 0.8)):
        scenario = services.create_scenario(revision, name, scale, 0, actor)
        services.run(scenario.id)
