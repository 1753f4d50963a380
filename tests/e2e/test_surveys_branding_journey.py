"""Real Chromium: HR uploads the Pemda's logo through the form, then a respondent's survey page
shows it in the header (loaded under the strict CSP), without the staff chrome, at 320 px.
The page fixture runs axe-core on each page and fails on console errors."""

from __future__ import annotations

import pytest

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_out, login_as
from tests.e2e.test_surveys_stakeholder import setup  # noqa: F401 - the same open campaign
from tests.factories import ROLE_EMAILS
from tests.web.matrix.surveys import png_logo

pytestmark = pytest.mark.e2e


def test_hr_uploads_a_logo_and_respondents_see_it(page, setup, tmp_path):  # noqa: F811
    logo = tmp_path / "logo.png"
    logo.write_bytes(png_logo(96, 48, "darkgreen"))
    svg = tmp_path / "logo.svg"
    svg.write_text('<svg xmlns="http://www.w3.org/2000/svg"></svg>')
    login_as(page, ROLE_EMAILS["hr_admin"], TEST_PASSWORD)
    page.goto("/surveys/branding")
    page.fill("#display_name", "Pemerintah Kota Uji")
    page.set_input_files("#logo", str(svg))
    page.get_by_role("button", name="Simpan").click()
    page.locator(".error-summary").wait_for()  # refused, and the summary has the focus
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    page.set_input_files("#logo", str(logo))
    page.get_by_role("button", name="Simpan").click()
    page.locator(".brand-preview img").wait_for()
    log_out(page)
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/s/{setup['public']}")
    header = page.locator("header.respondent-header")
    assert "Pemerintah Kota Uji" in header.inner_text()
    assert page.locator("nav.nav-menu").count() == 0
    image = header.locator("img")
    image.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth === 96", image.element_handle())
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
