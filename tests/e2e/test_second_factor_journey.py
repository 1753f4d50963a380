"""Real Chromium at 320 px: an HR administrator sets up the TOTP second factor from the account
page (QR code or typed key), keeps the recovery codes, then logs in with password and code.
The QR code is a plain SVG image: the strict CSP reports nothing."""

from __future__ import annotations

import pyotp
import pytest

from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import finish_checks, log_out, login_as, open_context, watch

pytestmark = pytest.mark.e2e


def test_hr_sets_up_the_second_factor_and_logs_in_with_it(browser, live_server, world, clock):
    context = open_context(browser, live_server, width=320, height=640)
    page = context.new_page()
    checks = watch(page)
    login_as(page, "hr@test.example", TEST_PASSWORD)
    page.goto("/account")
    page.get_by_role("link", name="Atur atau kelola kode dari aplikasi di ponsel Anda").click()
    page.get_by_role("button", name="Atur faktor kedua").click()
    qr = page.locator("img.qr-code")
    qr.wait_for()
    assert page.evaluate("(img) => img.complete && img.naturalWidth > 0", qr.element_handle())
    secret = page.locator("code.secret-key").inner_text().strip()
    page.fill("#code", pyotp.TOTP(secret).at(clock.now.timestamp()))
    page.get_by_role("button", name="Aktifkan").click()
    page.get_by_role("heading", name="Kode pemulihan Anda").wait_for()
    assert page.locator("ul.recovery-codes li").count() == 10
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
    log_out(page)

    clock.advance(seconds=30)
    page.fill("#login", "hr@test.example")
    page.fill("#password", TEST_PASSWORD)
    page.click("button[type=submit]")
    page.get_by_role("heading", name="Faktor kedua").wait_for()
    page.fill("#code", pyotp.TOTP(secret).at(clock.now.timestamp()))
    page.click("button[type=submit]")
    page.wait_for_selector("h1[data-home-role]")
    problems = finish_checks(page, checks)
    context.close()
    assert not problems, "\n".join(problems)
