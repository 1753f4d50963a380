"""Real Chromium: an event ends, the due scan runs, a participant answers the reaction survey
(level 1) from "My surveys"; the clock moves 90 days, the supervisor answers the follow-up
(level 3); the program page shows both."""

from __future__ import annotations

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select

from app.clock import local_today
from app.evaluation.models import EvaluationRequest, Level, RespondentRole
from app.evaluation.scan import run_due
from app.extensions import db
from app.org.models import Employee, EmployeeStatus
from app.surveys.models import Invitation
from tests.conftest import TEST_PASSWORD
from tests.e2e.conftest import log_out, login_as
from tests.factories import ROLE_EMAILS, make_employee
from tests.unit.evaluation.factories import attend, ended_event
from tests.web.test_evaluation_pages import answer, reaction_invitations

pytestmark = pytest.mark.e2e

SCREENSHOTS = Path(__file__).resolve().parents[2] / "bench" / "out" / "screenshots"
OTHERS = 4  # earlier answers, so that with ours the reaction reaches its threshold of 5
COMMENT = "Contoh kasus pelayanan sangat membantu"
SUPERVISOR_VIEW = "Sudah menerapkan alur pengaduan baru di loket"


@pytest.fixture
def ended(app, world, clock):
    """An event that ended yesterday; staff and four colleagues attended; the scan has run."""
    with app.app_context():
        event = ended_event(world, local_today() - timedelta(days=1))
        position = db.session.get(Employee, world.staff.id).position
        others = [make_employee(position, f"Peserta {n}", EmployeeStatus.PNS) for n in range(4)]
        for person in [world.staff, *others]:
            attend(event, person, completed=True)
        result = run_due(local_today())
        db.session.commit()
        assert result.issued == {"reaction": 1 + OTHERS}
        staff_invitation = db.session.scalar(
            select(EvaluationRequest.invitation_id).where(
                EvaluationRequest.level == Level.REACTION,
                EvaluationRequest.respondent_id == world.staff.id,
            )
        )
        for invitation in reaction_invitations():
            if invitation.id != staff_invitation:
                answer(invitation, {"materi.relevan_tugas": 4, "kepuasan_umum": 4})
        db.session.commit()
        ids = {"event": event.id, "program": event.program_id, "staff": world.staff.id}
        db.session.remove()
    return ids


def settled_evaluate(page, script: str):  # type: ignore[no-untyped-def]
    """Evaluate once the page has settled: a navigation still under way (a form post's
    redirect) destroys the context of a script started too early, so wait and try again."""
    from playwright.sync_api import Error

    for _ in range(5):
        page.wait_for_load_state("load")
        try:
            return page.evaluate(script)
        except Error as error:
            if "context was destroyed" not in str(error):
                raise
    return page.evaluate(script)


def fill_visible(page, text: str, value: str = "4") -> None:  # type: ignore[no-untyped-def]
    """Answer every visible question on a survey page that has no answer yet: a rating at
    `value` (else the first choice), the first box of a list, a sentence in a text area."""
    groups = settled_evaluate(
        page,
        """() => {
          const seen = new Map();
          for (const input of document.querySelectorAll('main input[type=radio]')) {
            if (input.offsetParent === null && !input.labels.length) continue;
            const entry = seen.get(input.name) || {ids: [], values: [], checked: false};
            entry.ids.push(input.id); entry.values.push(input.value);
            entry.checked = entry.checked || input.checked;
            seen.set(input.name, entry);
          }
          return [...seen.values()].filter(e => !e.checked);
        }""",
    )
    for group in groups:
        index = group["values"].index(value) if value in group["values"] else 0
        page.locator(f"label[for='{group['ids'][index]}']").click()
    boxes = settled_evaluate(
        page,
        """() => {
          const seen = new Map();
          for (const input of document.querySelectorAll('main input[type=checkbox]')) {
            if (!input.labels.length) continue;
            const entry = seen.get(input.name) || {ids: [], checked: false};
            entry.ids.push(input.id); entry.checked = entry.checked || input.checked;
            seen.set(input.name, entry);
          }
          return [...seen.values()].filter(e => !e.checked).map(e => e.ids[0]);
        }""",
    )
    for box in boxes:
        page.locator(f"label[for='{box}']").click()
    for area in page.locator("main textarea:visible").all():
        if not area.input_value():
            area.fill(text)


