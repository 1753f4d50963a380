"""Certificate numbering settings (HR) and the printable certificate of a completion."""

from __future__ import annotations

import io
import shutil
from datetime import timedelta

import pytest
from pypdf import PdfReader
from sqlalchemy import select

from app.accounts.models import Role
from app.clock import local_today
from app.extensions import db
from app.org.models import Employee
from app.training.models import Attendance, CertificateSetting, Completion
from app.training.services import record_participation
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS, make_user
from tests.unit.training.factories import (
    approved_participation,
    make_event,
    make_program,
    user_actor,
)
from tests.web.test_monitoring_pdf import pdf_text

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}
SETTINGS = "/training/certificates"


def saved_pattern(app) -> str | None:  # type: ignore[no-untyped-def]
    with app.app_context():
        value = db.session.scalar(select(CertificateSetting.pattern))
        db.session.remove()
    return value


def test_hr_sees_the_default_and_saves_a_pattern(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(SETTINGS).get_data(as_text=True)
    assert "<html" in page and 'value="{seq:04d}/BKPSDM/{year}"' in page and "0007/BKPSDM/" in page
    partial = client.get(SETTINGS, headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<form method="post" class="card" id="certificate-form"')
    token = csrf_token(client, SETTINGS)
    response = client.post(SETTINGS, data={"csrf_token": token, "pattern": "SERT/{seq:05d}/{year}"})
    assert response.status_code == 303
    assert saved_pattern(app) == "SERT/{seq:05d}/{year}"
    assert "SERT/00007/" in client.get(SETTINGS).get_data(as_text=True)


def test_bad_patterns_are_422_beside_the_field(app, client, world):
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, SETTINGS)
    for pattern in ("", "BKPSDM/{year}", "{seq}/{nama}", "{seq}<script>", "{seq}" + "A" * 90):
        response = client.post(
            SETTINGS, data={"csrf_token": token, "pattern": pattern}, headers=PARTIAL
        )
        html = response.get_data(as_text=True)
        assert response.status_code == 422, pattern
        assert html.lstrip().startswith("<form") and 'id="pattern-error"' in html
    assert saved_pattern(app) is None


def test_others_may_not_change_the_numbering(app, client, world):
    for role in ("employee", "supervisor", "unit_head", "mentor"):
        login(client, ROLE_EMAILS[role])
        token = csrf_token(client, "/account")
        assert client.get(SETTINGS).status_code == 403
        response = client.post(SETTINGS, data={"csrf_token": token, "pattern": "{seq}"})
        assert response.status_code == 403
        client.post("/logout", data={"csrf_token": token})
    assert saved_pattern(app) is None


@pytest.fixture
def completed(app, world):
    """The staff member completed a started event of instansi A (numbered by the default
    pattern); staff2 is on the same roster, not completed yet."""
    with app.app_context():
        program = make_program(world.a.id, title="Pelatihan Pelayanan Publik")
        event = make_event(program, start=local_today() - timedelta(days=3), days=2)
        done = approved_participation(event, db.session.get(Employee, world.staff.id))
        waiting = approved_participation(event, db.session.get(Employee, world.staff2.id))
        db.session.commit()
        record_participation(
            user_actor(ROLE_EMAILS["hr_admin"]), done, Attendance.PRESENT, Completion.COMPLETED, ""
        )
        ids = {
            "done": done.id,
            "waiting": waiting.id,
            "event": event.id,
            "number": done.certificate_number,
            "nip": db.session.get(Employee, world.staff.id).nip_display,
            "year": event.end_date.year,
            "staff": world.staff.id,
        }
        db.session.remove()
    return ids


def pdf_of(client, participation_id: int):  # type: ignore[no-untyped-def]
    return client.get(f"/training/participations/{participation_id}/certificate.pdf")


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
@pytest.mark.parametrize("role", ["employee", "hr_admin"])
def test_participant_and_hr_download_the_certificate(client, completed, role):
    login(client, ROLE_EMAILS[role])
    response = pdf_of(client, completed["done"])
    assert response.status_code == 200 and response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    text = " ".join(pdf_text(response.data).split())
    assert completed["number"] == f"0001/BKPSDM/{completed['year']}"
    for expected in (
        "Staf Satu",
        completed["nip"],
        "Pelatihan Pelayanan Publik",
        completed["number"],
        "Kota A",
        "24 JP",
        "SERTIFIKAT",
    ):
        assert expected in text, (expected, text)


def test_others_and_unfinished_participations_get_404(app, client, completed, world):
    for role in ("supervisor", "unit_head", "mentor", "employee"):
        login(client, ROLE_EMAILS[role])
        if role != "employee":  # superiors do not print their staff's certificates
            assert pdf_of(client, completed["done"]).status_code == 404, role
        assert pdf_of(client, completed["waiting"]).status_code == 404  # not completed
        assert pdf_of(client, 999999).status_code == 404
        client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    with app.app_context():
        make_user("hr-b@test.example", None, ((Role.HR_ADMIN, world.b.id),), instansi=world.b)
        db.session.commit()
        db.session.remove()
    login(client, "hr-b@test.example")
    assert pdf_of(client, completed["done"]).status_code == 404


def test_certificate_is_linked_from_the_roster_and_the_own_record(client, completed):
    link = f"/training/participations/{completed['done']}/certificate.pdf"
    login(client, ROLE_EMAILS["hr_admin"])
    roster = client.get(f"/training/events/{completed['event']}/participants")
    html = roster.get_data(as_text=True)
    assert link in html and completed["number"] in html
    assert f"/training/participations/{completed['waiting']}/certificate.pdf" not in html
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["employee"])
    year = completed["year"]
    assert link in client.get(f"/learning?year={year}").get_data(as_text=True)
    client.post("/logout", data={"csrf_token": csrf_token(client, "/account")})
    login(client, ROLE_EMAILS["unit_head"])  # the head sees the record, not the download
    staff_record = client.get(f"/learning/employees/{completed['staff']}?year={year}")
    assert staff_record.status_code == 200 and link not in staff_record.get_data(as_text=True)
