"""Read services for the development plan (app/planning): which campaigns of a cycle were used
and how many people of each respondent group answered, per unit. Plain values, a fixed number
of grouped queries whatever the number of responses."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import case, func, select

from app.extensions import db
from app.surveys.models import Campaign, Invitation, Response, ResponseStatus
from app.surveys.services import STAKEHOLDER_GROUPS, group_label, role_label

# The groups the plan names, in the order the document lists them: the public, academia and
# the private sector answer the stakeholder consultation; employees and supervisors rate.
NAMED_GROUPS = ("masyarakat", "akademisi", "swasta", "self", "supervisor")


def respondent_label(key: str) -> str:
    """A stakeholder group's or rater role's label."""
    return group_label(key) if key in STAKEHOLDER_GROUPS else role_label(key)


@dataclass(frozen=True)
class CampaignUse:
    campaign_id: int
    title: str
    audience: str
    opens_on: date
    closes_on: date
    status: str
    invited: int
    submitted: int


def campaigns_of_cycle(instansi_id: int, year: int) -> list[CampaignUse]:
    """The instansi's published campaigns of `year` with invitations and submissions (3 queries)."""
    campaigns = list(
        db.session.execute(
            select(
                Campaign.id,
                Campaign.title,
                Campaign.audience,
                Campaign.opens_on,
                Campaign.closes_on,
                Campaign.status,
            )
            .where(
                Campaign.instansi_id == instansi_id,
                Campaign.cycle_year == year,
                Campaign.published_at.is_not(None),
            )
            .order_by(Campaign.opens_on, Campaign.id)
        )
    )
    ids = [int(row[0]) for row in campaigns]
    invited: dict[int, int] = {}
    submitted: dict[int, int] = {}
    if ids:
        invited = {
            int(cid): int(n)
            for cid, n in db.session.execute(
                select(Invitation.campaign_id, func.count())
                .where(Invitation.campaign_id.in_(ids))
                .group_by(Invitation.campaign_id)
            )
        }
        submitted = {
            int(cid): int(n)
            for cid, n in db.session.execute(
                select(Response.campaign_id, func.count())
                .where(Response.campaign_id.in_(ids), Response.status == ResponseStatus.SUBMITTED)
                .group_by(Response.campaign_id)
            )
        }
    return [
        CampaignUse(
            int(cid),
            title,
            audience.value,
            opens,
            closes,
            status.value,
            invited.get(int(cid), 0),
            submitted.get(int(cid), 0),
        )
        for cid, title, audience, opens, closes, status in campaigns
    ]


@dataclass(frozen=True)
class GroupCount:
    """Invitations and submitted responses of one respondent group in one unit (None: no unit)."""

    org_unit_id: int | None
    key: str
    invited: int
    submitted: int


def counts_by_unit_and_group(instansi_id: int, year: int) -> list[GroupCount]:
    """Invited and submitted per (unit, stakeholder group or rater role) of a cycle (2 queries)."""
    campaigns = select(Campaign.id).where(
        Campaign.instansi_id == instansi_id, Campaign.cycle_year == year
    )
    invited_key = func.coalesce(Invitation.stakeholder_group, Invitation.rater_role)
    invited = {
        (unit, key): int(n)
        for unit, key, n in db.session.execute(
            select(Invitation.org_unit_id, invited_key, func.count())
            .where(Invitation.campaign_id.in_(campaigns))
            .group_by(Invitation.org_unit_id, invited_key)
        )
    }
    response_key = func.coalesce(Response.stakeholder_group, Response.rater_role)
    done = func.sum(case((Response.status == ResponseStatus.SUBMITTED, 1), else_=0))
    submitted = {
        (unit, key): int(n or 0)
        for unit, key, n in db.session.execute(
            select(Response.org_unit_id, response_key, done)
            .where(Response.campaign_id.in_(campaigns))
            .group_by(Response.org_unit_id, response_key)
        )
    }
    keys = sorted(set(invited) | set(submitted), key=lambda k: (k[0] or 0, k[1] or ""))
    return [
        GroupCount(
            int(unit) if unit is not None else None,
            key or "",
            invited.get((unit, key), 0),
            submitted.get((unit, key), 0),
        )
        for unit, key in keys
    ]
