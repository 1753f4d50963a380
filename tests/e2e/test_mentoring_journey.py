"""Real Chromium: the demo mentor logs a session, the mentee confirms it, the JP total rises."""

from __future__ import annotations

import pytest
from sqlalchemy import select

from app.accounts.models import User
from app.clock import local_today
from app.demo.seed import DEMO_DOMAIN, DEMO_PASSWORD, seed_demo
from app.extensions import db
from app.learning.services import jp_total
from app.mentoring.models import Pairing, PairingState
from app.mentoring.services import jp_for
from tests.e2e.conftest import log_out, login_as

pytestmark = pytest.mark.e2e

TOPIC = "Menyiapkan paparan untuk rapat pimpinan"
MINUTES = 90


@pytest.fixture
def demo(app):
    """The demo data; returns the mentee's name, id and the program's JP rate."""
    with app.app_context():
        seed_demo(total_employees=120)
        mentee = db.session.scalar(
            select(User).where(User.email == f"pegawai@{DEMO_DOMAIN}")
        ).employee
        pairing = db.session.scalar(
            select(Pairing).where(
                Pairing.mentee_id == mentee.id, Pairing.state == PairingState.ACTIVE
            )
        )
        assert pairing is not None, "the demo pairs the demo mentor with pegawai@"
        result = (pairing.id, mentee.id, pairing.program.minutes_per_jp)
        db.session.remove()
    return result


def test_mentor_logs_mentee_confirms_and_jp_rises(app, page, demo):
    pairing_id, mentee_id, minutes_per_jp = demo
    expected = jp_for(MINUTES, minutes_per_jp)

    login_as(page, f"mentor@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.click("a[href='/mentoring/mentor']")
    form = page.locator("#log-session form")
    form.locator("#pairing_id").select_option(str(pairing_id))
    assert form.locator("#held_on").input_value() == local_today().isoformat()
    form.locator("#duration_minutes").fill(str(MINUTES))
    form.locator("#mode").select_option("daring")
    form.locator("#topics").fill(TOPIC)
    page.evaluate("window.__marker = 1")
    form.locator("button[type=submit]").click()
    page.wait_for_selector("#mentor-board .flash-success")
    assert page.evaluate("window.__marker") == 1  # htmx swapped the board, no reload
    assert TOPIC in page.locator("#mentor-board").inner_text()
    log_out(page)

    login_as(page, f"pegawai@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/mentoring/me")
    before = float(page.locator("#jp-total").get_attribute("data-jp"))
    item = page.locator("#sessions-to-confirm li", has_text=TOPIC)
    item.locator("button[type=submit]").click()
    page.wait_for_selector(f"#jp-total[data-jp='{before + expected}']")
    assert page.locator("#sessions-to-confirm li", has_text=TOPIC).count() == 0
    with app.app_context():
        assert jp_total(mentee_id, local_today().year) == pytest.approx(before + expected)
        db.session.remove()

    # Feedback on the instrument: "not working" reveals the follow-up and flags the pairing.
    page.locator("tr", has_text=TOPIC).locator("a[href$='/feedback']").click()
    for item, value in (
        ("manfaat", "3"),
        ("kesiapan_mentor", "2"),
        ("kejelasan_tindak_lanjut", "3"),
    ):
        page.check(f"input[name={item}][value='{value}']")
    assert page.locator("textarea[name=kendala]").count() == 0
    page.check("input[name=berjalan_baik][value=tidak]")
    page.locator("textarea[name=kendala]").fill("Jadwal sesi sering bergeser")
    page.check("input[name=perlu_koordinator][value=ya]")
    page.locator("#feedback-form button[type=submit]").click()
    page.wait_for_url("**/mentoring/me")
    with app.app_context():
        pairing = db.session.get(Pairing, pairing_id)
        assert pairing.flagged_at is not None and pairing.flag_note == "Jadwal sesi sering bergeser"
        db.session.remove()


def test_bad_duration_is_shown_beside_the_field_and_board_fits_a_phone(page, demo):
    page.set_viewport_size({"width": 320, "height": 640})
    login_as(page, f"mentor@{DEMO_DOMAIN}", DEMO_PASSWORD)
    page.goto("/mentoring/mentor")
    form = page.locator("#log-session form")
    form.locator("#duration_minutes").fill("0")
    form.locator("#topics").fill(TOPIC)
    form.locator("button[type=submit]").click()
    error = page.locator("#duration_minutes-error")
    error.wait_for()
    assert error.inner_text()
    assert page.evaluate("document.documentElement.scrollWidth") <= 320
