"""Campaigns: draft, publish (assigning the employee audience), close, list, count."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from flask_babel import lazy_gettext as _l
from sqlalchemy import func, select, update

from app.access.policy import Principal
from app.clock import utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.org.models import OrgUnit
from app.surveys.models import (
    Audience,
    Campaign,
    CampaignStatus,
    Invitation,
    Response,
    ResponseStatus,
)
from app.surveys.policy import campaign_scope
from app.surveys.services.assignments import create_assignments
from app.surveys.services.days import campaign_today
from app.surveys.services.definitions import read_definition_source
from app.surveys.services.tokens import new_token, sha256_hex
from app.surveys.services.vocabulary import NAMED_AUDIENCES, role_label


@dataclass
class CampaignData:
    definition_id: str
    title: str
    audience: Audience
    cycle_year: int
    opens_on: date
    closes_on: date
    anonymous: bool = False
    public_link: bool = False
    audience_unit_id: int | None = None


def create_campaign(instansi_id: int, data: CampaignData, user_id: int | None) -> Campaign:
    """A draft campaign with a snapshot of the definition; broken definitions are refused."""
    text, definition = read_definition_source(data.definition_id, instansi_id)
    problems: list[tuple[str, str]] = []
    if data.closes_on < data.opens_on:
        problems.append(
            ("closes_on", str(_l("The closing date must be on or after the opening date.")))
        )
    if data.audience.value not in definition.raters:
        allowed = ", ".join(role_label(role) for role in definition.raters) or "–"
        problems.append(
            (
                "audience",
                str(_l("This survey is written for: %(roles)s.", roles=allowed)),
            )
        )
    anonymous = data.anonymous or definition.access.anonymous
    if anonymous and data.audience in NAMED_AUDIENCES:
        problems.append(
            ("anonymous", str(_l("Self and supervisor ratings are about a named employee.")))
        )
    if data.public_link and data.audience != Audience.STAKEHOLDER:
        problems.append(
            (
                "public_link",
                str(_l("An open link only suits stakeholders; employees are invited personally.")),
            )
        )
    if data.audience_unit_id is not None:
        unit = db.session.get(OrgUnit, data.audience_unit_id)
        if unit is None or unit.instansi_id != instansi_id:
            problems.append(("audience_unit_id", str(_l("Choose a unit of this instansi."))))
    if problems:
        raise ValidationFailed(problems)
    campaign = Campaign(
        instansi_id=instansi_id,
        definition_id=definition.id,
        definition_version=definition.version,
        definition_text=text,
        definition_sha=sha256_hex(text),
        title=data.title.strip()[:200],
        audience=data.audience,
        cycle_year=data.cycle_year,
        opens_on=data.opens_on,
        closes_on=data.closes_on,
        status=CampaignStatus.DRAFT,
        anonymous=anonymous,
        audience_unit_id=data.audience_unit_id,
        created_by_id=user_id,
    )
    if data.public_link:
        campaign.public_token = new_token()
        campaign.public_token_hash = sha256_hex(campaign.public_token)
    db.session.add(campaign)
    db.session.commit()
    return campaign


def publish_campaign(campaign: Campaign, today: date | None = None) -> int:
    """Re-check the file, snapshot it, assign the employee audience, open the campaign."""
    today = today or campaign_today(campaign)
    if campaign.status != CampaignStatus.DRAFT:
        raise ServiceError(_l("Only a draft campaign can be published."))
    text, definition = read_definition_source(campaign.definition_id, campaign.instansi_id)
    if campaign.closes_on < today:
        raise ServiceError(_l("The closing date has already passed."), "closes_on")
    campaign.definition_text = text
    campaign.definition_sha = sha256_hex(text)
    campaign.definition_version = definition.version
    created = create_assignments(campaign)
    campaign.status = CampaignStatus.OPEN
    campaign.published_at = utcnow()
    db.session.commit()
    return created


def close_campaign(campaign: Campaign) -> None:
    """No more answers; drafts stay as they are, submitted responses are kept."""
    if campaign.status != CampaignStatus.OPEN:
        raise ServiceError(_l("Only an open campaign can be closed."))
    campaign.status = CampaignStatus.CLOSED
    campaign.closed_at = utcnow()
    db.session.commit()


def visible_campaigns(principal: Principal) -> list[Campaign]:
    """Campaigns the principal may see, newest first (one query)."""
    return list(
        db.session.scalars(
            select(Campaign)
            .where(campaign_scope(principal))
            .order_by(Campaign.cycle_year.desc(), Campaign.id.desc())
        )
    )


@dataclass
class CampaignStats:
    invited: int = 0
    sent: int = 0
    started: int = 0
    submitted: int = 0

    @property
    def rate(self) -> float | None:
        """Share of invitations answered (None for public-only campaigns)."""
        return self.submitted / self.invited if self.invited else None


def campaign_stats(campaign_ids: list[int]) -> dict[int, CampaignStats]:
    """Invitations and responses per campaign in two grouped queries."""
    stats = {cid: CampaignStats() for cid in campaign_ids}
    if not campaign_ids:
        return stats
    for cid, invited, sent in db.session.execute(
        select(
            Invitation.campaign_id,
            func.count(),
            func.count(Invitation.sent_at),
        )
        .where(Invitation.campaign_id.in_(campaign_ids))
        .group_by(Invitation.campaign_id)
    ):
        stats[cid].invited, stats[cid].sent = invited, sent
    for cid, status, count in db.session.execute(
        select(Response.campaign_id, Response.status, func.count())
        .where(Response.campaign_id.in_(campaign_ids))
        .group_by(Response.campaign_id, Response.status)
    ):
        if status == ResponseStatus.SUBMITTED:
            stats[cid].submitted += count
        else:
            stats[cid].started += count
    return stats


@dataclass(frozen=True)
class CampaignSpec:
    """One campaign that another feature opens for people it invites itself (evaluations)."""

    instansi_id: int
    title: str
    audience: Audience
    cycle_year: int
    opens_on: date
    closes_on: date


def open_campaigns(definition_id: str, specs: list[CampaignSpec]) -> list[int]:
    """Open many campaigns of one definition at once; ids in the order of `specs`.

    No audience is assigned: the caller adds the invitations (`insert_invitation_rows`).
    The definition's own anonymity applies. The caller commits. Three statements whatever the
    number: rows are marked with a random key to read their ids back (RETURNING in parameter
    order would cost one statement per row on SQLite), then the marks are cleared.
    """
    if not specs:
        return []
    text, definition = read_definition_source(definition_id)
    sha, now = sha256_hex(text), utcnow()
    marks = [sha256_hex(new_token()) for _ in specs]
    rows = [
        {
            "instansi_id": spec.instansi_id,
            "definition_id": definition.id,
            "definition_version": definition.version,
            "definition_text": text,
            "definition_sha": sha,
            "title": spec.title[:200],
            "audience": spec.audience,
            "cycle_year": spec.cycle_year,
            "opens_on": spec.opens_on,
            "closes_on": max(spec.closes_on, spec.opens_on),
            "status": CampaignStatus.OPEN,
            "anonymous": definition.access.anonymous,
            "public_token_hash": mark,
            "published_at": now,
            "created_at": now,
            "updated_at": now,
        }
        for spec, mark in zip(specs, marks, strict=True)
    ]
    db.session.execute(Campaign.__table__.insert(), rows)  # Core: one executemany
    ids = dict(
        db.session.execute(
            select(Campaign.public_token_hash, Campaign.id).where(
                Campaign.public_token_hash.in_(marks)
            )
        ).all()
    )
    db.session.execute(
        update(Campaign).where(Campaign.id.in_(list(ids.values()))).values(public_token_hash=None)
    )
    return [ids[mark] for mark in marks]
