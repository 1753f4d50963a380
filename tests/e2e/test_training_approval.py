"""Real Chromium: the demo head of Dinas Kesehatan works through the approvals inbox.

One nomination is approved from its detail page, one is rejected (first without a reason, which
is refused in place), and the rest are approved in bulk with htmx, without a page reload.
"""

from __future__ import annotations

import re

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from tests.e2e.conftest import follow_menu, login_as

pytestmark = pytest.mark.e2e


@pytest.fixture
def demo(app):
    with app.app_context():
        seed_demo(total_employees=120)
        db.session.remove()


def pending(page) -> int:  # type: ignore[no-untyped-def]
    return int(page.locator("#pending-count").inner_text())


def test_head_of_opd_approves_rejects_and_bulk_approves(page, demo):
    login_as(page, f"kepala.dinkes@{DEMO_DOMAIN}", DEMO_PASSWORD)
    follow_menu(page, "Persetujuan pelatihan")
    page.wait_for_selector("h1:has-text('Persetujuan pelatihan')")
    start = pending(page)
    assert start >= 4

    # Approve one from its detail page: the timeline, then back to the inbox.
    page.locator("#inbox-table tbody a").first.click()
    page.wait_for_selector("#decision-form")
    assert "Menunggu keputusan" in page.locator("#nomination-panel").inner_text()
    page.get_by_role("button", name="Setujui", exact=True).click()
    page.wait_for_selector("text=Keputusan disimpan")
    assert pending(page) == start - 1

    # Reject another: without a reason the panel shows the error in place (htmx, 422).
    page.locator("#inbox-table tbody a").first.click()
    page.wait_for_selector("#decision-form")
    page.evaluate("window.__marker = 'same page'")
    page.get_by_role("button", name="Tolak", exact=True).click()
    page.wait_for_selector("#reason-error")
    assert page.evaluate("window.__marker") == "same page"
    page.select_option("#reason", "workload")
    page.get_by_role("button", name="Tolak", exact=True).click()
    page.wait_for_selector("text=Keputusan disimpan")
    assert pending(page) == start - 2

    # Bulk: select every row of the page, approve them in one htmx request.
    page.evaluate("window.__marker = 'inbox'")
    page.get_by_role("link", name="Pilih semua di halaman ini").click()
    page.locator("#inbox-table input[name=items]:checked").first.wait_for()
    checked = page.locator("#inbox-table input[name=items]:checked").count()
    assert checked == page.locator("#inbox-table input[name=items]").count()
    page.get_by_role("button", name="Setujui yang dipilih").click()
    result = page.locator("#bulk-result")
    result.wait_for()
    assert re.search(rf"\b{checked} usulan disetujui", result.inner_text())
    assert page.evaluate("window.__marker") == "inbox"  # swapped, not reloaded
    remaining = start - 2 - checked
    assert pending(page) == remaining
    table = page.locator("#inbox-table")
    if remaining == 0:
        assert "Tidak ada yang menunggu keputusan Anda." in table.inner_text()
        assert table.locator("input[name=items]").count() == 0
    else:  # nominations of the next page moved up into the table
        assert "Tidak ada yang menunggu keputusan Anda." not in table.inner_text()
        assert 0 < table.locator("input[name=items]").count() <= remaining


def test_inbox_fits_a_phone(page, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, f"kepala.dinkes@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/training/inbox")
    page.wait_for_selector("#inbox-table")
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
