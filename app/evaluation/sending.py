"""Mail for evaluation requests: invitations of newly opened campaigns and weekly reminders,
through the surveys' invitation mail (the outbox sends each message once)."""

from __future__ import annotations

from collections.abc import Iterable

from flask import current_app, url_for
from sqlalchemy import select

from app.evaluation.models import EventInstrument
from app.extensions import db
from app.surveys.models import Campaign, CampaignStatus
from app.surveys.services.invitations import send_invitations, send_reminders

DEFAULT_PUBLIC_URL = "http://127.0.0.1:5000"


def answer_link(token: str) -> str:
    """The personal answer link, built outside a request from PUBLIC_URL (jobs have no host)."""
    base = current_app.config.get("PUBLIC_URL") or DEFAULT_PUBLIC_URL
    with current_app.test_request_context(base_url=base):
        return url_for("surveys.answer_entry", via="i", token=token, _external=True)


def send_for(campaign_ids: Iterable[int]) -> int:
    """Invite everyone not yet invited in these campaigns; safe to run again."""
    sent = 0
    for campaign in db.session.scalars(
        select(Campaign).where(Campaign.id.in_(list(campaign_ids))).order_by(Campaign.id)
    ):
        if campaign.status == CampaignStatus.OPEN:
            sent += send_invitations(campaign, answer_link)
    return sent


def remind_open() -> int:
    """Remind those who have not answered an open evaluation (the surveys' interval applies)."""
    reminded = 0
    campaigns = db.session.scalars(
        select(Campaign)
        .join(EventInstrument, EventInstrument.campaign_id == Campaign.id)
        .where(Campaign.status == CampaignStatus.OPEN)
        .order_by(Campaign.id)
    )
    for campaign in list(campaigns):
        reminded += send_reminders(campaign, answer_link)
    return reminded
