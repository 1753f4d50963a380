"""Performance (SKP), potential inputs, talent settings, career paths, IDP and succession.

The intended position (jabatan tujuan) lives with the needs analysis, whose second target it is
(`app.needs.targets`); talent sets it and audits the change.

The predikat is always computed from the PermenPANRB 6/2022 matrix (`app.talent.matrix`) and
stored next to the two ratings so lists and the 9-box read it with plain SQL. Boxes themselves
are not stored: they are derived in SQL from the latest SKP and the potential inputs, so they
never go stale when an SKP is entered or an analysis recomputed.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
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
    event,
)
from sqlalchemy.orm import Mapped, mapped_column, relationship

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum
from app.org.models import Employee, Position


class Rating(enum.StrEnum):
    """Hasil kerja and perilaku are each rated against the leader's expectation."""

    ABOVE = "di_atas"
    MEETS = "sesuai"
    BELOW = "di_bawah"


class Predikat(enum.StrEnum):
    SANGAT_BAIK = "sangat_baik"
    BAIK = "baik"
    BUTUH_PERBAIKAN = "butuh_perbaikan"
    KURANG = "kurang"  # Kurang/Misconduct
    SANGAT_KURANG = "sangat_kurang"


class SkpPeriod(enum.StrEnum):
    """The annual SKP, or one of the periodic (quarterly) assessments of the year."""

    ANNUAL = "tahunan"
    Q1 = "tw1"
    Q2 = "tw2"
    Q3 = "tw3"
    Q4 = "tw4"


class SkpSource(enum.StrEnum):
    MANUAL = "manual"  # entered by the assessing official in the portal
    E_KINERJA = "e_kinerja"  # imported from an e-Kinerja BKN export


class AssessorCapacity(enum.StrEnum):
    DEFINITIVE = "definitive"
    PLT = "plt"
    PLH = "plh"


