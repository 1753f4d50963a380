"""Course records in the SIASN kursus layout: what is due, what is refused, and the batches.

Every completed participation and every learning record that does not come from a participation
(HR's entries, confirmed mentoring, external certificates) is a candidate. A candidate missing a
mandatory SIASN field is refused with the field named. Of the rest, an export takes the records
never sent and those whose content changed since they were sent (as updates); a full export
(`--all`) takes every record again. A batch is written in one transaction with its lines and the
records' markers, so a failure leaves nothing marked, and two exports at once cannot both send
the same new record (the marker is unique per record).
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field
from datetime import date
from decimal import ROUND_HALF_UP, Decimal

from flask_babel import lazy_gettext as _l
from sqlalchemy import insert, select, update
from sqlalchemy.exc import IntegrityError

from app.errors import ServiceError
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import records_of_instansi
from app.siasn.models import (
    CertificateStatus,
    ExportFormat,
    ExternalCertificate,
    LineAction,
    RecordKind,
    SiasnExportBatch,
    SiasnExportLine,
    SiasnExportMarker,
    SiasnMapping,
    SiasnProfile,
)
from app.siasn.services import MANUAL_KEY, mappings_of, profile_of
from app.training.queries import completed_participations

# The SIASN riwayat kursus payload, in BKN's field order (domain guide B9).
KURSUS_FIELDS: tuple[str, ...] = (
    "instansiId",
    "institusiPenyelenggara",
    "jenisDiklatId",
    "jenisKursus",
    "jenisKursusSertipikat",
    "jumlahJam",
    "lokasiId",
    "namaKursus",
    "nomorSertipikat",
    "pnsOrangId",
    "tahunKursus",
    "tanggalKursus",
    "tanggalSelesaiKursus",
)
OPTIONAL_FIELDS = frozenset({"jenisKursusSertipikat", "lokasiId"})
MANDATORY_FIELDS: tuple[str, ...] = tuple(f for f in KURSUS_FIELDS if f not in OPTIONAL_FIELDS)
EXPORTED_SOURCES = (LearningSource.MANUAL, LearningSource.MENTORING, LearningSource.CERTIFICATE)


def siasn_date(day: date) -> str:
    """SIASN writes dates as dd-mm-yyyy."""
    return day.strftime("%d-%m-%Y")


def jumlah_jam(jp: float) -> int:
    """SIASN counts whole hours of lessons (JP); half a JP and more rounds up."""
    return int(Decimal(str(jp)).quantize(Decimal("1"), rounding=ROUND_HALF_UP))


@dataclass(frozen=True)
class CourseFacts:
    """What Bangkom knows of one record, before it is put in the SIASN layout."""

    kind: RecordKind
    record_id: int
    nip: str
    mapping_key: str
    title: str
    provider: str
    jp: float
    start: date
    end: date
    certificate_number: str


@dataclass(frozen=True)
class CertificateDetail:
    """Provider, dates and form of a learning record that came from an external certificate."""

    provider: str
    start: date
    end: date
    mapping_key: str


@dataclass
class Candidate:
    kind: RecordKind
    record_id: int
    nip: str
    title: str
    payload: dict[str, object]
    missing: list[str]
    fingerprint: str
    marker_id: int | None = None
    riwayat_id: str | None = None

    @property
    def ref(self) -> str:
        return f"{self.kind.value}:{self.record_id}"


@dataclass
class ExportPlan:
    instansi_id: int
    year: int
    full: bool
    inserts: list[Candidate] = field(default_factory=list)
    updates: list[Candidate] = field(default_factory=list)
    unchanged: int = 0
    refused: list[Candidate] = field(default_factory=list)

    @property
    def due(self) -> list[Candidate]:
        return self.inserts + self.updates


def kursus_payload(
    facts: CourseFacts, profile: SiasnProfile, mapping: SiasnMapping | None
) -> tuple[dict[str, object], list[str]]:
    """The SIASN fields of one record and the mandatory ones it lacks."""
    jam = jumlah_jam(facts.jp)
    payload: dict[str, object] = {
        "instansiId": profile.siasn_instansi_id or "",
        "institusiPenyelenggara": (facts.provider or profile.default_provider or "").strip(),
        "jenisDiklatId": mapping.jenis_diklat_id if mapping else "",
        "jenisKursus": mapping.jenis_kursus if mapping else "",
        "jenisKursusSertipikat": mapping.jenis_kursus_sertipikat if mapping else "",
        "jumlahJam": jam if jam > 0 else "",
        "lokasiId": profile.lokasi_id or "",
        "namaKursus": " ".join(facts.title.split()),
        "nomorSertipikat": facts.certificate_number.strip(),
        # SIASN's own person id is looked up by NIP when pushing (client.pns_id); files carry the NIP.
        "pnsOrangId": facts.nip,
        "tahunKursus": facts.end.year,
        "tanggalKursus": siasn_date(facts.start),
        "tanggalSelesaiKursus": siasn_date(facts.end),
    }
    missing = [name for name in MANDATORY_FIELDS if payload[name] in ("", None)]
    if facts.end < facts.start and "tanggalSelesaiKursus" not in missing:
        missing.append("tanggalSelesaiKursus")
    return payload, missing


def fingerprint(payload: dict[str, object]) -> str:
    text = json.dumps(payload, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def course_facts(
    instansi_id: int, year: int, details: dict[int, CertificateDetail] | None = None
) -> list[CourseFacts]:
    """Every candidate record of the instansi in `year`: two queries (plus the caller's details)."""
    facts = [
        CourseFacts(
            RecordKind.PARTICIPATION,
            row.participation_id,
            row.nip,
            row.form,
            row.title,
            row.provider_name,
            row.jp,
            row.start_date,
            row.end_date,
            row.certificate_number,
        )
        for row in completed_participations(instansi_id, year)
    ]
    details = details or {}
    for row in records_of_instansi(instansi_id, year, EXPORTED_SOURCES):
        detail = details.get(row.record_id)
        key = detail.mapping_key if detail else _source_key(row.source)
        facts.append(
            CourseFacts(
                RecordKind.LEARNING,
                row.record_id,
                row.nip,
                key,
                row.title,
                detail.provider if detail else "",
                row.jp,
                detail.start if detail else row.activity_date,
                detail.end if detail else row.activity_date,
                row.certificate_number,
            )
        )
    return facts


def certificate_details(instansi_id: int, year: int) -> dict[int, CertificateDetail]:
    """Provider, dates and form of the instansi's verified certificates ending in `year`."""
    rows = db.session.execute(
        select(
            ExternalCertificate.learning_record_id,
            ExternalCertificate.provider,
            ExternalCertificate.start_date,
            ExternalCertificate.end_date,
            ExternalCertificate.mapping_key,
        ).where(
            ExternalCertificate.instansi_id == instansi_id,
            ExternalCertificate.status == CertificateStatus.VERIFIED,
            ExternalCertificate.end_date >= date(year, 1, 1),
            ExternalCertificate.end_date <= date(year, 12, 31),
        )
    )
    return {
        record_id: CertificateDetail(provider, start, end, key)
        for record_id, provider, start, end, key in rows
        if record_id is not None
    }


def _source_key(source: str) -> str:
    if source == LearningSource.MENTORING:
        return "mentoring"
    if source == LearningSource.CERTIFICATE:
        return "certificate"
    return MANUAL_KEY


def _markers(instansi_id: int, year: int) -> dict[tuple[RecordKind, int], SiasnExportMarker]:
    rows = db.session.scalars(
        select(SiasnExportMarker)
        .join(SiasnExportBatch, SiasnExportBatch.id == SiasnExportMarker.batch_id)
        .where(SiasnExportBatch.instansi_id == instansi_id, SiasnExportBatch.year == year)
    )
    return {(row.record_kind, row.record_id): row for row in rows}


def plan_export(instansi_id: int, year: int, full: bool = False) -> ExportPlan:
    """Sort every candidate into insert, update, unchanged or refused: a constant number of queries."""
    details = certificate_details(instansi_id, year)
    profile = profile_of(instansi_id)
    mappings = mappings_of(instansi_id)
    markers = _markers(instansi_id, year)
    plan = ExportPlan(instansi_id, year, full)
    for facts in course_facts(instansi_id, year, details):
        payload, missing = kursus_payload(facts, profile, mappings.get(facts.mapping_key))
        marker = markers.get((facts.kind, facts.record_id))
        candidate = Candidate(
            facts.kind,
            facts.record_id,
            facts.nip,
            facts.title,
            payload,
            missing,
            fingerprint(payload),
            marker.id if marker else None,
            marker.riwayat_id if marker else None,
        )
        if missing:
            plan.refused.append(candidate)
        elif marker is None:
            plan.inserts.append(candidate)
        elif full or marker.fingerprint != candidate.fingerprint:
            plan.updates.append(candidate)
        else:
            plan.unchanged += 1
    return plan


class ConcurrentExport(ServiceError):
    status = 409


def create_batch(plan: ExportPlan, fmt: ExportFormat, user_id: int | None) -> SiasnExportBatch:
    """Write the batch, its lines and the markers in one transaction (a fixed number of statements)."""
    if not plan.due:
        raise ServiceError(
            _l(
                "Nothing new to export: %(n)d records were already sent unchanged.",
                n=plan.unchanged,
            ),
            field="year",
        )
    batch = SiasnExportBatch(
        instansi_id=plan.instansi_id,
        year=plan.year,
        format=fmt,
        full=plan.full,
        inserts=len(plan.inserts),
        updates=len(plan.updates),
        refused=len(plan.refused),
        created_by_id=user_id,
    )
    try:
        db.session.add(batch)
        db.session.flush()
        db.session.execute(
            insert(SiasnExportLine),
            [
                {
                    "batch_id": batch.id,
                    "record_kind": c.kind,
                    "record_id": c.record_id,
                    "nip": c.nip,
                    "action": LineAction.INSERT if c.marker_id is None else LineAction.UPDATE,
                    "payload": json.dumps(c.payload, ensure_ascii=False),
                    "fingerprint": c.fingerprint,
                    "riwayat_id": c.riwayat_id,
                    "push_error": "",
                }
                for c in plan.due
            ],
        )
        if plan.inserts:
            db.session.execute(
                insert(SiasnExportMarker),
                [
                    {
                        "record_kind": c.kind,
                        "record_id": c.record_id,
                        "batch_id": batch.id,
                        "fingerprint": c.fingerprint,
                        "exported_at": batch.created_at,
                    }
                    for c in plan.inserts
                ],
            )
        if plan.updates:
            db.session.execute(
                update(SiasnExportMarker),
                [
                    {
                        "id": c.marker_id,
                        "batch_id": batch.id,
                        "fingerprint": c.fingerprint,
                        "exported_at": batch.created_at,
                    }
                    for c in plan.updates
                ],
            )
        db.session.commit()
    except IntegrityError:
        db.session.rollback()
        raise ConcurrentExport(
            _l("Another export of these records ran at the same time; check again."), field="year"
        ) from None
    return batch


@dataclass(frozen=True)
class BatchLine:
    ref: str
    action: str
    nip: str
    riwayat_id: str
    payload: dict[str, object]
    pushed: bool = False
    push_error: str = ""


def batch_lines(batch_id: int) -> list[BatchLine]:
    rows = db.session.scalars(
        select(SiasnExportLine)
        .where(SiasnExportLine.batch_id == batch_id)
        .order_by(SiasnExportLine.id)
    )
    return [
        BatchLine(
            f"{row.record_kind.value}:{row.record_id}",
            row.action.value,
            row.nip,
            row.riwayat_id or "",
            json.loads(row.payload),
            row.pushed_at is not None,
            row.push_error,
        )
        for row in rows
    ]


def batches_of(instansi_id: int, limit: int = 50) -> list[SiasnExportBatch]:
    return list(
        db.session.scalars(
            select(SiasnExportBatch)
            .where(SiasnExportBatch.instansi_id == instansi_id)
            .order_by(SiasnExportBatch.id.desc())
            .limit(limit)
        )
    )
