"""Real Chromium at 320 px: HR marks a whole roster present and completed in one htmx request.

The roster's rows are cards on a phone; "select all" ticks every row (the checkboxes belong to
the bulk form through their form attribute), one save applies attendance and completion to all,
the table is swapped without a reload and every row gets its certificate number and PDF link.
"""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.org.models import Employee, Instansi
from app.training.models import Attendance
from tests.e2e.conftest import login_as
from tests.unit.training.factories import approved_participation, make_event, make_program

pytestmark = pytest.mark.e2e


@pytest.fixture
def roster(app):  # type: ignore[no-untyped-def]
    with app.app_context():
        seed_demo(total_employees=60)
        instansi = db.session.scalars(select(Instansi).order_by(Instansi.id)).first()
        program = make_program(instansi.id, code="E2E-01", title="Pelatihan Pelayanan Prima")
        event = make_event(program, start=local_today() - timedelta(days=2), days=2)
        people = db.session.scalars(
            select(Employee)
            .where(Employee.instansi_id == instansi.id)
            .order_by(Employee.id)
            .limit(3)
        ).all()
        for person in people:
            approved_participation(event, person, Attendance.UNKNOWN)
        db.session.commit()
        event_id = event.id
        db.session.remove()
    return event_id


def test_roster_marks_everyone_at_once_on_a_phone(page, roster):
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/training/events/{roster}/participants")
    page.wait_for_selector("#roster-bulk")
    assert page.evaluate("() => document.documentElement.scrollWidth") <= 320
    row = page.locator("#roster-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    page.evaluate("window.__marker = 'roster'")
    page.get_by_role("link", name="Pilih semua").click()
    page.locator("#roster-table input[name=participants]:checked").first.wait_for()
    assert page.locator("#roster-table input[name=participants]:checked").count() == 3
    page.select_option("#attendance", "present")
    page.select_option("#completion", "completed")
    page.get_by_role("button", name="Simpan untuk yang dipilih").click()
    page.locator("#roster-result").wait_for()
    assert "3 peserta tersimpan" in page.locator("#roster-result").inner_text()
    assert page.evaluate("window.__marker") == "roster"  # swapped, not reloaded
    assert page.locator("#roster-table a[href$='/certificate.pdf']").count() == 3
    numbers = page.locator("#roster-table input[name$='certificate_number']").evaluate_all(
        "inputs => inputs.map(i => i.value)"
    )
    assert len(set(numbers)) == 3 and all("/BKPSDM/" in n for n in numbers), numbers
