"""HR runs the needs analysis in Chromium: recompute, heatmap drill-down, explain, accept."""

from __future__ import annotations

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from tests.e2e.conftest import login_as

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()


def test_hr_recomputes_drills_down_explains_and_accepts(page, demo):
    login_as(page, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/needs/")
    page.get_by_role("button", name="Hitung ulang dari jawaban asli").click()
    page.wait_for_selector("text=Analisis dihitung ulang")  # on the recompute job's page
    page.get_by_role("link", name="Buka analisis").first.click()
    page.wait_for_url("**/needs/**")

    page.get_by_role("link", name="Peta panas").click()
    page.evaluate("window.__marker = 1")
    page.locator("#heatmap-table th a", has_text="Dinas Kesehatan").click()
    page.wait_for_selector("text=Subunit Dinas Kesehatan")
    assert page.evaluate("window.__marker") == 1  # swapped by htmx, not reloaded
    page.locator("#heatmap-table td.heat a").first.click()
    page.wait_for_selector("h1:has-text('Pegawai di balik angka')")
    page.locator("#employee-table td a[href*='/explain/']").first.click()
    page.wait_for_selector("h1:has-text('Cara skor ini dihitung')")
    assert "Kelompok penilai" in page.inner_text("main")

    page.goto("/needs/development?status=proposed")
    page.evaluate("window.__marker = 2")
    row = page.locator("#need-table tbody tr").first
    row_id = row.get_attribute("id")
    row.get_by_role("button", name="Terima").click()
    page.wait_for_selector(f"#{row_id} .status-accepted")
    assert page.evaluate("window.__marker") == 2


def test_employee_sees_own_gaps_on_a_phone(page, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, f"pegawai@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/needs/me")
    page.wait_for_selector("h1:has-text('Kesenjangan kompetensi')")
    assert page.locator("#profile-table").count() == 1
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
