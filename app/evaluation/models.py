"""Evaluation of training (Kirkpatrick levels 1–4): settings per program, one request per
participant, level and respondent, the per-event survey campaigns, and change projects."""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, Timestamped, str_enum

DEFAULT_FOLLOW_UP_DAYS = 90
DEFAULT_FLAG_THRESHOLD = 3.5  # mean reaction score (1–5) below which a program is reviewed
REACTION_DEFINITION = "evaluasi_reaksi_pelatihan"
FOLLOW_UP_DEFINITION = "tindak_lanjut_90_hari"


class Level(enum.StrEnum):
    """What a request asks: reaction (L1), pre/post test (L2), behaviour follow-up (L3)."""

    REACTION = "reaction"
    PRETEST = "pretest"
    POSTTEST = "posttest"
    BEHAVIOUR = "behaviour"


class RespondentRole(enum.StrEnum):
    PARTICIPANT = "participant"
    SUPERVISOR = "supervisor"


class ProjectStatus(enum.StrEnum):
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    IMPLEMENTED = "implemented"
    ABANDONED = "abandoned"


class EvaluationSettings(Timestamped, Base):
    """How one program is evaluated; a program without a row uses the defaults."""

    __tablename__ = "evaluation_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("training_program.id"), unique=True)
    follow_up_days: Mapped[int] = mapped_column(Integer, default=DEFAULT_FOLLOW_UP_DAYS)
    pretest_definition: Mapped[str | None] = mapped_column(String(80))
    posttest_definition: Mapped[str | None] = mapped_column(String(80))
    flag_threshold: Mapped[float] = mapped_column(Float, default=DEFAULT_FLAG_THRESHOLD)


class EventInstrument(Base):
    """The survey campaign that carries one level of one event's evaluation."""

    __tablename__ = "evaluation_event_instrument"
    __table_args__ = (UniqueConstraint("event_id", "level", name="one_instrument_per_level"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id"), index=True)
    level: Mapped[Level] = mapped_column(str_enum(Level))
    campaign_id: Mapped[int] = mapped_column(ForeignKey("survey_campaign.id"), unique=True)


class EvaluationRequest(Base):
    """One participant's (or their supervisor's) evaluation at one level, with its dates.

    Rows are created by the due scan; a unique key makes a second scan create nothing.
    """

    __tablename__ = "evaluation_request"
    __table_args__ = (
        UniqueConstraint(
            "participation_id", "level", "respondent_role", name="one_request_per_respondent"
        ),
        Index("ix_evaluation_request_due", "level", "invitation_id", "due_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    event_id: Mapped[int] = mapped_column(ForeignKey("training_event.id"), index=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id"))
    participant_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    level: Mapped[Level] = mapped_column(str_enum(Level))
    respondent_role: Mapped[RespondentRole] = mapped_column(str_enum(RespondentRole))
    respondent_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"), index=True)
    # the supervisor at the event, kept when they later move; replaced only when they leave
    original_respondent_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    due_on: Mapped[date] = mapped_column(Date)
    invitation_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_invitation.id"), unique=True
    )
    issued_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))


class ChangeProject(Timestamped, Base):
    """An aksi perubahan of a leadership-training participant and how far it got."""

    __tablename__ = "evaluation_change_project"

    id: Mapped[int] = mapped_column(primary_key=True)
    participation_id: Mapped[int] = mapped_column(ForeignKey("participation.id"), index=True)
    title: Mapped[str] = mapped_column(String(200))
    status: Mapped[ProjectStatus] = mapped_column(
        str_enum(ProjectStatus), default=ProjectStatus.PLANNED
    )
    note: Mapped[str] = mapped_column(Text, default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
