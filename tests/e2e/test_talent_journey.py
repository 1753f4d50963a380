"""Real Chromium: SKP, box movement, intended position and the IDP's agreement on the demo.

The supervisor assesses the demo employee's SKP of this year below expectations; HR sees the
box move down from last year's; the employee sets an intended position and sees the second
gap; the employee drafts and submits the plan, which the supervisor agrees to.
"""

from __future__ import annotations

from datetime import date

import pytest
from sqlalchemy import select, update

from app.accounts.models import User
from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.talent.models import Predikat, Rating, SkpRating
from tests.e2e.conftest import follow_menu, log_out, login_as

pytestmark = pytest.mark.e2e
YEAR = date.today().year


@pytest.fixture
def demo(app):
    """The demo, with the demo employee rated Sangat Baik last year (so a low SKP moves)."""
    with app.app_context():
        seed_demo(total_employees=120)
        user = db.session.scalars(select(User).where(User.email == f"pegawai@{DEMO_DOMAIN}")).one()
        db.session.execute(
            update(SkpRating)
            .where(SkpRating.employee_id == user.employee_id, SkpRating.year == YEAR - 1)
            .values(hasil_kerja=Rating.ABOVE, perilaku=Rating.ABOVE, predikat=Predikat.SANGAT_BAIK)
        )
        db.session.commit()
        employee_id = user.employee_id
        db.session.remove()
    return employee_id


def test_skp_box_target_and_idp(page, demo):
    employee_id = demo
    # 1. The supervisor assesses this year's SKP from the team list.
    login_as(page, f"atasan@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/talent/skp/team?year={YEAR}")
    page.locator(f"a[href='/talent/skp/employees/{employee_id}/assess?year={YEAR}']").click()
    page.wait_for_selector("#assess-form")
    page.check("#hasil_kerja-2")  # di bawah ekspektasi
    page.check("#perilaku-2")
    page.get_by_role("button", name="Simpan SKP").click()
    page.wait_for_selector("text=SKP tersimpan: Sangat Kurang")
    log_out(page)

    # 2. HR sees the box move down from last year's.
    login_as(page, f"bkpsdm@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto(f"/talent/employees/{employee_id}?year={YEAR}")
    panel = page.locator("#employee-box").inner_text()
    assert "Tahun lalu: kotak" in panel and "↓" in panel
    assert "Sangat Kurang" in panel
    page.goto(f"/talent/boxes?year={YEAR}")
    assert page.locator("svg.nine-box-svg").count() == 1
    log_out(page)

    # 3. The employee sets an intended position and sees the second gap.
    login_as(page, f"pegawai@{DEMO_DOMAIN}", DEMO_PASSWORD)
    follow_menu(page, "Karier saya")
    page.wait_for_selector("#target-page")
    options = page.locator("#position_id option")
    chosen = options.nth(2).get_attribute("value")
    page.select_option("#position_id", chosen)
    page.get_by_role("button", name="Simpan jabatan tujuan").click()
    page.wait_for_selector("text=Jabatan tujuan tersimpan")
    assert "Kesenjangan terhadap jabatan tujuan" in page.locator("#target-gap").inner_text()

    # 4. The employee drafts and submits the plan; the supervisor agrees to it.
    follow_menu(page, "Rencana pengembangan saya")
    page.get_by_role("button", name="Susun rencana dari kebutuhan dan kotak saya").click()
    page.wait_for_selector("text=Rencana disusun")
    page.fill("#title", "MOOC Pelayanan Publik")
    page.fill("#jp_planned", "6")
    page.get_by_role("button", name="Tambah", exact=True).click()
    page.wait_for_selector("text=MOOC Pelayanan Publik")
    page.get_by_role("button", name="Ajukan ke atasan saya").click()
    page.wait_for_selector("text=Rencana dikirim ke atasan Anda")
    log_out(page)

    login_as(page, f"atasan@{DEMO_DOMAIN}", DEMO_PASSWORD)
    follow_menu(page, "Rencana untuk disetujui")
    page.locator("#idp-inbox a").first.click()
    page.check("#decision-0")  # setujui
    page.get_by_role("button", name="Simpan keputusan").click()
    page.wait_for_selector("text=Keputusan disimpan")
    assert "Tidak ada rencana yang menunggu Anda" in page.locator("#idp-inbox").inner_text()