class SkpRating(Timestamped, Base):
    """One employee's SKP assessment for one period of a year."""

    __tablename__ = "talent_skp"
    __table_args__ = (
        UniqueConstraint("employee_id", "year", "period", name="one_skp_per_period"),
        Index("ix_talent_skp_instansi_year", "instansi_id", "year"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    year: Mapped[int] = mapped_column(Integer)
    period: Mapped[SkpPeriod] = mapped_column(str_enum(SkpPeriod, 10))
    hasil_kerja: Mapped[Rating] = mapped_column(str_enum(Rating, 10))
    perilaku: Mapped[Rating] = mapped_column(str_enum(Rating, 10))
    predikat: Mapped[Predikat] = mapped_column(str_enum(Predikat))
    source: Mapped[SkpSource] = mapped_column(str_enum(SkpSource, 10))
    # Who assessed: the position acted for and the capacity (Plt/Plh may assess, SE BKN 2019).
    assessor_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    assessor_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    capacity: Mapped[AssessorCapacity | None] = mapped_column(str_enum(AssessorCapacity, 12))
    note: Mapped[str] = mapped_column(Text, default="")
    entered_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="raise")


class TalentSettings(Base):
    """Per-instansi weights and cut-offs of the potential score (sources disagree; editable).

    Potential = weighted mean of the available inputs (JPM %, qualification score, assessment
    score), weights re-normalised when an input is missing. Categories: rendah below
    `medium_from`, menengah from `medium_from` below `high_from`, tinggi from `high_from`.
    """

    __tablename__ = "talent_settings"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(
        ForeignKey("instansi.id", ondelete="CASCADE"), unique=True
    )
    weight_jpm: Mapped[float] = mapped_column(Float, default=60.0)
    weight_qualification: Mapped[float] = mapped_column(Float, default=20.0)
    weight_assessment: Mapped[float] = mapped_column(Float, default=20.0)
    medium_from: Mapped[float] = mapped_column(Float, default=78.0)
    high_from: Mapped[float] = mapped_column(Float, default=90.0)
    # The PPK's own login sees the talent pool besides HR (the PPK is often not an employee).
    ppk_user_id: Mapped[int | None] = mapped_column(
        ForeignKey("user_account.id", ondelete="SET NULL")
    )
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    updated_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class Education(enum.StrEnum):
    SD = "sd"
    SMP = "smp"
    SMA = "sma"
    D3 = "d3"
    S1 = "s1"  # also D4
    S2 = "s2"
    S3 = "s3"


class PotentialInput(Timestamped, Base):
    """HR-kept inputs of the potential besides JPM: qualification and an assessment score."""

    __tablename__ = "talent_potential_input"
    __table_args__ = (
        UniqueConstraint("employee_id", "year", name="one_input_per_year"),
        CheckConstraint(
            "assessment_score IS NULL OR (assessment_score >= 0 AND assessment_score <= 100)",
            name="assessment_in_range",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    year: Mapped[int] = mapped_column(Integer)
    education: Mapped[Education | None] = mapped_column(str_enum(Education, 5))
    assessment_score: Mapped[float | None] = mapped_column(Float)  # assessment centre, 0–100
    assessed_on: Mapped[date | None] = mapped_column(Date)
    grade_since: Mapped[date | None] = mapped_column(Date)  # TMT in the current grade/position
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class CareerPath(Timestamped, Base):
    """A step of a career path: position A leads to position B within a rumpun jabatan."""

    __tablename__ = "talent_career_path"
    __table_args__ = (
        UniqueConstraint("from_position_id", "to_position_id", name="one_path_step"),
        CheckConstraint("from_position_id <> to_position_id", name="not_to_itself"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    from_position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    to_position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    rumpun: Mapped[str] = mapped_column(String(120), default="")
    min_years_in_grade: Mapped[int] = mapped_column(Integer, default=0)
    note: Mapped[str] = mapped_column(Text, default="")

    from_position: Mapped[Position] = relationship(foreign_keys=[from_position_id], lazy="joined")
    to_position: Mapped[Position] = relationship(foreign_keys=[to_position_id], lazy="joined")


class IdpStatus(enum.StrEnum):
    DRAFT = "draft"
    SUBMITTED = "submitted"  # waiting for the supervisor
    AGREED = "agreed"  # approved by the supervisor
    RETURNED = "returned"  # sent back with a comment


class ActivityKind(enum.StrEnum):
    TRAINING = "training"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    ON_THE_JOB = "on_the_job"


class DevelopmentPlan(Timestamped, Base):
    """An employee's individual development plan (IDP) for one year."""

    __tablename__ = "talent_idp"
    __table_args__ = (UniqueConstraint("employee_id", "year", name="one_idp_per_year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    year: Mapped[int] = mapped_column(Integer)
    status: Mapped[IdpStatus] = mapped_column(str_enum(IdpStatus, 12), default=IdpStatus.DRAFT)
    box: Mapped[int | None] = mapped_column(Integer)  # the box it was drafted from
    approver_employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    approver_capacity: Mapped[AssessorCapacity | None] = mapped_column(
        str_enum(AssessorCapacity, 12)
    )
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    comment: Mapped[str] = mapped_column(Text, default="")

    employee: Mapped[Employee] = relationship(foreign_keys=[employee_id], lazy="joined")
    items: Mapped[list[DevelopmentPlanItem]] = relationship(
        back_populates="plan",
        lazy="selectin",
        cascade="all, delete-orphan",
        order_by="DevelopmentPlanItem.id",
    )


class DevelopmentPlanItem(Base):
    """One need to close with the chosen activity and its JP, planned and done."""

    __tablename__ = "talent_idp_item"

    id: Mapped[int] = mapped_column(primary_key=True)
    plan_id: Mapped[int] = mapped_column(ForeignKey("talent_idp.id", ondelete="CASCADE"))
    need_id: Mapped[int | None] = mapped_column(
        ForeignKey("development_need.id", ondelete="SET NULL")
    )
    competency_code: Mapped[str] = mapped_column(String(30), default="")
    target_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    activity: Mapped[ActivityKind] = mapped_column(str_enum(ActivityKind))
    title: Mapped[str] = mapped_column(String(200))
    jp_planned: Mapped[float] = mapped_column(Float, default=0.0)
    jp_done: Mapped[float] = mapped_column(Float, default=0.0)

    plan: Mapped[DevelopmentPlan] = relationship(back_populates="items")


class KeyPosition(Timestamped, Base):
    """A position HR marks as key for succession planning."""

    __tablename__ = "talent_key_position"
    __table_args__ = (UniqueConstraint("position_id", name="one_key_mark"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id"))
    note: Mapped[str] = mapped_column(Text, default="")

    position: Mapped[Position] = relationship(lazy="joined")


class SuccessionCandidate(Base):
    """A candidate HR puts in the succession plan of a key position (removal keeps the row)."""

    __tablename__ = "talent_succession_candidate"
    __table_args__ = (Index("ix_talent_succession_key", "key_position_id", "removed_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    key_position_id: Mapped[int] = mapped_column(
        ForeignKey("talent_key_position.id", ondelete="CASCADE")
    )
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    added_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    added_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
    removed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    note: Mapped[str] = mapped_column(Text, default="")


class TalentAudit(Base):
    """Append-only record of every change to SKP, targets, IDPs, the pool and succession."""

    __tablename__ = "talent_audit"
    __table_args__ = (Index("ix_talent_audit_object", "object_type", "object_id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    object_type: Mapped[str] = mapped_column(String(30))  # "skp", "idp", "target", ...
    object_id: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int | None] = mapped_column(ForeignKey("employee.id"))
    action: Mapped[str] = mapped_column(String(30))
    detail: Mapped[str] = mapped_column(Text, default="")
    actor_user_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    on_behalf_of_position_id: Mapped[int | None] = mapped_column(ForeignKey("position.id"))
    at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class AuditIsAppendOnly(RuntimeError):
    pass


def _refuse_change(*_args: object) -> None:
    raise AuditIsAppendOnly("talent_audit rows are never changed or deleted")


event.listen(TalentAudit, "before_update", _refuse_change)
event.listen(TalentAudit, "before_delete", _refuse_change)
