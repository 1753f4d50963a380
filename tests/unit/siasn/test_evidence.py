"""Employees' own certificates: evidence type sniffed, size limited, HR verifies once."""

from __future__ import annotations

from datetime import date

import pytest
from flask_babel import force_locale
from sqlalchemy import func, select

from app.errors import ServiceError, ValidationFailed
from app.extensions import db
from app.learning.models import LearningRecord, LearningSource
from app.siasn import evidence
from app.siasn.certificates import CertificateFacts
from app.siasn.models import CertificateStatus
from tests.factories import build_world
from tests.unit.siasn.factories import PDF, submitted_certificate

PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 40
JPEG = b"\xff\xd8\xff\xe0" + b"\0" * 40


@pytest.fixture
def world(ctx):  # type: ignore[no-untyped-def]
    with force_locale("en"):
        yield build_world()


def _facts(**changes: object) -> CertificateFacts:
    values = {
        "course": "Kursus",
        "provider": "LAN",
        "start": date(2025, 3, 2),
        "end": date(2025, 3, 4),
        "jp": 6.0,
        "certificate_number": "C-1",
        "code": "",
    }
    values.update(changes)
    return CertificateFacts(**values)  # type: ignore[arg-type]


def test_sniffing_recognises_pdf_png_jpeg_only():
    assert evidence.sniff(PDF) == ("pdf", "application/pdf")
    assert evidence.sniff(PNG) == ("png", "image/png")
    assert evidence.sniff(JPEG) == ("jpg", "image/jpeg")
    assert evidence.sniff(b"MZ\x90\x00 an exe renamed to .pdf") is None
    assert evidence.sniff(b"<html><script>") is None


def test_bad_evidence_and_bad_facts_are_refused_beside_their_field(
    app, world, monkeypatch, tmp_path
):
    monkeypatch.setitem(app.config, "INSTANCE_DIR", str(tmp_path))
    staff = world.staff
    with pytest.raises(ValidationFailed) as refused:
        evidence.submit_certificate(staff, None, _facts(), b"GIF89a not allowed")
    assert refused.value.problems[0][0] == "evidence"
    monkeypatch.setitem(app.config, "SIASN_EVIDENCE_MAX_BYTES", 1024 * 1024)
    with pytest.raises(ValidationFailed, match="larger than 1 MB"):
        evidence.submit_certificate(staff, None, _facts(), PDF + b"\0" * (1024 * 1024))
    with pytest.raises(ValidationFailed) as refused:
        evidence.submit_certificate(staff, None, _facts(jp=0.0, end=date(2025, 3, 1)), PDF)
    assert {name for name, _ in refused.value.problems} == {"jp", "end_date"}
    assert not list(evidence.evidence_dir().glob("*"))  # nothing was stored


def test_verify_credits_the_jp_once_and_reject_needs_a_reason(world):
    certificate = submitted_certificate(world.staff.id)
    path = evidence.evidence_path(certificate)
    assert (
        path is not None
        and path.read_bytes() == PDF
        and certificate.evidence_type == "application/pdf"
    )
    with pytest.raises(ValidationFailed):
        evidence.submit_certificate(world.staff, None, _facts(course="Literasi Digital"), PDF)
    evidence.review_certificate(certificate, None, True, "")
    assert certificate.status == CertificateStatus.VERIFIED
    record = db.session.get(LearningRecord, certificate.learning_record_id)
    assert record.source == LearningSource.CERTIFICATE and record.jp == 12
    with pytest.raises(ServiceError):
        evidence.review_certificate(certificate, None, True, "")
    assert db.session.scalar(select(func.count()).select_from(LearningRecord)) == 1
    other = submitted_certificate(world.staff2.id, course="Kursus Lain")
    with pytest.raises(ValidationFailed):
        evidence.review_certificate(other, None, False, "  ")
    evidence.review_certificate(other, None, False, "The certificate is not legible.")
    assert other.status == CertificateStatus.REJECTED and other.learning_record_id is None
    assert [c.id for c, _, _ in evidence.pending_of(world.a.id)] == []
