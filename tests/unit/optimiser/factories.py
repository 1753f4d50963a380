"""A drafted plan for the optimiser: instansi A's evidence, every item costed."""

from __future__ import annotations

from sqlalchemy import select, update

from app.extensions import db
from app.planning import services as plan_services
from app.planning.models import PlanItem, Revision
from tests.unit.planning.factories import HR, evidence, year


def drafted(world, budget: int = 50_000_000, cost: int = 1_000_000) -> Revision:  # type: ignore[no-untyped-def]
    """M.03 classical for both staff (cost each), M.05 mentoring for the head (free)."""
    evidence(world, budget=budget, cost=cost)
    result = plan_services.draft_plan(world.a.id, year(), HR)
    db.session.execute(
        update(PlanItem)
        .where(PlanItem.revision_id == result.revision_id, PlanItem.unit_cost.is_(None))
        .values(unit_cost=0)
    )
    db.session.commit()
    revision = db.session.get(Revision, result.revision_id)
    assert revision is not None
    return revision


def items_of(revision_id: int) -> dict[str, PlanItem]:
    db.session.expire_all()
    return {
        i.key: i
        for i in db.session.scalars(select(PlanItem).where(PlanItem.revision_id == revision_id))
    }
