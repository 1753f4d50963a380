"""Who acts on a plan, and the append-only trail of what they did."""

from __future__ import annotations

import json
from dataclasses import dataclass

from app.extensions import db
from app.planning.models import ActorCapacity, PlanAction, PlanActionKind, PlanStatus


@dataclass(frozen=True)
class PlanActor:
    """The person acting, with the position acted for and the capacity (definitive, Plt, HR)."""

    user_id: int | None
    name: str
    capacity: ActorCapacity = ActorCapacity.HR
    position_id: int | None = None
    position_name: str = ""
    delegation_id: int | None = None


SYSTEM = PlanActor(None, "Bangkom", ActorCapacity.SYSTEM)


def record(
    plan_id: int,
    action: PlanActionKind,
    actor: PlanActor,
    revision_id: int | None = None,
    item_id: int | None = None,
    from_status: PlanStatus | None = None,
    to_status: PlanStatus | None = None,
    comment: str = "",
    detail: object = None,
) -> PlanAction:
    """Add one audit row to the session (committed with the change it describes)."""
    row = PlanAction(
        plan_id=plan_id,
        revision_id=revision_id,
        item_id=item_id,
        action=action,
        from_status=from_status,
        to_status=to_status,
        actor_user_id=actor.user_id,
        actor_name=actor.name[:200],
        position_id=actor.position_id,
        position_name=actor.position_name[:200],
        capacity=actor.capacity,
        delegation_id=actor.delegation_id,
        comment=comment,
        detail=json.dumps(detail, ensure_ascii=False, default=str) if detail is not None else "",
    )
    db.session.add(row)
    return row


def detail_of(action: PlanAction) -> object:
    try:
        return json.loads(action.detail) if action.detail else None
    except ValueError:
        return None
