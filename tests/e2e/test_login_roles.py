"""Real Chromium logs in as each demo role and lands on that role's home page."""

from __future__ import annotations

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_LOGINS, DEMO_PASSWORD, seed_demo
from app.extensions import db
from tests.e2e.conftest import login_as

pytestmark = pytest.mark.e2e

EXPECTED_HOME = {
    "admin": "sysadmin",
    "bkpsdm": "hr_admin",
    "kepala.dinkes": "unit_head",
    "atasan": "supervisor",
    "pegawai": "employee",
    "mentor": "mentor",
    "mitra": "stakeholder",
    "sekda": "unit_head",  # heads the Setda; adopts the plan for the PPK
}


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()


def test_every_demo_role_sees_its_home_page(page, demo):
    assert set(EXPECTED_HOME) == set(DEMO_LOGINS)
    for login, role in EXPECTED_HOME.items():
        page.goto("/login")
        page.fill("#login", f"{login}@{DEMO_DOMAIN}")
        page.fill("#password", DEMO_PASSWORD)
        page.click("button[type=submit]")
        heading = page.locator("h1[data-home-role]")
        assert heading.get_attribute("data-home-role") == role, login
        page.get_by_role("button", name="Keluar").click()
        assert page.url.endswith("/login")


def test_login_error_is_shown_in_place_and_page_fits_a_phone(page, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto("/login")
    page.fill("#login", f"pegawai@{DEMO_DOMAIN}")
    page.fill("#password", "not the password")
    page.click("button[type=submit]")
    alert = page.locator(".error-summary")
    assert "salah" in alert.inner_text()
    # swapped in by htmx, the summary takes the focus ([autofocus] in the new content)
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320


def test_htmx_search_updates_the_table_without_reload(page, demo):
    login_as(page, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/employees")
    page.evaluate("window.__marker = 1")
    page.fill("#q", "zzzz-nobody")
    page.wait_for_selector("text=Tidak ada pegawai yang cocok.")
    assert page.evaluate("window.__marker") == 1  # same page: the table was swapped, not reloaded
