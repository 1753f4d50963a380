"""A supervisor in Chromium: from the dashboard to a report's competency gaps, then to that
report's development needs; both pages on a 320 px phone, with screenshots in
bench/out/screenshots/supervisor-*.png."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from app.access.policy import principal_for
from app.accounts.models import User
from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.home.services import direct_reports
from app.needs import analysis, services
from app.needs.models import Competency, CompetencyKind, PositionStandard
from tests.e2e.conftest import login_as

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"


@pytest.fixture
def demo(app):
    """The demo, with HR raising the standard of the supervisor's reports' positions to level 4
    (their pelaksana default of 1 leaves no gap), then recomputing: the reports have needs."""
    with app.app_context():
        seed_demo(total_employees=120)
        supervisor = db.session.scalar(select(User).where(User.email == f"atasan@{DEMO_DOMAIN}"))
        reports = direct_reports(principal_for(supervisor))
        instansi_id = reports[0].instansi_id
        core = db.session.scalars(
            select(Competency.id).where(
                Competency.instansi_id == instansi_id, Competency.kind != CompetencyKind.TECHNICAL
            )
        ).all()
        for position_id in {e.position_id for e in reports if e.position_id is not None}:
            for competency_id in core:
                db.session.add(
                    PositionStandard(
                        position_id=position_id,
                        competency_id=competency_id,
                        required_level=4,
                        valid_from=date(2020, 1, 1),
                    )
                )
        db.session.commit()
        services.recompute(instansi_id, analysis.default_year(instansi_id))
        db.session.remove()


def test_supervisor_opens_a_reports_gaps_and_development_needs(page, demo):
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    login_as(page, f"atasan@{DEMO_DOMAIN}", DEMO_PASSWORD)
    assert page.locator("h1[data-home-role]").get_attribute("data-home-role") == "supervisor"

    reports = page.locator("section.card", has=page.locator("h2:text-is('Bawahan langsung saya')"))
    gaps_link = reports.locator("a[href^='/needs/employees/']").first
    name = gaps_link.locator(".visually-hidden").inner_text().lstrip("· ").strip()
    gaps_link.click()
    page.wait_for_selector(f"h1:has-text('Kesenjangan kompetensi · {name}')")
    assert page.locator("#profile-table tbody tr").count() >= 1
    gaps_url = page.url

    page.get_by_role("link", name=f"Kebutuhan pengembangan {name}").click()
    page.wait_for_selector(f"h1:has-text('Kebutuhan pengembangan · {name}')")
    assert page.locator("#need-table tbody tr[id^='need-']").count() >= 1
    employees = set(page.locator("#need-table td[data-label='Pegawai'] a").all_inner_texts())
    assert employees <= {name}  # only this report's needs
    assert page.locator("#need-table button[name=action]").count() == 0  # read-only
    development_url = page.url

    page.set_viewport_size({"width": 320, "height": 640})
    for url, shot in ((gaps_url, "supervisor-gaps"), (development_url, "supervisor-development")):
        page.goto(url)
        page.wait_for_selector("main h1")
        assert page.evaluate("document.documentElement.scrollWidth") <= 320, shot
        page.screenshot(path=str(SCREENSHOTS / f"{shot}.png"), full_page=True)
