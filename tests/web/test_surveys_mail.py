"""Invitation and reminder mails say who sends them, which survey, until when and how long it
takes, and carry a signed opt-out link (also as List-Unsubscribe) that stops the reminders of
that one invitation; its page confirms and can undo."""

from __future__ import annotations

import email
import email.header
import re
import shutil
from datetime import timedelta
from pathlib import Path

import pytest
from itsdangerous import URLSafeSerializer
from sqlalchemy import select

from app.clock import utcnow
from app.extensions import db
from app.surveys import services
from app.surveys.models import Campaign, Invitation
from app.web import formats
from tests.conftest import csrf_token_from
from tests.web.matrix.surveys import invite, open_campaign

LINK = "http://portal.example/i/{}"


def outbox(app) -> list[email.message.Message]:
    folder = Path(app.config["MAIL_OUTBOX_DIR"])
    return [email.message_from_bytes(p.read_bytes()) for p in sorted(folder.glob("*.eml"))]


def body_of(message: email.message.Message) -> str:
    return message.get_payload(decode=True).decode()


def sender_of(message: email.message.Message) -> str:
    return str(email.header.make_header(email.header.decode_header(message["From"])))


@pytest.fixture
def mailed(app, world):
    """An open campaign of instansi A with two invitations, the invitations sent."""
    shutil.rmtree(app.config["MAIL_OUTBOX_DIR"], ignore_errors=True)
    with app.app_context():
        services.save_branding(world.a.id, "Pemerintah Kota Pekanbaru", None, False, None)
        campaign = open_campaign(world.a.id)
        invite(campaign, "satu@example.id", "lsm")
        invite(campaign, "dua@example.id", "lsm")
        services.send_invitations(campaign, LINK.format)
        ids = {i.email: i.id for i in db.session.scalars(select(Invitation))}
        closes = formats.day(campaign.closes_on)
        result = {"campaign": campaign.id, "ids": ids, "title": campaign.title, "closes": closes}
        db.session.remove()
    return result


def optout_path(message: email.message.Message) -> str:
    return re.search(r"https?://[^/\s]+(/u/[A-Za-z0-9._-]+)", body_of(message)).group(1)


def remind(app, campaign_id: int, hours: int = 0) -> int:
    with app.app_context():
        campaign = db.session.get(Campaign, campaign_id)
        later = utcnow() + services.REMINDER_INTERVAL * hours + timedelta(minutes=hours)
        count = services.send_reminders(campaign, LINK.format, now=later)
        db.session.remove()
        return count


def test_the_invitation_names_sender_survey_deadline_time_and_opt_out(app, mailed):
    message = next(m for m in outbox(app) if m["To"] == "satu@example.id")
    body = body_of(message)
    assert sender_of(message) == "Pemerintah Kota Pekanbaru <no-reply@bangkom.local>"
    assert "Pemerintah Kota Pekanbaru mengundang Anda" in body and mailed["title"] in body
    assert f"berlaku sampai {mailed['closes']}" in body
    assert "± 7 menit" in body
    path = optout_path(message)
    assert message["List-Unsubscribe"] == f"<http://localhost{path}>"
    assert message["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    other = next(m for m in outbox(app) if m["To"] == "dua@example.id")
    assert optout_path(other) != path  # one link per invitation


def test_opting_out_stops_the_reminders_of_that_invitation_only_and_can_be_undone(
    app, client, mailed
):
    path = optout_path(next(m for m in outbox(app) if m["To"] == "satu@example.id"))
    page = client.get(path)
    html = page.get_data(as_text=True)
    assert page.status_code == 200 and "Hentikan pengingat untuk survei ini" in html
    assert "Pemerintah Kota Pekanbaru" in html and mailed["title"] in html
    with app.app_context():  # a GET (a mail scanner) changes nothing
        assert (
            db.session.get(Invitation, mailed["ids"]["satu@example.id"]).reminders_stopped_at
            is None
        )
    stopped = client.post(path, data={"csrf_token": csrf_token_from(html), "action": "stop"})
    assert stopped.status_code == 303
    html = client.get(path).get_data(as_text=True)
    assert "tidak akan menerima pengingat lagi" in html and 'value="undo"' in html
    with app.app_context():
        assert db.session.get(Invitation, mailed["ids"]["satu@example.id"]).reminders_stopped_at
    shutil.rmtree(app.config["MAIL_OUTBOX_DIR"], ignore_errors=True)
    assert remind(app, mailed["campaign"]) == 1
    reminders = outbox(app)
    assert [m["To"] for m in reminders] == ["dua@example.id"]
    reminder = body_of(reminders[0])
    assert reminders[0]["Subject"].startswith("Pengingat") and "/u/" in reminder
    assert "Pemerintah Kota Pekanbaru" in reminder and mailed["closes"] in reminder
    undo = client.post(path, data={"csrf_token": csrf_token_from(html), "action": "undo"})
    assert undo.status_code == 303
    assert "aktif kembali" in client.get(path).get_data(as_text=True)
    assert remind(app, mailed["campaign"], hours=1) == 2  # both again, a day later


def test_a_mail_programs_one_click_post_needs_no_form_token(app, mailed):
    path = optout_path(next(m for m in outbox(app) if m["To"] == "dua@example.id"))
    fresh = app.test_client()
    response = fresh.post(path, data={"List-Unsubscribe": "One-Click"})
    assert response.status_code == 200
    with app.app_context():
        assert db.session.get(Invitation, mailed["ids"]["dua@example.id"]).reminders_stopped_at
    assert fresh.post(path, data={"action": "undo"}).status_code == 422  # a page post needs CSRF
    assert (
        fresh.post(path, data={"action": "other", "List-Unsubscribe": "One-Click"}).status_code
        == 400
    )


def test_a_tampered_or_foreign_token_is_not_found(app, client, mailed):
    path = optout_path(next(m for m in outbox(app) if m["To"] == "satu@example.id"))
    assert client.get(path[:-2] + ("AA" if not path.endswith("AA") else "BB")).status_code == 404
    assert client.get("/u/" + "x" * 200).status_code == 404
    with app.app_context():
        other_purpose = URLSafeSerializer(app.config["SECRET_KEY"], salt="something-else")
        forged = other_purpose.dumps(mailed["ids"]["satu@example.id"])
        unknown = services.optout_token(999999)
    assert client.get(f"/u/{forged}").status_code == 404
    assert client.get(f"/u/{unknown}").status_code == 404
    answer_token = re.search(r"/i/([A-Za-z0-9_-]+)", body_of(outbox(app)[0])).group(1)
    assert client.get(f"/u/{answer_token}").status_code == 404  # the answer link is no key here


def test_the_scheduled_reminder_job_skips_an_opted_out_invitation(app, client, mailed):
    from app.jobs.models import Job, JobState
    from app.jobs.schedule import run_entry

    fresh = app.test_client()
    path = optout_path(next(m for m in outbox(app) if m["To"] == "satu@example.id"))
    assert fresh.post(path, data={"List-Unsubscribe": "One-Click"}).status_code == 200
    shutil.rmtree(app.config["MAIL_OUTBOX_DIR"], ignore_errors=True)
    with app.app_context():
        run_entry("surveys.reminders")  # eager without Redis: runs here
        job = db.session.scalar(select(Job).where(Job.schedule == "surveys.reminders"))
        assert job.state == JobState.SUCCEEDED and "reminders=1" in job.result["summary"]
    assert [m["To"] for m in outbox(app)] == ["dua@example.id"]
