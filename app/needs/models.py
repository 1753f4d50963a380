"""Competency dictionary, position standards (SKJ), computed gaps and development needs.

These tables are a contract shared with training (nominations from accepted needs) and
mentoring (matching on gaps and strengths): add columns freely, do not rename.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    Float,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, Timestamped


def _enum(kind: type[enum.Enum], length: int = 20) -> Enum:
    return Enum(
        kind, native_enum=False, length=length, values_callable=lambda e: [m.value for m in e]
    )


class CompetencyKind(enum.StrEnum):
    MANAGERIAL = "manajerial"
    SOCIO_CULTURAL = "sosial_kultural"
    TECHNICAL = "teknis"


class Competency(Timestamped, Base):
    """A dictionary entry of one instansi: M.01–M.08, SK.01, and technical competencies."""

    __tablename__ = "competency"
    __table_args__ = (UniqueConstraint("instansi_id", "code", name="code_per_instansi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    code: Mapped[str] = mapped_column(String(30))
    kind: Mapped[CompetencyKind] = mapped_column(_enum(CompetencyKind))
    name_id: Mapped[str] = mapped_column(String(200))
    name_en: Mapped[str] = mapped_column(String(200), default="")
    definition_id: Mapped[str] = mapped_column(Text, default="")
    definition_en: Mapped[str] = mapped_column(Text, default="")
    active: Mapped[bool] = mapped_column(Boolean, default=True)


class CompetencyLevel(Base):
    """What level 1–5 of a competency looks like in behaviour."""

    __tablename__ = "competency_level"
    __table_args__ = (UniqueConstraint("competency_id", "level", name="one_description"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    level: Mapped[int] = mapped_column(Integer)
    description_id: Mapped[str] = mapped_column(Text)
    description_en: Mapped[str] = mapped_column(Text, default="")


class PositionStandard(Base):
    """Required level of a competency for a position (SKJ), valid for a period.

    A change closes the old row (valid_to) and opens a new one, so an analysis of an earlier
    year reads the standard that was in force then.
    """

    __tablename__ = "position_standard"
    __table_args__ = (
        Index("ix_position_standard_lookup", "position_id", "competency_id", "valid_from"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    position_id: Mapped[int] = mapped_column(ForeignKey("position.id", ondelete="CASCADE"))
    competency_id: Mapped[int] = mapped_column(ForeignKey("competency.id", ondelete="CASCADE"))
    required_level: Mapped[int] = mapped_column(Integer)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date)  # None: still in force


class CompetencyGap(Base):
    """Computed by the needs analysis for one cycle: an employee's level against the standard.

    Always recomputed from the raw survey answers; `current_level` blends the rater groups.
    """

    __tablename__ = "competency_gap"
    __table_args__ = (
        UniqueConstraint("cycle_year", "employee_id", "competency_code", name="one_gap"),
        Index("ix_competency_gap_unit", "instansi_id", "cycle_year", "org_unit_id"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    org_unit_id: Mapped[int] = mapped_column(ForeignKey("org_unit.id"))
    competency_code: Mapped[str] = mapped_column(String(30))
    required_level: Mapped[float | None] = mapped_column(Float)  # None: no standard found
    current_level: Mapped[float | None] = mapped_column(Float)  # None: no rating at all
    gap: Mapped[float | None] = mapped_column(Float)  # required − current; > 0 is a need
    importance: Mapped[float | None] = mapped_column(Float)  # stakeholder importance for the unit
    priority: Mapped[float | None] = mapped_column(Float)  # gap × importance
    band: Mapped[str | None] = mapped_column(String(40))  # e.g. "high", "medium", "low"


class NeedStatus(enum.StrEnum):
    PROPOSED = "proposed"
    ACCEPTED = "accepted"
    DISMISSED = "dismissed"
    NOMINATED = "nominated"  # turned into a training nomination or a plan item


class DevelopmentForm(enum.StrEnum):
    """Suggested path/form (PerLAN 10/2018): classical or non-classical development."""

    CLASSICAL = "classical"  # pelatihan klasikal
    COACHING = "coaching"
    MENTORING = "mentoring"
    E_LEARNING = "e_learning"
    WORKSHOP = "workshop"
    TECHNICAL_GUIDANCE = "technical_guidance"  # bimbingan teknis
    JOB_ROTATION = "job_rotation"
    SELF_STUDY = "self_study"


class DevelopmentNeed(Timestamped, Base):
    """A need found by the analysis that HR accepts or dismisses; accepted ones become nominations."""

    __tablename__ = "development_need"
    __table_args__ = (
        UniqueConstraint("cycle_year", "employee_id", "competency_code", name="one_need"),
        Index("ix_development_need_status", "instansi_id", "cycle_year", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    cycle_year: Mapped[int] = mapped_column(Integer)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"), index=True)
    competency_code: Mapped[str] = mapped_column(String(30))
    gap: Mapped[float] = mapped_column(Float)
    priority: Mapped[float | None] = mapped_column(Float)
    suggested_form: Mapped[DevelopmentForm] = mapped_column(_enum(DevelopmentForm))
    status: Mapped[NeedStatus] = mapped_column(_enum(NeedStatus), default=NeedStatus.PROPOSED)
    note: Mapped[str] = mapped_column(Text, default="")
    decided_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    decided_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
