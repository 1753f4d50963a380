"""Real Chromium: HR runs two budget scenarios, compares them, reads why a need is not
funded, applies one, and the draft plan changes accordingly."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.extensions import db
from app.planning.models import ItemStatus, PlanItem
from tests.e2e.conftest import login_as
from tests.factories import ROLE_EMAILS
from tests.unit.optimiser.factories import drafted

pytestmark = pytest.mark.e2e


def run_scenario(page, name: str, percent: str) -> None:  # type: ignore[no-untyped-def]
    page.fill("#name", name)
    page.fill("#budget_percent", percent)
    page.get_by_role("button", name="Jalankan skenario").click()
    page.wait_for_selector(f"h1:has-text('{name}')")


def test_two_scenarios_compared_and_one_applied(app, page, world):
    with app.app_context():
        revision = drafted(world, budget=2_000_000, cost=1_000_000)
        revision_id, plan_id = revision.id, revision.plan_id
        db.session.remove()
    login_as(page, ROLE_EMAILS["hr_admin"], "correct horse battery")
    page.goto(f"/optimiser/revisions/{revision_id}")
    run_scenario(page, "Anggaran tetap", "100")
    page.get_by_role("link", name="Semua skenario rencana").click()
    run_scenario(page, "Anggaran kurang", "50")
    # Half the budget: one classical seat; the other need is not funded classically and the
    # explanation names the binding rule or the cheaper form.
    page.get_by_role("link", name="Semua", exact=True).click()
    page.wait_for_selector("#choice-list td")
    reasons = page.locator("#choice-list").inner_text()
    assert "Didanai" in reasons
    page.get_by_role("link", name="Semua skenario rencana").click()
    table = page.locator("table.compare").inner_text()
    assert "Anggaran tetap" in table and "Anggaran kurang" in table
    assert "Kesenjangan tertutup" in table
    page.get_by_role("link", name="Anggaran kurang").click()
    page.get_by_role("button", name="Terapkan ke draf rencana").click()
    page.wait_for_url(f"**/planning/{plan_id}")
    assert "Skenario diterapkan" in page.content()
    with app.app_context():
        active = db.session.scalars(
            select(PlanItem).where(
                PlanItem.revision_id == revision_id, PlanItem.status == ItemStatus.ACTIVE
            )
        ).all()
        assert sum(i.total_cost for i in active) <= 1_000_000
        db.session.remove()
