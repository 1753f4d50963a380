"""Real Chromium: every demo login's home page says what to do next, with a screenshot per role
in bench/out/screenshots/home-<role>.png."""

from __future__ import annotations

from pathlib import Path

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from tests.e2e.conftest import login_as

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"

# login → (home role, selectors that must be on its home page)
EXPECTED = {
    "pegawai": ("employee", ["[data-figure='my-jp']", ".action-list a[href='/my/surveys']"]),
    "atasan": ("supervisor", ["[data-figure='team-jp']", "[data-figure='my-jp']"]),
    "kepala.dinkes": ("unit_head", ["[data-figure='unit-jp']", "[data-figure='team-jp']"]),
    "mentor": ("mentor", [".action-list a[href='/mentoring/mentor']"]),
    "bkpsdm": ("hr_admin", [".action-list li[class^='alert-']", "a[href='/monitoring/']"]),
    "mitra": (
        "stakeholder",
        ["#earlier-input", "[data-figure='stakeholder-priorities'] li", ".action-list a"],
    ),
    "admin": ("sysadmin", []),
}


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()


def test_every_demo_role_sees_its_next_actions(page, demo):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    for login, (role, selectors) in EXPECTED.items():
        login_as(page, f"{login}@{DEMO_DOMAIN}", DEMO_PASSWORD)
        assert page.locator("h1[data-home-role]").get_attribute("data-home-role") == role
        section = page.locator("section.next-actions")
        assert section.locator("#next-title").inner_text() == "Yang perlu dilakukan"
        for selector in selectors:
            assert page.locator(selector).count() >= 1, (role, selector)
        page.screenshot(path=str(SCREENSHOTS / f"home-{role}.png"), full_page=True)
        page.get_by_role("button", name="Keluar").click()
        page.wait_for_url("**/login")
