"""Campaigns, invitations, responses and their answers.

A response keeps the definition id and version it answered. Submitted answers are stored one
row per field (`survey_answer`), so results and the needs analysis are computed in SQL; a draft
keeps its answers as JSON until it is submitted.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    LargeBinary,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum


class CampaignStatus(enum.StrEnum):
    DRAFT = "draft"
    OPEN = "open"
    CLOSED = "closed"


class Audience(enum.StrEnum):
    """Who a campaign asks: the rater role carried by each response."""

    SELF = "self"  # employees rate themselves
    SUPERVISOR = "supervisor"  # one response per subordinate
    PEER = "peer"
    STAKEHOLDER = "stakeholder"  # public, academia, private sector, NGOs
    PARTICIPANT = "participant"  # training participants
    MENTEE = "mentee"


class ResponseStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"


class Campaign(Timestamped, Base):
    """A survey definition published to an audience for a period."""

    __tablename__ = "survey_campaign"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    definition_id: Mapped[str] = mapped_column(String(80), index=True)
    definition_version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    audience: Mapped[Audience] = mapped_column(str_enum(Audience))
    cycle_year: Mapped[int] = mapped_column(Integer, index=True)
    opens_on: Mapped[date] = mapped_column(Date)
    closes_on: Mapped[date] = mapped_column(Date)
    status: Mapped[CampaignStatus] = mapped_column(
        str_enum(CampaignStatus), default=CampaignStatus.DRAFT
    )
    anonymous: Mapped[bool] = mapped_column(Boolean, default=False)
    # Hash of the open public link's token; None when the campaign has no public link.
    public_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    # The open link is printed on posters, so it is kept readable for HR (the QR code page);
    # personal invitation tokens are never stored.
    public_token: Mapped[str | None] = mapped_column(String(64))
    # Only this unit's subtree is invited (None: the whole instansi).
    audience_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    # The YAML text published, so later edits of surveys/<id>.yaml never change a running
    # campaign; its SHA-256 keys the per-process cache of parsed definitions.
    definition_text: Mapped[str] = mapped_column(Text, default="", server_default="", deferred=True)
    definition_sha: Mapped[str] = mapped_column(String(64), default="", server_default="")
    published_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class Invitation(Timestamped, Base):
    """A personal, single-use link; only the token's hash is stored."""

    __tablename__ = "survey_invitation"
    __table_args__ = (
        # Covers the cockpit's invitations per campaign and group.
        Index(
            "ix_survey_invitation_groups",
            "campaign_id",
            "stakeholder_group",
            "rater_role",
            "org_unit_id",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(
        ForeignKey("survey_campaign.id", ondelete="CASCADE"), index=True
    )
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    email: Mapped[str | None] = mapped_column(String(254))
    name: Mapped[str | None] = mapped_column(String(200))
    organisation: Mapped[str | None] = mapped_column(String(200))
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    rater_role: Mapped[str] = mapped_column(String(20))
    respondent_employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id"), index=True
    )
    subject_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"))
    expires_at: Mapped[datetime] = mapped_column(DateTime(timezone=True))
    sent_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    reminded_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Random per invitation; the token is HMAC(SECRET_KEY, nonce), so reminders can repeat
    # the link while the database alone never reveals it.
    token_nonce: Mapped[str] = mapped_column(String(32), default="", server_default="")
    reminder_count: Mapped[int] = mapped_column(Integer, default=0, server_default="0")
    # Set when the response is submitted (a date only: anonymous responses drop the link).
    completed_on: Mapped[date | None] = mapped_column(Date)
    # The invitee followed the mail's opt-out link: no more reminders (None again after undo).
    reminders_stopped_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    campaign: Mapped[Campaign] = relationship(lazy="joined")


class Branding(Base):
    """How an instansi presents itself to respondents: the name on survey pages and as the mail
    sender, and a logo (PNG or JPEG, checked and re-encoded on upload, at most 256 KB)."""

    __tablename__ = "survey_branding"

    instansi_id: Mapped[int] = mapped_column(
        ForeignKey("instansi.id", ondelete="CASCADE"), primary_key=True
    )
    display_name: Mapped[str] = mapped_column(String(200), default="")
    logo: Mapped[bytes | None] = mapped_column(LargeBinary, deferred=True)
    logo_type: Mapped[str | None] = mapped_column(String(20))  # image/png or image/jpeg
    logo_sha: Mapped[str | None] = mapped_column(String(64))  # names the version in its URL
    logo_width: Mapped[int | None] = mapped_column(Integer)
    logo_height: Mapped[int | None] = mapped_column(Integer)
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(
        DateTime(timezone=True), default=utcnow, onupdate=utcnow
    )


class Response(Base):
    """One respondent's answers to one campaign (about one subject, for 360° ratings)."""

    __tablename__ = "survey_response"
    __table_args__ = (
        Index("ix_survey_response_scoring", "campaign_id", "status", "subject_employee_id"),
        Index("ix_survey_response_results", "campaign_id", "status", "rater_role"),
        # Covering indexes of the cockpit's participation and submissions-per-day reads.
        Index(
            "ix_survey_response_groups",
            "campaign_id",
            "stakeholder_group",
            "rater_role",
            "status",
            "invitation_id",
            "org_unit_id",
        ),
        Index("ix_survey_response_submitted", "status", "submitted_on", "campaign_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaign.id", ondelete="CASCADE"))
    definition_id: Mapped[str] = mapped_column(String(80))
    definition_version: Mapped[int] = mapped_column(Integer)
    language: Mapped[str] = mapped_column(String(5), default="id")
    rater_role: Mapped[str] = mapped_column(String(20))
    # Who answered (None for stakeholders and anonymous responses) and whom it is about.
    respondent_employee_id: Mapped[int | None] = mapped_column(
        ForeignKey("employee.id"), index=True
    )
    subject_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    # The unit the answers are about (the subject's unit, or the unit a stakeholder rates).
    org_unit_id: Mapped[int | None] = mapped_column(ForeignKey("org_unit.id"), index=True)
    stakeholder_group: Mapped[str | None] = mapped_column(String(40))
    # One response per invitation (single use); None for public and anonymous responses.
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitation.id", ondelete="SET NULL"), unique=True
    )
    # Hash of the token that lets a public respondent resume a draft on another device.
    resume_token_hash: Mapped[str | None] = mapped_column(String(64), unique=True)
    # Client-generated key of the submit: a retried or double-clicked submit finds this row.
    submission_key: Mapped[str | None] = mapped_column(String(64), unique=True)
    status: Mapped[ResponseStatus] = mapped_column(
        str_enum(ResponseStatus), default=ResponseStatus.DRAFT
    )
    draft_answers: Mapped[str] = mapped_column(Text, default="{}")  # JSON while a draft
    current_page: Mapped[str | None] = mapped_column(String(80))
    # Anonymous responses keep only the day, never an exact time.
    started_on: Mapped[date] = mapped_column(Date, default=lambda: utcnow().date())
    submitted_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    updated_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    # Every submitted response has its day; anonymous ones have nothing finer.
    submitted_on: Mapped[date | None] = mapped_column(Date)

    campaign: Mapped[Campaign] = relationship(lazy="joined")


