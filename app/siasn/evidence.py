"""Employees submit certificates from outside the portal with evidence; HR verifies them.

The evidence is a PDF or an image (PNG, JPEG), recognised by its first bytes rather than its
name or the browser's claim, and at most `SIASN_EVIDENCE_MAX_BYTES` (5 MB by default). It is
stored under a random name in `instance/evidence/` and only served, as a download, to HR of
the employee's instansi and to the employee.
"""

from __future__ import annotations

import secrets
from pathlib import Path

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import select

from app.clock import local_today, utcnow
from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.learning.models import LearningSource
from app.learning.services import credit_jp, titles_on_dates
from app.org.models import Employee
from app.siasn.certificates import CertificateFacts, check_facts, course_key
from app.siasn.models import CertificateOrigin, CertificateStatus, ExternalCertificate
from app.siasn.services import CERTIFICATE_KEY

DEFAULT_MAX_BYTES = 5 * 1024 * 1024
SIGNATURES: tuple[tuple[bytes, str, str], ...] = (
    (b"%PDF-", "pdf", "application/pdf"),
    (b"\x89PNG\r\n\x1a\n", "png", "image/png"),
    (b"\xff\xd8\xff", "jpg", "image/jpeg"),
)


def sniff(content: bytes) -> tuple[str, str] | None:
    """(extension, MIME type) from the file's first bytes, or None for anything else."""
    for signature, extension, mime in SIGNATURES:
        if content.startswith(signature):
            return extension, mime
    return None


def max_bytes() -> int:
    return int(current_app.config.get("SIASN_EVIDENCE_MAX_BYTES") or DEFAULT_MAX_BYTES)


def evidence_dir() -> Path:
    path = Path(current_app.config["INSTANCE_DIR"]) / "evidence"
    path.mkdir(parents=True, exist_ok=True)
    return path


def evidence_path(certificate: ExternalCertificate) -> Path | None:
    if not certificate.evidence_name:
        return None
    return evidence_dir() / certificate.evidence_name


def check_evidence(content: bytes) -> tuple[str, str]:
    if not content:
        raise ValidationFailed([("evidence", str(_l("Attach the certificate (PDF or image).")))])
    limit = max_bytes()
    if len(content) > limit:
        raise ValidationFailed(
            [
                (
                    "evidence",
                    str(_l("The evidence file is larger than %(mb)d MB.", mb=limit // 1048576)),
                )
            ]
        )
    kind = sniff(content)
    if kind is None:
        raise ValidationFailed(
            [("evidence", str(_l("The evidence must be a PDF, PNG or JPEG file.")))]
        )
    return kind


def submit_certificate(
    employee: Employee, user_id: int | None, facts: CertificateFacts, content: bytes
) -> ExternalCertificate:
    """Record a certificate waiting for HR; the evidence file is written only when all is valid."""
    problems = check_facts(facts)
    if problems:
        raise ValidationFailed(problems)
    extension, mime = check_evidence(content)
    assert facts.start is not None and facts.end is not None and facts.jp is not None
    recorded = titles_on_dates([employee.id], facts.start, facts.end)
    same_course = course_key(facts.course)
    duplicate = (employee.id, same_course, facts.end) in recorded or db.session.scalar(
        select(ExternalCertificate.id).where(
            ExternalCertificate.employee_id == employee.id,
            ExternalCertificate.start_date == facts.start,
            ExternalCertificate.status != CertificateStatus.REJECTED,
            ExternalCertificate.course == facts.course,
        )
    )
    if duplicate:
        raise ValidationFailed(
            [("course", str(_l("This course on this date is already in your record.")))]
        )
    name = f"{secrets.token_hex(16)}.{extension}"
    certificate = ExternalCertificate(
        instansi_id=employee.instansi_id,
        employee_id=employee.id,
        course=facts.course,
        provider=facts.provider,
        start_date=facts.start,
        end_date=facts.end,
        jp=round(facts.jp, 2),
        certificate_number=facts.certificate_number,
        mapping_key=facts.code or CERTIFICATE_KEY,
        origin=CertificateOrigin.SELF_REPORT,
        status=CertificateStatus.PENDING,
        evidence_name=name,
        evidence_type=mime,
        evidence_size=len(content),
        submitted_by_id=user_id,
    )
    db.session.add(certificate)
    db.session.flush()
    path = evidence_dir() / name
    path.write_bytes(content)
    try:
        db.session.commit()
    except Exception:
        path.unlink(missing_ok=True)
        raise
    return certificate


def review_certificate(
    certificate: ExternalCertificate, user_id: int | None, verify: bool, note: str
) -> ExternalCertificate:
    """HR verifies (the JP are credited once) or rejects (with a reason) a pending certificate."""
    if certificate.status != CertificateStatus.PENDING:
        raise ServiceError(_l("This certificate was already reviewed."), field="note")
    note = " ".join(note.split())[:1000]
    if not verify and not note:
        raise ValidationFailed([("note", str(_l("Say why the certificate is rejected.")))])
    if verify:
        if certificate.end_date > local_today():
            raise ValidationFailed([("note", str(_l("The end date is in the future.")))])
        record = credit_jp(
            certificate.employee_id,
            certificate.jp,
            LearningSource.CERTIFICATE,
            f"certificate:self:{certificate.id}",
            certificate.end_date,
            certificate.course,
            certificate.certificate_number,
        )
        certificate.learning_record_id = record.id
    certificate.status = CertificateStatus.VERIFIED if verify else CertificateStatus.REJECTED
    certificate.review_note = note
    certificate.verified_by_id = user_id
    certificate.verified_at = utcnow()
    db.session.commit()
    return certificate


def certificates_of(employee_id: int, limit: int = 100) -> list[ExternalCertificate]:
    return list(
        db.session.scalars(
            select(ExternalCertificate)
            .where(ExternalCertificate.employee_id == employee_id)
            .order_by(ExternalCertificate.id.desc())
            .limit(limit)
        )
    )


def pending_of(instansi_id: int, limit: int = 200) -> list[tuple[ExternalCertificate, str, str]]:
    """Pending submissions of an instansi with each employee's name and NIP: one query."""
    rows = db.session.execute(
        select(ExternalCertificate, Employee.name, Employee.nip)
        .join(Employee, Employee.id == ExternalCertificate.employee_id)
        .where(
            ExternalCertificate.instansi_id == instansi_id,
            ExternalCertificate.status == CertificateStatus.PENDING,
        )
        .order_by(ExternalCertificate.id)
        .limit(limit)
    )
    return [(certificate, name, nip) for certificate, name, nip in rows]
