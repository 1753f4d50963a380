"""Stopping reminders from the mail: a signed link per invitation that does only that.

The token signs the invitation's id with SECRET_KEY under its own salt, so it cannot open the
survey, cannot be made from an answer link and is refused for any other purpose. Stopping is
recorded on the invitation (``reminders_stopped_at``) and the reminder job skips it; the page
offers to undo it.
"""

from __future__ import annotations

from datetime import datetime

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer

from app.clock import utcnow
from app.extensions import db
from app.surveys.models import Invitation
from app.surveys.services.answering import SeatError

SALT = "bangkom.surveys.reminder-optout"
MAX_TOKEN = 120


def _serializer() -> URLSafeSerializer:
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=SALT)


def optout_token(invitation_id: int) -> str:
    return str(_serializer().dumps(invitation_id))


def invitation_from_optout(token: str) -> Invitation:
    """The invitation the token names; a tampered or foreign token is a 404 (SeatError)."""
    if not token or len(token) > MAX_TOKEN:
        raise SeatError("not_found")
    try:
        invitation_id = _serializer().loads(token)
    except BadSignature:
        raise SeatError("not_found") from None
    invitation = db.session.get(Invitation, invitation_id) if type(invitation_id) is int else None
    if invitation is None:
        raise SeatError("not_found")
    return invitation


def stop_reminders(invitation: Invitation, now: datetime | None = None) -> None:
    """No more reminders for this invitation (repeating it keeps the first time)."""
    if invitation.reminders_stopped_at is None:
        invitation.reminders_stopped_at = now or utcnow()
    db.session.commit()


def resume_reminders(invitation: Invitation) -> None:
    invitation.reminders_stopped_at = None
    db.session.commit()
