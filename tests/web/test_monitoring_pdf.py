"""The cockpit as a one-page A4 PDF for the leadership meeting: same scope as the page."""

from __future__ import annotations

import io
import shutil
import subprocess

import pytest

from tests.conftest import login
from tests.factories import ROLE_EMAILS
from tests.web.test_monitoring import YEAR, activity  # noqa: F401 (the fixture)


def pdf_text(data: bytes) -> str:
    return subprocess.run(
        ["pdftotext", "-layout", "-", "-"], input=data, capture_output=True, check=True
    ).stdout.decode()


def test_cockpit_pdf_is_one_a4_page(client, activity):  # noqa: F811
    from pypdf import PdfReader

    login(client, ROLE_EMAILS["hr_admin"])
    response = client.get(f"/monitoring/cockpit.pdf?year={YEAR}")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert "attachment" in response.headers["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.data))
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 portrait in pt
    page = client.get(f"/monitoring/?year={YEAR}").get_data(as_text=True)
    assert "/monitoring/cockpit.pdf?" in page  # linked from the cockpit


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_cockpit_pdf_carries_the_figures(client, activity):  # noqa: F811
    login(client, ROLE_EMAILS["hr_admin"])
    text = pdf_text(client.get(f"/monitoring/cockpit.pdf?year={YEAR}").data)
    assert "Kokpit siklus" in text or "Cycle cockpit" in text
    assert "1 / 5" in text  # one of five active employees at 20 JP, as on the page
    assert "Dinas Pendidikan" in text  # HR's breakdown covers every OPD
    assert "Rp10.000.000" in text.replace("\xa0", "")  # the committed budget line


@pytest.mark.skipif(not shutil.which("pdftotext"), reason="poppler-utils is not installed")
def test_head_gets_only_their_subtree_and_outside_is_404(client, activity):  # noqa: F811
    login(client, ROLE_EMAILS["unit_head"])
    text = pdf_text(client.get(f"/monitoring/cockpit.pdf?year={YEAR}").data)
    assert "Dinas Pendidikan" not in text
    assert client.get(f"/monitoring/cockpit.pdf?unit={activity.other_opd.id}").status_code == 404
    employee = client.application.test_client()
    login(employee, ROLE_EMAILS["employee"])
    assert employee.get("/monitoring/cockpit.pdf").status_code == 403


def test_the_demo_cockpit_still_fits_one_page(app, client):
    from pypdf import PdfReader

    from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
    from app.extensions import db

    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()
    login(client, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    response = client.get("/monitoring/cockpit.pdf")
    assert response.status_code == 200
    assert len(PdfReader(io.BytesIO(response.data)).pages) == 1
