"""Real Chromium at phone size: a stakeholder completes the consultation (c) through a personal
invitation link and through the open public link; HR then finds both in results and exports."""

from __future__ import annotations

import csv
import io

import pytest
from sqlalchemy import select

from app.extensions import db
from app.surveys.models import Campaign
from tests.conftest import TEST_PASSWORD, detach
from tests.e2e.conftest import login_as
from tests.factories import build_users, build_world
from tests.web.matrix.surveys import invite, open_campaign
from tests.web.test_surveys_results import stakeholder_answers, store

pytestmark = pytest.mark.e2e

PHONE = {"width": 320, "height": 640}


@pytest.fixture
def setup(app):
    """Kota A with (c) open, one invitation, and five earlier public responses."""
    with app.app_context():
        world = build_world()
        build_users(world)
        campaign = open_campaign(world.a.id)
        token = invite(campaign, "dosen@unilak.example", "akademisi")
        for _ in range(5):
            store(
                campaign,
                stakeholder_answers("masyarakat", 3),
                org_unit_id=world.opd.id,
                stakeholder_group="masyarakat",
            )
        db.session.commit()
        result = {
            "campaign": campaign.id,
            "public": campaign.public_token,
            "invitation": token,
            "opd": world.opd.id,
        }
        detach(world.a)
        db.session.remove()
    return result


def fits_the_phone(page) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= 320, page.url


def answer_consultation(page, first_page_extra) -> None:  # type: ignore[no-untyped-def]
    """Fill (c) page by page by tapping labels, as a phone user does."""
    fits_the_phone(page)
    first_page_extra(page)
    page.get_by_role("button", name="Berikutnya").click()
    page.wait_for_url("**/p/layanan")
    fits_the_phone(page)
    page.locator("label[for='q-layanan_digunakan--2']").click()  # kesehatan
    page.locator("label[for='q-layanan_digunakan--3']").click()  # pendidikan
    # Two services ticked: the server reveals "which one most often" without a reload.
    page.locator("#q-layanan_utama").wait_for()
    page.locator("label[for='q-layanan_utama--2']").click()
    page.locator("label[for='q-frekuensi--2']").click()
    page.locator("label[for='q-kepuasan--4']").click()
    page.locator("label[for='q-pernah_mengadu--1']").click()
    page.get_by_role("button", name="Berikutnya").click()
    page.wait_for_url("**/p/prioritas")
    fits_the_phone(page)
    page.locator("label[for='q-prioritas_1--1']").click()
    page.locator("label[for='q-prioritas_2--1']").click()  # the same aspect twice …
    page.locator("label[for='q-prioritas_3--5']").click()
    page.get_by_role("button", name="Berikutnya").click()
    error = page.locator("#q-prioritas_2-error")  # … is refused beside the field
    assert "berbeda" in error.inner_text()
    assert page.locator("#q-prioritas_1--1").is_checked()  # nothing answered was lost
    page.locator("label[for='q-prioritas_2--0']").click()
    page.get_by_role("button", name="Berikutnya").click()
    page.wait_for_url("**/p/kompetensi_aparatur")
    fits_the_phone(page)
    for row in ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01"):
        page.locator(f"label[for='q-kepentingan-{row}-imp--5']").click()
    page.get_by_role("button", name="Berikutnya").click()
    page.wait_for_url("**/p/saran")
    page.fill("#q-saran_layanan", "Perbanyak layanan daring di puskesmas.")
    page.get_by_role("button", name="Periksa jawaban saya").click()
    page.wait_for_url("**/review")
    fits_the_phone(page)
    assert "Perbanyak layanan daring" in page.inner_text("#survey-review")
    page.get_by_role("button", name="Kirim jawaban saya").click()
    page.wait_for_url("**/done")
    assert "Terima kasih" in page.inner_text("h1")
    fits_the_phone(page)


def test_stakeholder_completes_c_by_invitation_and_public_link(browser, live_server, setup, app):
    context = browser.new_context(base_url=live_server, viewport=PHONE)
    context.set_default_timeout(10_000)
    page = context.new_page()

    page.goto(f"/i/{setup['invitation']}")
    assert page.locator("#q-kelompok--1").is_checked()  # the group comes from the invitation

    def institution(p):  # type: ignore[no-untyped-def]
        p.fill("#q-nama_lembaga", "Universitas Lancang Kuning")

    answer_consultation(page, institution)
    page.goto(f"/i/{setup['invitation']}")
    assert "sudah terkirim" in page.inner_text("h1")  # a single-use link

    public = browser.new_context(base_url=live_server, viewport=PHONE)
    public.set_default_timeout(10_000)
    visitor = public.new_page()
    visitor.goto(f"/s/{setup['public']}")

    def group_and_office(p):  # type: ignore[no-untyped-def]
        p.locator("label[for='q-kelompok--2']").click()  # swasta: the institution field appears
        p.locator("#q-nama_lembaga").wait_for()
        p.fill("#q-nama_lembaga", "Koperasi Nelayan Bahari")
        p.select_option("#q-unit", str(setup["opd"]))
        p.locator("label[for='q-usia--1']").click()

    answer_consultation(visitor, group_and_office)
    public.close()
    context.close()

    staff = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 768})
    hr = staff.new_page()
    login_as(hr, "hr@test.example", TEST_PASSWORD)
    hr.goto(f"/surveys/results?campaign={setup['campaign']}")
    assert "7 respons terkirim dalam pilihan ini." in hr.inner_text("#summary")
    assert hr.locator("#sum-kepuasan svg.bar").count() == 5
    export = hr.request.get(f"/surveys/results/export.csv?campaign={setup['campaign']}")
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    assert len(rows) == 7
    ours = [row for row in rows if row["saran_layanan"] == "Perbanyak layanan daring di puskesmas."]
    assert {row["stakeholder_group"] for row in ours} == {"akademisi", "swasta"}
    assert {row["nama_lembaga"] for row in ours} == {
        "Universitas Lancang Kuning",
        "Koperasi Nelayan Bahari",
    }
    assert all(row["prioritas_2:label"] for row in ours)
    staff.close()
    with app.app_context():
        assert db.session.scalar(select(Campaign.id)) == setup["campaign"]
