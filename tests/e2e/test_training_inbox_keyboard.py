"""The approvals inbox by keyboard only, in Chromium (the demo head of Dinas Kesehatan).

Focus moves only with Tab / Shift+Tab, choices with the arrow keys and Space, actions with Enter;
every focused control shows its focus ring. A row is approved with its own button and the
result message takes the focus after the htmx swap; a row rejected without a reason is refused
in place (the reason takes the focus), then rejected with one; two rows are ticked and rejected
in bulk with a reason. The same inbox then collapses to cards at 320 px. The page fixture runs
axe-core on every load and swap and fails on console errors.
"""

from __future__ import annotations

import re

import pytest

from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD
from tests.e2e.conftest import login_as
from tests.e2e.test_surveys_keyboard import active, button, tab_to
from tests.e2e.test_training_approval import demo, pending  # noqa: F401 - the seeded demo

pytestmark = pytest.mark.e2e


def focused_row(page) -> str:  # type: ignore[no-untyped-def]
    """The id of the inbox row holding the focused element ('' when none)."""
    return page.evaluate(
        "() => { const r = document.activeElement && document.activeElement.closest('tr');"
        " return r ? r.id : ''; }"
    )


def focus_ring(page) -> None:  # type: ignore[no-untyped-def]
    ring = page.evaluate(
        "() => { const s = getComputedStyle(document.activeElement);"
        " return [s.outlineStyle, parseFloat(s.outlineWidth)]; }"
    )
    assert ring[0] != "none" and ring[1] >= 2, ring


def test_inbox_by_keyboard_only(page, demo):  # noqa: F811
    login_as(page, f"kepala.dinkes@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/training/inbox")
    page.wait_for_selector("h1:has-text('Persetujuan pelatihan')")
    start = pending(page)
    assert start >= 4

    # Approve the first row with its own button: the result takes the focus after the swap.
    page.evaluate("window.__marker = 'inbox'")
    tab_to(page, "e.tagName === 'BUTTON' && e.textContent.trim() === 'Setujui'")
    first = focused_row(page)
    name = page.locator(f"#{first} td").nth(1).locator("a").inner_text()
    page.keyboard.press("Enter")
    result = page.locator("#row-result")
    result.wait_for()
    assert result.inner_text().startswith(f"{name}: ")
    assert active(page, "id") == "row-result"
    assert page.evaluate("window.__marker") == "inbox"  # swapped, not reloaded
    assert pending(page) == start - 1
    assert page.locator(f"#{first}").count() == 0

    # Reject the next row: open its details with Enter, send without a reason: refused in place.
    tab_to(page, "e.tagName === 'SUMMARY'")
    row = focused_row(page)
    nomination = row.removeprefix("inbox-row-")
    page.keyboard.press("Enter")
    assert page.locator(f"#{row} details").get_attribute("open") is not None
    tab_to(page, f"e.id === 'reason-{nomination}'")
    page.keyboard.press("Tab")  # the comment
    assert active(page, "id") == f"comment-{nomination}"
    page.keyboard.press("Shift+Tab")  # back to the reason, then forward past it again
    assert active(page, "id") == f"reason-{nomination}"
    focus_ring(page)
    button(page, "Tolak")
    page.locator(f"#reason-{nomination}-error").wait_for()
    assert active(page, "id") == f"reason-{nomination}"  # the refused field has the focus
    assert pending(page) == start - 1
    # Choose a reason with the arrow keys and send again.
    page.keyboard.press("ArrowDown")
    assert page.locator(f"#reason-{nomination}").input_value() != ""
    button(page, "Tolak")
    page.locator("#row-result").wait_for()
    page.wait_for_function(f"() => !document.getElementById('{row}')")
    assert pending(page) == start - 2

    # Bulk: tick two rows with Space, give the reason, reject the selected.
    ticked = []
    for _ in range(2):
        tab_to(page, f"e.name === 'items' && !{ticked!r}.includes(e.id)")
        page.keyboard.press("Space")
        ticked.append(active(page, "id"))
        assert page.locator(f"#{ticked[-1]}").is_checked()
    tab_to(page, "e.id === 'reason'")
    page.keyboard.press("ArrowDown")
    focus_ring(page)
    assert page.locator("#reason").input_value() != ""
    button(page, "Tolak yang dipilih")
    bulk = page.locator("#bulk-result")
    bulk.wait_for()
    assert re.search(r"\b2 usulan ditolak", bulk.inner_text())
    assert active(page, "id") == "bulk-result"
    assert pending(page) == start - 4
    assert page.evaluate("window.__marker") == "inbox"


def test_inbox_rows_are_cards_at_320_px(page, demo):  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, f"kepala.dinkes@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/training/inbox")
    page.wait_for_selector("#inbox-table tbody tr")
    width = page.evaluate("() => document.documentElement.scrollWidth")
    assert width <= 320, width
    row = page.locator("#inbox-table tbody tr").first
    assert row.evaluate("r => getComputedStyle(r).display") == "block"
    labels = row.locator("td").evaluate_all(
        "cells => cells.map(c => getComputedStyle(c, '::before').content)"
    )
    assert '"Keputusan"' in labels and '"Program"' in labels
