"""Mail outbox: written in the business transaction, delivered by a job over real SMTP, each
message once; refused addresses fail for good, others keep going."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.runner import run_job
from app.mail.models import MailState, OutboxMessage
from app.mail.services import queue_mail
from tests.unit.mail.smtp_server import Inbox, start


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    inbox = Inbox(refuse={"nobody@bad.example"})
    controller = start(inbox)
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=inbox.port)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


def test_rolled_back_mail_is_never_sent(ctx, smtp):
    queue_mail("a@example.id", "Halo", "Isi")
    db.session.rollback()
    db.session.commit()
    assert smtp.count() == 0
    assert db.session.scalar(select(func.count()).select_from(OutboxMessage)) == 0
    assert db.session.scalar(select(func.count()).select_from(Job)) == 0


def test_committed_mail_is_delivered_once_with_its_message_id(ctx, smtp):
    first = queue_mail("a@example.id", "Halo", "Isi satu")
    second = queue_mail("b@example.id", "Halo", "Isi dua", forget_recipient=True)
    db.session.commit()  # one delivery job for the transaction, run eagerly after the commit
    assert smtp.count() == 2
    assert set(smtp.message_ids()) == {first.message_id, second.message_id}
    db.session.refresh(first)
    db.session.refresh(second)
    assert first.state == second.state == MailState.SENT and first.attempts == 1
    assert second.to_address == ""  # forgotten once sent
    jobs = db.session.scalars(select(Job)).all()
    assert [(j.task, j.state) for j in jobs] == [("mail.deliver", JobState.SUCCEEDED)]
    # Running the delivery again (a duplicate job, a scheduler tick) sends nothing.
    again = Job(task="mail.deliver", kwargs={})
    db.session.add(again)
    db.session.commit()
    assert run_job(again.id) == JobState.SUCCEEDED and smtp.count() == 2


def test_refused_address_fails_for_good_and_the_rest_goes_out(ctx, smtp):
    bad = queue_mail("nobody@bad.example", "Halo", "Isi")
    good = queue_mail("c@example.id", "Halo", "Isi")
    db.session.commit()
    db.session.refresh(bad)
    db.session.refresh(good)
    assert bad.state == MailState.FAILED and "550" in bad.last_error and bad.attempts == 1
    assert good.state == MailState.SENT and len(smtp.to("c@example.id")) == 1


def test_smtp_down_keeps_mail_pending_and_the_job_retries(app, ctx, smtp):
    from tests.unit.mail.smtp_server import free_port

    app.config["MAIL_PORT"] = free_port()
    row = queue_mail("d@example.id", "Halo", "Isi")
    db.session.commit()
    db.session.refresh(row)
    assert row.state == MailState.PENDING and row.attempts == 1 and row.last_error
    job = db.session.scalar(select(Job))
    assert job.state == JobState.QUEUED and "DeliveryInterrupted" in job.last_error


def test_hr_sees_failed_mail_with_the_reason_and_sends_it_again(app, client, world, smtp):
    from tests.conftest import csrf_token, login
    from tests.factories import ROLE_EMAILS

    with app.app_context():
        row = queue_mail("nobody@bad.example", "Undangan", "Isi", instansi_id=world.a.id)
        db.session.commit()
        row_id = row.id
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get("/mail/outbox").get_data(as_text=True)
    assert "nobody@bad.example" in page and "550" in page
    partial = client.get(
        "/mail/outbox?state=failed", headers={"HX-Request": "true", "HX-Request-Type": "partial"}
    ).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="outbox-table"')
    smtp.refuse.clear()  # the address was fixed on the server side
    token = csrf_token(client, "/mail/outbox")
    assert (
        client.post(f"/mail/outbox/{row_id}/resend", data={"csrf_token": token}).status_code == 303
    )
    with app.app_context():
        assert db.session.get(OutboxMessage, row_id).state == MailState.SENT
    assert len(smtp.to("nobody@bad.example")) == 1
