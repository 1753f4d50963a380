"""Campaigns open and close by the local days of their instansi (app.clock)."""

from __future__ import annotations

from datetime import date, datetime

from app.clock import end_of_day, instansi_zone, local_today
from app.surveys.models import Campaign


def campaign_today(campaign: Campaign) -> date:
    """Today in the campaign's instansi: a respondent in Jakarta answers a Sorong survey by
    Sorong's calendar."""
    return local_today(instansi_zone(campaign.instansi_id))


def campaign_end(campaign: Campaign) -> datetime:
    """The first moment after the campaign's closing day, in UTC (invitations expire then)."""
    return end_of_day(campaign.closes_on, instansi_zone(campaign.instansi_id))