def answer_survey(page, text: str) -> None:  # type: ignore[no-untyped-def]
    """Page through a survey answering everything, then review and send it."""
    page.wait_for_load_state("load")
    for _ in range(12):
        fill_visible(page, text)
        review = page.get_by_role("button", name="Periksa jawaban saya")
        button = review if review.count() else page.get_by_role("button", name="Berikutnya")
        reviewing = button is review
        with page.expect_navigation():
            button.click()
        if reviewing:
            # the review page, or this page again with the error of a revealed question
            page.wait_for_function(
                "() => location.pathname.endsWith('/review') || !!document.querySelector("
                "'.error-summary')"
            )
        if page.url.endswith("/review"):
            break
        # otherwise the next page, or this one again with a question an answer revealed
    else:
        pytest.fail(f"the survey did not reach its review page: {page.url}")
    page.get_by_role("button", name="Kirim jawaban saya").click()
    page.wait_for_url("**/done")


def test_reaction_then_follow_up_after_90_days_show_on_the_program_page(
    app, page, world, clock, ended
):
    # Level 1: the participant finds the reaction survey under "My surveys".
    login_as(page, ROLE_EMAILS["employee"], TEST_PASSWORD)
    page.goto("/my/surveys")
    card = page.locator("li.card", has_text="Evaluasi Penyelenggaraan Pelatihan")
    with page.expect_navigation():  # the survey page must be loaded before it is read
        card.get_by_role("link", name="Mulai").click()
    answer_survey(page, COMMENT)
    page.goto("/my/surveys")
    card = page.locator("li.card", has_text="Evaluasi Penyelenggaraan Pelatihan")
    assert card.locator(".badge.ok").count() == 1  # answers sent
    log_out(page)

    # 90 days later the scan sends the follow-up; the supervisor answers it.
    clock.advance(days=90)
    with app.app_context():
        result = run_due(local_today())
        db.session.commit()
        assert result.issued.get("behaviour") == 2 * (1 + OTHERS)  # participant + supervisor
        supervisor_invitation = db.session.scalar(
            select(EvaluationRequest.invitation_id).where(
                EvaluationRequest.level == Level.BEHAVIOUR,
                EvaluationRequest.participant_id == ended["staff"],
                EvaluationRequest.respondent_role == RespondentRole.SUPERVISOR,
            )
        )
        assert db.session.get(Invitation, supervisor_invitation).respondent_employee_id == (
            world.kabid.id
        )
        assert run_due(local_today()).total == 0  # idempotent: a second run sends nothing
        db.session.commit()
        db.session.remove()

    login_as(page, ROLE_EMAILS["supervisor"], TEST_PASSWORD)
    page.goto("/my/surveys")
    card = page.locator("li.card", has_text=world.staff.name).filter(
        has_text="Tindak Lanjut 90 Hari"
    )
    with page.expect_navigation():  # the survey page must be loaded before it is read
        card.get_by_role("link", name="Mulai").click()
    assert page.locator("input[name='peran'][value='atasan']").is_checked()  # from the invitation
    answer_survey(page, SUPERVISOR_VIEW)
    log_out(page)

    # HR sees both levels on the program page, and the supervisor's view on the event page.
    login_as(page, ROLE_EMAILS["hr_admin"], TEST_PASSWORD)
    page.goto(f"/evaluation/programs/{ended['program']}")
    levels = page.locator("#program-levels")
    reaction = levels.locator("tr[data-level='reaction']")
    assert reaction.get_attribute("data-answered") == str(1 + OTHERS)
    behaviour = levels.locator("tr[data-level='behaviour']")
    assert behaviour.get_attribute("data-issued") == str(2 * (1 + OTHERS))
    assert behaviour.get_attribute("data-answered") == "1"
    assert page.locator("[data-figure='reaction-overall']").inner_text() == "4"
    assert "5 respons" in page.inner_text("main")  # the threshold of 5 is reached
    assert COMMENT in page.inner_text("main")  # our free-text comment reached the program
    page.locator(f"#program a[href$='/evaluation/events/{ended['event']}']").click()
    page.wait_for_selector("[data-figure='mean-behaviour']")
    assert page.locator("[data-figure='mean-behaviour']").inner_text() == "4"
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / "evaluation-event.png"), full_page=True)
