"""SIASN integration: per-instansi codes, the form → SIASN code mapping, export batches, markers.

A record (a completed participation or a learning record) goes to SIASN in a batch; its marker
keeps the batch and a fingerprint of what was sent, so the next export sends only new records and
records whose content changed since (as updates), never the same record twice.
"""

from __future__ import annotations

import enum
from datetime import date, datetime

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    ForeignKey,
    Index,
    Integer,
    Numeric,
    String,
    Text,
    UniqueConstraint,
)
from sqlalchemy.orm import Mapped, mapped_column

from app.clock import utcnow
from app.models import Base, Timestamped, str_enum


class RecordKind(enum.StrEnum):
    PARTICIPATION = "participation"  # a completed participation in a catalogue event
    LEARNING = "learning"  # a learning record not coming from a participation


class ExportFormat(enum.StrEnum):
    CSV = "csv"
    XLSX = "xlsx"
    JSONL = "jsonl"


class LineAction(enum.StrEnum):
    INSERT = "insert"  # first time this record goes to SIASN
    UPDATE = "update"  # sent before; its content changed (a correction)


class SiasnProfile(Timestamped, Base):
    """The instansi's own SIASN codes, used in every exported record."""

    __tablename__ = "siasn_profile"

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), unique=True)
    siasn_instansi_id: Mapped[str] = mapped_column(String(64), default="")
    lokasi_id: Mapped[str] = mapped_column(String(64), default="")
    default_provider: Mapped[str] = mapped_column(String(200), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class SiasnMapping(Timestamped, Base):
    """SIASN reference codes for one Bangkom form of development (or a record source)."""

    __tablename__ = "siasn_mapping"
    __table_args__ = (UniqueConstraint("instansi_id", "key", name="one_key_per_instansi"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"), index=True)
    key: Mapped[str] = mapped_column(String(40))  # a TrainingForm value, "manual", "certificate"
    jenis_diklat_id: Mapped[str] = mapped_column(String(40), default="")
    jenis_kursus: Mapped[str] = mapped_column(String(40), default="")
    jenis_kursus_sertipikat: Mapped[str] = mapped_column(String(40), default="")
    updated_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))


class SiasnExportBatch(Base):
    """One export run: what went, for which instansi and year, in which format, by whom."""

    __tablename__ = "siasn_export_batch"
    __table_args__ = (Index("ix_siasn_export_batch_instansi_year", "instansi_id", "year"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    year: Mapped[int] = mapped_column(Integer)
    format: Mapped[ExportFormat] = mapped_column(str_enum(ExportFormat, 10))
    full: Mapped[bool] = mapped_column(Boolean, default=False)  # --all: everything again
    inserts: Mapped[int] = mapped_column(Integer, default=0)
    updates: Mapped[int] = mapped_column(Integer, default=0)
    refused: Mapped[int] = mapped_column(Integer, default=0)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    created_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)

    @property
    def total(self) -> int:
        return self.inserts + self.updates


class SiasnExportLine(Base):
    """One record as it was sent in a batch (the payload is kept, so a batch can be re-read)."""

    __tablename__ = "siasn_export_line"
    __table_args__ = (Index("ix_siasn_export_line_batch", "batch_id", "id"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    batch_id: Mapped[int] = mapped_column(ForeignKey("siasn_export_batch.id", ondelete="CASCADE"))
    record_kind: Mapped[RecordKind] = mapped_column(str_enum(RecordKind))
    record_id: Mapped[int] = mapped_column(Integer)
    nip: Mapped[str] = mapped_column(String(18))
    action: Mapped[LineAction] = mapped_column(str_enum(LineAction, 10))
    payload: Mapped[str] = mapped_column(Text)  # the SIASN kursus fields as JSON
    fingerprint: Mapped[str] = mapped_column(String(64))
    riwayat_id: Mapped[str | None] = mapped_column(String(64))  # SIASN's id once pushed
    pushed_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    push_error: Mapped[str] = mapped_column(Text, default="")


class SiasnExportMarker(Base):
    """The last batch a record went in and what it contained; one row per record."""

    __tablename__ = "siasn_export_marker"
    __table_args__ = (UniqueConstraint("record_kind", "record_id", name="one_marker"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    record_kind: Mapped[RecordKind] = mapped_column(str_enum(RecordKind))
    record_id: Mapped[int] = mapped_column(Integer)
    batch_id: Mapped[int] = mapped_column(ForeignKey("siasn_export_batch.id"), index=True)
    fingerprint: Mapped[str] = mapped_column(String(64))
    riwayat_id: Mapped[str | None] = mapped_column(String(64))
    exported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)


class CertificateOrigin(enum.StrEnum):
    IMPORT = "import"  # a file from LMS ASN or another platform, imported by HR
    SELF_REPORT = "self_report"  # submitted by the employee with evidence


class CertificateStatus(enum.StrEnum):
    PENDING = "pending"  # waiting for HR to verify the evidence
    VERIFIED = "verified"  # credited in the learning record
    REJECTED = "rejected"


class ExternalCertificate(Timestamped, Base):
    """A certificate earned outside the portal; once verified it is a learning record."""

    __tablename__ = "siasn_certificate"
    __table_args__ = (
        Index("ix_siasn_certificate_employee_start", "employee_id", "start_date"),
        Index("ix_siasn_certificate_instansi_status", "instansi_id", "status"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    employee_id: Mapped[int] = mapped_column(ForeignKey("employee.id"))
    course: Mapped[str] = mapped_column(String(200))
    provider: Mapped[str] = mapped_column(String(200))
    start_date: Mapped[date] = mapped_column(Date)
    end_date: Mapped[date] = mapped_column(Date)
    jp: Mapped[float] = mapped_column(Numeric(6, 2, asdecimal=False))
    certificate_number: Mapped[str] = mapped_column(String(100))
    mapping_key: Mapped[str] = mapped_column(String(40), default="certificate")
    origin: Mapped[CertificateOrigin] = mapped_column(str_enum(CertificateOrigin))
    status: Mapped[CertificateStatus] = mapped_column(
        str_enum(CertificateStatus), default=CertificateStatus.PENDING
    )
    evidence_name: Mapped[str | None] = mapped_column(String(80))  # file under instance/evidence
    evidence_type: Mapped[str | None] = mapped_column(String(40))
    evidence_size: Mapped[int | None] = mapped_column(Integer)
    submitted_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_by_id: Mapped[int | None] = mapped_column(ForeignKey("user_account.id"))
    verified_at: Mapped[datetime | None] = mapped_column(DateTime(timezone=True))
    review_note: Mapped[str] = mapped_column(Text, default="")
    learning_record_id: Mapped[int | None] = mapped_column(
        ForeignKey("learning_record.id"), unique=True
    )


class ReferenceKind(enum.StrEnum):
    UNOR = "unor"  # unit organisasi → OrgUnit
    JABATAN = "jabatan"  # → Position
    JENIS_DIKLAT = "jenis_diklat"  # codes the mapping may use


class SiasnReference(Base):
    """A SIASN reference entry imported for an instansi, linked to the Bangkom row it made."""

    __tablename__ = "siasn_reference"
    __table_args__ = (
        UniqueConstraint("instansi_id", "kind", "siasn_id", name="one_entry_per_kind"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    instansi_id: Mapped[int] = mapped_column(ForeignKey("instansi.id"))
    kind: Mapped[ReferenceKind] = mapped_column(str_enum(ReferenceKind))
    siasn_id: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(200))
    local_id: Mapped[int | None] = mapped_column(Integer)  # OrgUnit or Position id
    imported_at: Mapped[datetime] = mapped_column(DateTime(timezone=True), default=utcnow)
