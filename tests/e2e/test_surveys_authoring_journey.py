"""Real Chromium: HR uploads an XLSForm with a cascading select and a repeat, previews it on a
phone, publishes it; a stakeholder answers it with JavaScript disabled; the repeat's export has
one row per instance."""

from __future__ import annotations

import csv
import io
from pathlib import Path

import pytest

from app.extensions import db
from app.surveys.models import Audience
from tests.conftest import TEST_PASSWORD, detach
from tests.e2e.conftest import login_as
from tests.factories import build_users, build_world
from tests.web.matrix.surveys import open_campaign
from tests.xlsform_samples import FAMILY_FORM_ID, family_form

pytestmark = pytest.mark.e2e

PHONE = {"width": 360, "height": 740}


@pytest.fixture
def setup(app):
    with app.app_context():
        world = build_world()
        build_users(world)
        db.session.commit()
        instansi_id = world.a.id
        detach(world.a)
        db.session.remove()
    return {"instansi": instansi_id}


def fits(page, width: int) -> None:  # type: ignore[no-untyped-def]
    assert page.evaluate("document.documentElement.scrollWidth") <= width, page.url


def test_hr_authors_previews_publishes_and_a_stakeholder_answers_without_js(
    browser, live_server, setup, app, tmp_path: Path
):
    form_file = tmp_path / "keluarga.xlsx"
    form_file.write_bytes(family_form())

    # HR on a desktop: upload, read the messages, publish after a phone preview
    desk = browser.new_context(base_url=live_server, viewport={"width": 1024, "height": 768})
    desk.set_default_timeout(30_000)
    hr = desk.new_page()
    login_as(hr, "hr@test.example", TEST_PASSWORD)
    hr.goto("/surveys/authoring")
    hr.set_input_files("#file", str(form_file))
    hr.get_by_role("button", name="Unggah dan periksa").click()
    hr.wait_for_url("**/surveys/authoring/drafts/*")
    assert "terimpor tanpa pesan" in hr.inner_text("#draft-issues")
    draft_url = hr.url

    phone = browser.new_context(base_url=live_server, viewport=PHONE)
    phone.set_default_timeout(30_000)
    preview = phone.new_page()
    login_as(preview, "hr@test.example", TEST_PASSWORD)
    preview.goto(draft_url + "/preview")
    assert preview.locator(".phone-frame").is_visible()
    fits(preview, PHONE["width"])
    preview.locator("label:has(input[name=prov][value=riau])").click()
    preview.get_by_role("button", name="Berikutnya").click()
    preview.locator("input[name=kota]").first.wait_for()
    cities = preview.locator("input[name=kota]").evaluate_all("els => els.map(e => e.value)")
    assert cities == ["pekanbaru", "dumai"]  # narrowed to Riau
    fits(preview, PHONE["width"])
    phone.close()

    hr.get_by_role("button", name="Terbitkan sebagai versi baru").click()
    hr.wait_for_url(f"**/surveys/authoring/{FAMILY_FORM_ID}/v/1*")
    assert "kota" in hr.inner_text("#version-diff")

    with app.app_context():
        campaign = open_campaign(
            setup["instansi"],
            definition_id=FAMILY_FORM_ID,
            audience=Audience.STAKEHOLDER,
            title="Survei keluarga 2026",
        )
        db.session.commit()
        public, campaign_id = campaign.public_token, campaign.id
        db.session.remove()

    # a stakeholder on a phone with JavaScript disabled
    nojs = browser.new_context(base_url=live_server, viewport=PHONE, java_script_enabled=False)
    nojs.set_default_timeout(30_000)
    visitor = nojs.new_page()
    visitor.goto(f"/s/{public}")
    visitor.check("input[name=prov][value=jabar]")
    visitor.get_by_role("button", name="Berikutnya").click()
    visitor.wait_for_url("**/p/kota_page")
    cities = visitor.locator("input[name=kota]").evaluate_all("els => els.map(e => e.value)")
    assert cities == ["bandung", "bogor"]
    visitor.check("input[name=kota][value=bogor]")
    visitor.get_by_role("button", name="Berikutnya").click()
    visitor.wait_for_url("**/p/anggota")
    fits(visitor, PHONE["width"])
    visitor.fill("input[name='nama[1]']", "Siti")
    visitor.fill("input[name='umur[1]']", "41")
    visitor.fill("input[name='nama[2]']", "Budi")
    visitor.fill("input[name='umur[2]']", "12")
    visitor.get_by_role("button", name="Berikutnya").click()
    visitor.wait_for_url("**/p/penutup")
    visitor.fill("input[name=saran]", "Tambah posyandu.")
    visitor.get_by_role("button", name="Periksa jawaban saya").click()
    visitor.wait_for_url("**/review")
    assert "Budi" in visitor.inner_text("#survey-review")
    visitor.get_by_role("button", name="Kirim jawaban saya").click()
    visitor.wait_for_url("**/done")
    nojs.close()

    export = hr.request.get(f"/surveys/results/export.csv?campaign={campaign_id}&repeat=anggota")
    rows = list(csv.DictReader(io.StringIO(export.text().lstrip("\ufeff"))))
    assert [(row["instance"], row["nama"], row["umur"]) for row in rows] == [
        ("1", "Siti", "41"),
        ("2", "Budi", "12"),
    ]
    desk.close()
