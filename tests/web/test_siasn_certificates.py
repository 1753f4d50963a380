"""Certificate pages: HR import with preview and confirmation, employee submission, HR review."""

from __future__ import annotations

import io

from sqlalchemy import func, select

from app.extensions import db
from app.learning.models import LearningRecord
from app.siasn.models import CertificateStatus, ExternalCertificate
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS
from tests.unit.siasn.factories import PDF, submitted_certificate

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
HEADER = "NIP;NAMA_KURSUS;PENYELENGGARA;TANGGAL_MULAI;TANGGAL_SELESAI;JP;NOMOR_SERTIFIKAT"


def _file(world, *extra: str) -> bytes:  # type: ignore[no-untyped-def]
    rows = [
        HEADER,
        f"{world.staff.nip};Literasi Digital;LAN RI;02-03-2025;04-03-2025;12;LMS-1",
        f"{world.staff2.nip};Manajemen ASN;LMS ASN;02-03-2025;03-03-2025;2000;LMS-2",
        *extra,
    ]
    return "\n".join(rows).encode()


def _count(app, model) -> int:  # type: ignore[no-untyped-def]
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(model)) or 0


def test_import_preview_then_confirm(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/siasn/import")
    page = client.get("/siasn/import")
    assert page.status_code == 200 and 'id="import-panel"' in page.get_data(as_text=True)
    partial = client.get("/siasn/import", headers=PARTIAL).get_data(as_text=True)
    assert "<html" not in partial and 'id="import-panel"' in partial
    preview = client.post(
        "/siasn/import",
        data={"csrf_token": token, "file": (io.BytesIO(_file(world)), "lms.csv")},
        content_type="multipart/form-data",
    )
    html = preview.get_data(as_text=True)
    assert preview.status_code == 200 and "1000" in html  # the JP reason of line 3
    assert _count(app, LearningRecord) == 0
    action = html.split('action="/siasn/import/')[1].split('"')[0]
    confirmed = client.post(f"/siasn/import/{action}", data={"csrf_token": token})
    assert confirmed.status_code == 303
    assert _count(app, LearningRecord) == 1 and _count(app, ExternalCertificate) == 1
    replay = client.post(f"/siasn/import/{action}", data={"csrf_token": token})
    assert replay.status_code == 303 and _count(app, LearningRecord) == 1


def test_import_refuses_a_wrong_file_with_422(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/siasn/import")
    wrong = client.post(
        "/siasn/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"A;B\n1;2"), "lms.csv")},
        content_type="multipart/form-data",
        headers=PARTIAL,
    )
    assert wrong.status_code == 422 and "NOMOR_SERTIFIKAT" in wrong.get_data(as_text=True)
    exe = client.post(
        "/siasn/import",
        data={"csrf_token": token, "file": (io.BytesIO(b"MZ"), "lms.exe")},
        content_type="multipart/form-data",
    )
    assert exe.status_code == 422


def test_employee_submits_and_hr_verifies(app, client, world):
    login(client, ROLE_EMAILS["employee"])
    token = csrf_token(client, "/siasn/my-certificates")
    assert client.get("/siasn/my-certificates", headers=PARTIAL).status_code == 200
    fields = {
        "csrf_token": token,
        "course": "Kursus Pelayanan Publik",
        "provider": "LMS ASN",
        "start_date": "2025-05-05",
        "end_date": "2025-05-06",
        "jp": "10",
        "certificate_number": "LMS-77",
    }
    bad = client.post(
        "/siasn/my-certificates",
        data={**fields, "evidence": (io.BytesIO(b"MZ not a pdf"), "sertifikat.pdf")},
        content_type="multipart/form-data",
    )
    assert bad.status_code == 422 and 'id="evidence-error"' in bad.get_data(as_text=True)
    before = client.post(
        "/siasn/my-certificates",
        data={**fields, "end_date": "2025-05-01", "evidence": (io.BytesIO(PDF), "s.pdf")},
        content_type="multipart/form-data",
        headers=PARTIAL,
    )
    assert before.status_code == 422 and "<html" not in before.get_data(as_text=True)
    good = client.post(
        "/siasn/my-certificates",
        data={**fields, "evidence": (io.BytesIO(PDF), "s.pdf")},
        content_type="multipart/form-data",
    )
    assert good.status_code == 303
    with app.app_context():
        certificate = db.session.scalar(select(ExternalCertificate))
        certificate_id = certificate.id
        db.session.remove()
    own = client.get(f"/siasn/certificates/{certificate_id}/evidence")
    assert own.status_code == 200 and own.data == PDF
    assert own.headers["X-Content-Type-Options"] == "nosniff" and own.mimetype == "application/pdf"
    own.close()
    hr = app.test_client()
    login(hr, ROLE_EMAILS["hr_admin"])
    hr_token = csrf_token(hr, "/siasn/profile")
    listing = hr.get("/siasn/certificates")
    assert "Kursus Pelayanan Publik" in listing.get_data(as_text=True)
    assert hr.get("/siasn/certificates", headers=PARTIAL).status_code == 200
    review = f"/siasn/certificates/{certificate_id}"
    assert hr.get(review, headers=PARTIAL).status_code == 200
    no_reason = hr.post(review, data={"csrf_token": hr_token, "decision": "reject", "note": ""})
    assert no_reason.status_code == 422
    verified = hr.post(review, data={"csrf_token": hr_token, "decision": "verify"})
    assert verified.status_code == 303
    again = hr.post(review, data={"csrf_token": hr_token, "decision": "verify"}, headers=PARTIAL)
    assert again.status_code == 422
    with app.app_context():
        certificate = db.session.get(ExternalCertificate, certificate_id)
        assert certificate.status == CertificateStatus.VERIFIED
        assert db.session.scalar(select(func.count()).select_from(LearningRecord)) == 1


def test_evidence_is_hidden_from_colleagues(app, client, world):
    with app.app_context():
        certificate_id = submitted_certificate(world.staff.id).id
        db.session.remove()
    login(client, ROLE_EMAILS["mentor"])  # another employee of the same instansi
    assert client.get(f"/siasn/certificates/{certificate_id}/evidence").status_code == 404
    assert client.get(f"/siasn/certificates/{certificate_id}").status_code == 403
