"""The stakeholder consultation (c) by keyboard only, in Chromium: every control is reached with
Tab, radios are chosen with the arrow keys, boxes ticked with Space, pages turned with Enter,
and the focused control always shows its focus ring. A page refused for a missing answer
moves the focus to its error summary. The page fixture also runs axe-core on
each page and fails on console errors."""

from __future__ import annotations

import pytest

from tests.e2e.test_surveys_stakeholder import setup  # noqa: F401 - the same open campaign

pytestmark = pytest.mark.e2e

MAX_TABS = 250


def active(page, prop: str) -> str:  # type: ignore[no-untyped-def]
    return page.evaluate(f"() => (document.activeElement && document.activeElement.{prop}) || ''")


def tab_to(page, test: str) -> None:  # type: ignore[no-untyped-def]
    """Press Tab until the focused element passes `test` (a JS expression over `e`)."""
    for _ in range(MAX_TABS):
        page.keyboard.press("Tab")
        if page.evaluate(f"() => {{ const e = document.activeElement; return !!e && ({test}); }}"):
            ring = page.evaluate("() => getComputedStyle(document.activeElement).outlineStyle")
            assert ring != "none", f"no visible focus on {test}"
            return
    raise AssertionError(f"Tab never reached {test} on {page.url}")


def choose(page, option_id: str) -> None:  # type: ignore[no-untyped-def]
    """Tab into the radio group of `option_id`, then arrow down to that option."""
    prefix = option_id.rsplit("--", 1)[0] + "--"
    tab_to(page, f"e.type === 'radio' && e.id.startsWith('{prefix}')")
    for _ in range(30):
        if active(page, "id") == option_id:
            break
        page.keyboard.press("ArrowDown")
    assert active(page, "id") == option_id
    page.keyboard.press("Space")  # the focused radio is checked by the arrows already; harmless


def tick(page, box_id: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"e.id === '{box_id}'")
    page.keyboard.press("Space")


def button(page, label: str) -> None:  # type: ignore[no-untyped-def]
    tab_to(page, f"e.tagName === 'BUTTON' && e.textContent.trim() === '{label}'")
    page.keyboard.press("Enter")


def test_consultation_by_keyboard_only(page, setup):  # noqa: F811
    page.set_viewport_size({"width": 320, "height": 640})
    page.goto(f"/i/{setup['invitation']}")
    tab_to(page, "e.id === 'q-nama_lembaga'")
    page.keyboard.type("Universitas Lancang Kuning")
    button(page, "Berikutnya")
    page.wait_for_url("**/p/layanan")
    button(page, "Berikutnya")  # nothing ticked: refused, and the summary takes the focus
    page.locator(".error-summary").wait_for()
    assert page.evaluate("() => document.activeElement.classList.contains('error-summary')")
    page.keyboard.press("Tab")  # the summary's first link comes next
    assert active(page, "tagName") == "A" and active(page, "hash").startswith("#q-")
    tick(page, "q-layanan_digunakan--2")
    tick(page, "q-layanan_digunakan--3")
    page.locator("#q-layanan_utama").wait_for()  # revealed by the two ticks
    choose(page, "q-layanan_utama--2")
    choose(page, "q-frekuensi--2")
    choose(page, "q-kepuasan--4")
    choose(page, "q-pernah_mengadu--1")
    button(page, "Berikutnya")
    page.wait_for_url("**/p/prioritas")
    choose(page, "q-prioritas_1--1")
    choose(page, "q-prioritas_2--0")
    choose(page, "q-prioritas_3--5")
    button(page, "Berikutnya")
    page.wait_for_url("**/p/kompetensi_aparatur")
    for row in ("m01", "m02", "m03", "m04", "m05", "m06", "m07", "m08", "sk01"):
        choose(page, f"q-kepentingan-{row}-imp--5")
    button(page, "Berikutnya")
    page.wait_for_url("**/p/saran")
    tab_to(page, "e.id === 'q-saran_layanan'")
    page.keyboard.type("Perbanyak layanan daring.")
    button(page, "Periksa jawaban saya")
    page.wait_for_url("**/review")
    button(page, "Kirim jawaban saya")
    page.wait_for_url("**/done")
    assert "Terima kasih" in page.inner_text("h1")
