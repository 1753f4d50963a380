"""Mentoring programs, mentor profiles, pairings with their goals and logged sessions.

A pairing moves proposed → active → completed or cancelled; a session confirmed by the mentee
credits JP to the mentee's learning record; the mentee's feedback is stored as a survey response.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    CheckConstraint,
    Date,
    DateTime,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum
from app.org.models import Employee, Instansi

DEFAULT_MINUTES_PER_JP = 45  # 1 JP = 45 minutes of learning (PerLAN 10/2018)
MIN_SESSION_MINUTES = 10
MAX_SESSION_MINUTES = 480
STALE_AFTER_DAYS = 30  # an active pairing without a session for this long needs attention


class MatchingMode(enum.StrEnum):
    """Who picks the mentor (MentorcliQ's modes): HR, the mentee, or the mentee from suggestions."""

    ADMIN = "admin"
    SELF = "self"
    SUGGESTED = "suggested"


class PairingState(enum.StrEnum):
    PROPOSED = "proposed"
    ACTIVE = "active"
    COMPLETED = "completed"
    CANCELLED = "cancelled"


OPEN_STATES = (PairingState.PROPOSED, PairingState.ACTIVE)


class SessionMode(enum.StrEnum):
    """Codes shared with the `bentuk_sesi` question of the mentoring-feedback instrument."""

    IN_PERSON = "tatap_muka"
    ONLINE = "daring"
    PHONE = "telepon"


class MentoringProgram(Timestamped, Base):
    """A mentoring programme of one instansi with its duration bounds and JP rate."""

    __tablename__ = "mentoring_program"
    __table_args__ = (
        CheckConstraint("min_weeks >= 1 AND max_weeks >= min_weeks", name="duration_bounds"),
        CheckConstraint("minutes_per_jp > 0", name="positive_jp_rate"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    name: Mapped[str] = mapped_column(String(200))
    objective: Mapped[str] = mapped_column(Text, default="")
    min_weeks: Mapped[int] = mapped_column(Integer, default=4)
    max_weeks: Mapped[int] = mapped_column(Integer, default=24)
    matching_mode: Mapped[MatchingMode] = mapped_column(
        str_enum(MatchingMode), default=MatchingMode.SUGGESTED
    )
    # The JP rate: one JP for every `minutes_per_jp` minutes of a confirmed session.
    minutes_per_jp: Mapped[int] = mapped_column(Integer, default=DEFAULT_MINUTES_PER_JP)
    active: Mapped[bool] = mapped_column(Boolean, default=True)

    instansi: Mapped[Instansi] = relationship(lazy="joined")


class MentorProfile(Timestamped, Base):
    """A mentor's capacity, availability and declared strengths (competency codes)."""

    __tablename__ = "mentor_profile"
    __table_args__ = (CheckConstraint("capacity >= 0", name="capacity_not_negative"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), unique=True)
    capacity: Mapped[int] = mapped_column(Integer, default=3)  # open pairings at most
    available: Mapped[bool] = mapped_column(Boolean, default=True)
    availability: Mapped[str] = mapped_column(String(200), default="")  # e.g. "Tue/Thu afternoons"
    bio: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship(lazy="joined")
    strengths: Mapped[list[MentorStrength]] = relationship(
        back_populates="profile",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="MentorStrength.competency_code",
    )

    @property
    def strength_codes(self) -> list[str]:
        return [strength.competency_code for strength in self.strengths]


class MentorStrength(Base):
    """One competency a mentor declares as a strength; matched against mentees' gaps."""

    __tablename__ = "mentor_strength"
    __table_args__ = (UniqueConstraint("profile_id", "competency_code", name="one_strength"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    profile_id: Mapped[int] = mapped_column(
        ForeignKey("mentor_profile.id", ondelete="CASCADE"), index=True
    )
    competency_code: Mapped[str] = mapped_column(String(30))

    profile: Mapped[MentorProfile] = relationship(back_populates="strengths")


class Pairing(Timestamped, Base):
    """A mentor–mentee relation in a program; at most one open pairing per mentor and mentee."""

    __tablename__ = "mentoring_pairing"
    __table_args__ = (
        CheckConstraint("mentor_id <> mentee_id", name="not_self"),
        CheckConstraint("end_date >= start_date", name="dates_in_order"),
        Index(
            "uq_mentoring_pairing_open",
            "mentor_id",
            "mentee_id",
            unique=True,
            sqlite_where=text("state IN ('proposed', 'active')"),
            postgresql_where=text("state IN ('proposed', 'active')"),
        ),
        Index("ix_mentoring_pairing_scope", "instansi_id", "state"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    program_id: Mapped[int] = mapped_column(ForeignKey("mentoring_program.id"), index=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))  # the program's
    mentor_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    mentee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    state: Mapped[PairingState] = mapped_column(
        str_enum(PairingState), default=PairingState.PROPOSED
    )
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)  # planned end
    ended_on: Mapped[date | None] = mapped_column(Date)  # actual end (completed or cancelled)
    focus: Mapped[str] = mapped_column(Text, default="")  # what the mentee wants to work on
    match_reason: Mapped[str] = mapped_column(Text, default="")  # why this mentor was suggested
    proposed_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    closing_note: Mapped[str] = mapped_column(Text, default="")
    # Set when the mentee answers "this pairing is not working"; HR clears it after acting.
    flagged_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    flag_note: Mapped[str] = mapped_column(Text, default="")

    program: Mapped[MentoringProgram] = relationship(lazy="joined")
    mentor: Mapped[Employee] = relationship(foreign_keys=[mentor_id], lazy="joined")
    mentee: Mapped[Employee] = relationship(foreign_keys=[mentee_id], lazy="joined")
    goals: Mapped[list[Goal]] = relationship(
        back_populates="pairing", lazy="raise", cascade="all, delete-orphan"
    )

    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES


class Goal(Timestamped, Base):
    """A development goal of a pairing, optionally tied to a competency, with progress in %."""

    __tablename__ = "mentoring_goal"
    __table_args__ = (CheckConstraint("progress BETWEEN 0 AND 100", name="progress_percent"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(
        ForeignKey("mentoring_pairing.id", ondelete="CASCADE"), index=True
    )
    description: Mapped[str] = mapped_column(String(300))
    competency_code: Mapped[str | None] = mapped_column(String(30))
    progress: Mapped[int] = mapped_column(Integer, default=0)
    completed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))

    pairing: Mapped[Pairing] = relationship(back_populates="goals")


class MentoringSession(Timestamped, Base):
    """A session logged by the mentor; the mentee's confirmation credits JP once."""

    __tablename__ = "mentoring_session"
    __table_args__ = (
        CheckConstraint("duration_minutes > 0", name="positive_duration"),
        Index("ix_mentoring_session_pairing_date", "pairing_id", "held_on"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    pairing_id: Mapped[int] = mapped_column(ForeignKey("mentoring_pairing.id", ondelete="CASCADE"))
    held_on: Mapped[date] = mapped_column(Date)
    duration_minutes: Mapped[int] = mapped_column(Integer)
    mode: Mapped[SessionMode] = mapped_column(str_enum(SessionMode))
    topics: Mapped[str] = mapped_column(String(300))
    notes: Mapped[str] = mapped_column(Text, default="")
    agreed_actions: Mapped[str] = mapped_column(Text, default="")
    logged_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    logged_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    confirmed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    jp_credited: Mapped[float | None] = mapped_column(Float)
    # The mentee's answers to the mentoring-feedback instrument, kept in the survey tables.
    feedback_response_id: Mapped[int | None] = mapped_column(
        ForeignKey("survey_response.id", ondelete="SET NULL"), unique=True
    )

    pairing: Mapped[Pairing] = relationship(lazy="joined")

    @property
    def is_confirmed(self) -> bool:
        return self.confirmed_at is not None
