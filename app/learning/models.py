"""Every credited development activity of an employee, in JP (1 JP = 45 minutes)."""

from __future__ import annotations

import enum
from datetime import date

from sqlalchemy import Date, ForeignKey, Index, Numeric, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from app.models import Base, Timestamped, str_enum

JP_TARGET_PER_YEAR = 20  # PP 11/2017 Pasal 203(4)
MINUTES_PER_JP = 45


class LearningSource(enum.StrEnum):
    TRAINING = "training"  # a completed participation in a catalogue event
    MENTORING = "mentoring"  # a confirmed mentoring session
    MANUAL = "manual"  # recorded by HR (e.g. a certificate from outside the portal)
    CERTIFICATE = "certificate"  # an external certificate (LMS ASN import, or verified by HR)


class LearningRecord(Timestamped, Base):
    """A JP credit; (source, source_ref) is unique so crediting the same activity twice is a no-op."""

    __tablename__ = "learning_record"
    __table_args__ = (
        UniqueConstraint("source", "source_ref", name="one_credit"),
        Index("ix_learning_record_employee_year", "employee_id", "year"),
        Index("ix_learning_record_year_totals", "year", "employee_id", "jp"),  # JP per employee
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    year: Mapped[int]
    activity_date: Mapped[date] = mapped_column(Date)
    title: Mapped[str] = mapped_column(String(200))
    source: Mapped[LearningSource] = mapped_column(str_enum(LearningSource))
    source_ref: Mapped[str] = mapped_column(String(80))  # e.g. "participation:12", "session:7"
    jp: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    certificate_number: Mapped[str | None] = mapped_column(String(100))
