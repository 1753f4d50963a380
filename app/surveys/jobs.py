"""Scheduled survey reminders: every open campaign reminds those invited who have not answered."""

from __future__ import annotations

from flask import url_for
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.surveys.models import Campaign, CampaignStatus
from app.surveys.services import send_reminders


def invitation_link(token: str) -> str:
    try:
        return url_for("surveys.answer_entry", via="i", token=token, _external=True)
    except RuntimeError as error:  # no SERVER_NAME outside a request
        raise jobs.PermanentFailure(
            "Set PUBLIC_URL (e.g. https://bangkom.example.go.id) so mailed links can be built."
        ) from error


@jobs.task("surveys.reminders", label=_l("Survey reminders"))
def survey_reminders(ctx: jobs.JobContext) -> None:
    """Remind each open campaign's unfinished invitees; within 20 hours nobody is mailed twice."""
    campaign_ids = list(
        db.session.scalars(
            select(Campaign.id).where(Campaign.status == CampaignStatus.OPEN).order_by(Campaign.id)
        )
    )
    reminded = 0
    for done, campaign_id in enumerate(campaign_ids, 1):
        campaign = db.session.get(Campaign, campaign_id)
        if campaign is not None and campaign.status == CampaignStatus.OPEN:
            reminded += send_reminders(campaign, invitation_link)
        ctx.progress(done, len(campaign_ids))
    ctx.result = {"summary": f"campaigns={len(campaign_ids)} reminders={reminded}"}


jobs.periodic(
    "surveys.reminders",
    "surveys.reminders",
    "0 8 * * *",
    _l("Remind invitees of open campaigns who have not answered"),
)