class Answer(Base):
    """One answered field of a submitted response; matrix cells carry their row and column."""

    __tablename__ = "survey_answer"
    __table_args__ = (
        UniqueConstraint("response_id", "field", name="one_value"),
        Index("ix_survey_answer_cell", "item_id", "row_id", "column_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    response_id: Mapped[int] = mapped_column(ForeignKey("survey_response.id", ondelete="CASCADE"))
    field: Mapped[str] = mapped_column(String(160))  # full path: "grid.m01.imp", "saran"
    item_id: Mapped[str] = mapped_column(String(60))
    row_id: Mapped[str | None] = mapped_column(String(60))
    column_id: Mapped[str | None] = mapped_column(String(60))
    value_number: Mapped[float | None] = mapped_column(Float)  # ratings, numbers
    value_text: Mapped[str | None] = mapped_column(Text)  # text, codes (multiple: one per line)


class DefinitionDraft(Timestamped, Base):
    """A definition uploaded by HR (XLSForm or YAML), with every import message, not yet live."""

    __tablename__ = "survey_definition_draft"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    definition_id: Mapped[str] = mapped_column(String(80))
    title: Mapped[str] = mapped_column(String(200))
    source_name: Mapped[str] = mapped_column(String(200))
    yaml_text: Mapped[str] = mapped_column(Text)
    # JSON list of {sheet, row, name, reason, severity}, in the order the importer found them
    issues_json: Mapped[str] = mapped_column(Text, default="[]")
    error_count: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_version: Mapped[int | None] = mapped_column(Integer)


class DefinitionVersion(Base):
    """One published version of a portal-authored definition; versions are never changed."""

    __tablename__ = "survey_definition_version"
    __table_args__ = (
        UniqueConstraint("instansi_id", "definition_id", "version", name="one_version_number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    definition_id: Mapped[str] = mapped_column(String(80))
    version: Mapped[int] = mapped_column(Integer)
    title: Mapped[str] = mapped_column(String(200))
    yaml_text: Mapped[str] = mapped_column(Text)
    sha: Mapped[str] = mapped_column(String(64))
    source_name: Mapped[str] = mapped_column(String(200))
    published_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    published_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
