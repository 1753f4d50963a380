"""Real Chromium: the development plan from draft to adoption on the demo.

BKPSDM refreshes Kota Dumai's draft from the needs, edits an item, sends the plan for review and
submits it to the PPK; a Plt of the Sekretaris Daerah (the official the Wali Kota delegates
adoption to) is refused; the Sekretaris Daerah adopts it with the decree number.
"""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.org.models import Employee, Position
from app.planning import services
from app.planning.audit import PlanActor
from app.planning.models import Plan, PlanItem, PlanSettings
from tests.e2e.conftest import log_out, login_as

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo_plan(app):  # type: ignore[no-untyped-def]
    """The demo with a draft HR can submit: incomplete or over-budget items are dropped, and
    the head of Bidang Pelayanan Kesehatan is Plt of the Sekretaris Daerah."""
    from tests.unit.training.factories import make_delegation

    with app.app_context():
        seed_demo(total_employees=120)
        settings = db.session.scalar(select(PlanSettings))
        plan = db.session.scalar(
            select(Plan).where(Plan.instansi_id == settings.instansi_id).order_by(Plan.year.desc())
        )
        revision = services.latest_revision(plan.id)
        over = {use.line.id for use in services.budget_problems(revision.id)}
        keep = {
            item.id
            for item in db.session.scalars(
                select(PlanItem).where(PlanItem.revision_id == revision.id)
            )
            if not services.missing_parts(item) and item.budget_line_id not in over
        }
        services.apply_choice(revision, keep, "Di luar prioritas tahun ini", PlanActor(None, "HR"))
        assert not services.budget_problems(revision.id) and keep
        plt = db.session.scalar(
            select(Employee)
            .join(Position, Position.id == Employee.position_id)
            .where(Position.name == "Kepala Bidang Pelayanan Kesehatan")
        )
        make_delegation(settings.ppk_position_id, plt)
        plan_id = plan.id
        db.session.commit()
        db.session.remove()
    return plan_id


def test_hr_drafts_edits_submits_plt_is_refused_ppk_adopts(page, demo_plan):
    login_as(page, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/planning/")
    page.locator(f"a[href='/planning/{demo_plan}']").first.click()
    page.wait_for_selector("#item-table")

    # Drafting runs as a job: without a broker it has finished when the page comes back.
    page.get_by_role("button", name="Perbarui dari kebutuhan").click()
    page.wait_for_selector("text=Rancangan disusun dari")
    plan_url = page.url

    # Edit the first item in the plan: a new title, saved with its version.
    page.locator("#item-table tbody a").first.click()
    page.fill("#title", "Bimtek pelayanan prima bagi petugas puskesmas")
    page.get_by_role("button", name="Simpan", exact=True).click()
    page.wait_for_selector("text=Kegiatan disimpan.")

    page.goto(plan_url)
    page.get_by_role("button", name="Kirim untuk direviu BKPSDM").click()
    page.wait_for_selector("text=Dikirim untuk direviu BKPSDM.")
    page.get_by_role("button", name="Ajukan kepada PPK").click()
    page.wait_for_selector("text=Diajukan kepada PPK.")
    log_out(page)

    # The Plt sees the plan and the adoption page, and is refused with the rule.
    login_as(page, f"atasan@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(plan_url)
    page.get_by_role("link", name="Tetapkan rencana").click()
    page.fill("#decree_number", "800/99/PLT/2026")
    page.get_by_role("button", name="Tetapkan", exact=True).click()
    page.wait_for_selector("text=Plt/Plh")
    assert "Ditetapkan" not in page.locator("h1 + p").inner_text()
    log_out(page)

    # The Sekretaris Daerah, definitive, adopts.
    login_as(page, f"sekda@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(plan_url)
    page.get_by_role("link", name="Tetapkan rencana").click()
    page.fill("#decree_number", "800/12/BKPSDM/2026")
    page.get_by_role("button", name="Tetapkan", exact=True).click()
    page.wait_for_selector("text=Rencana telah ditetapkan.")
    assert "Ditetapkan" in page.locator("h1 + p").inner_text()
