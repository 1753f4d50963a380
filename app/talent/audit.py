"""Audit rows for every talent change: who did it, for which position, and what changed."""

from __future__ import annotations

from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.extensions import db
from app.talent.models import TalentAudit

# What the trails on the IDP and succession pages say for each recorded action.
ACTION_LABELS: dict[str, object] = {
    "draft": _l("Drafted"),
    "add_item": _l("Activity added"),
    "remove_item": _l("Activity removed"),
    "submit": _l("Sent to the supervisor"),
    "agree": _l("Agreed"),
    "return": _l("Returned for changes"),
    "add": _l("Added"),
    "remove": _l("Removed"),
    "mark": _l("Marked as a key position"),
    "unmark": _l("No longer a key position"),
    "update": _l("Changed"),
    "assess": _l("Assessed"),
    "import": _l("Imported"),
}


def action_label(action: str) -> str:
    """The label of a recorded action (the code itself when unknown)."""
    return str(ACTION_LABELS.get(action, action))


def record(
    instansi_id: int,
    object_type: str,
    object_id: int,
    action: str,
    detail: str = "",
    actor_user_id: int | None = None,
    employee_id: int | None = None,
    on_behalf_of_position_id: int | None = None,
) -> None:
    """Add one append-only row to the current transaction (the caller commits)."""
    db.session.add(
        TalentAudit(
            instansi_id=instansi_id,
            object_type=object_type,
            object_id=object_id,
            action=action,
            detail=detail[:2000],
            actor_user_id=actor_user_id,
            employee_id=employee_id,
            on_behalf_of_position_id=on_behalf_of_position_id,
        )
    )


def trail(object_type: str, object_id: int) -> list[TalentAudit]:
    return list(
        db.session.scalars(
            select(TalentAudit)
            .where(TalentAudit.object_type == object_type, TalentAudit.object_id == object_id)
            .order_by(TalentAudit.at, TalentAudit.id)
        )
    )


def employee_trail(employee_id: int, limit: int = 50) -> list[TalentAudit]:
    return list(
        db.session.scalars(
            select(TalentAudit)
            .where(TalentAudit.employee_id == employee_id)
            .order_by(TalentAudit.at.desc(), TalentAudit.id.desc())
            .limit(limit)
        )
    )
