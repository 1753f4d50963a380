"""`flask approvals remind`: real SMTP delivery to a local server, idempotent, escalates once."""

from __future__ import annotations

import email
import socket
from collections.abc import Iterator
from datetime import timedelta
from email.message import Message

import pytest
from aiosmtpd.controller import Controller
from sqlalchemy import func, select, update

from app.clock import utcnow
from app.extensions import db
from app.training.models import (
    ActionKind,
    ApprovalReminder,
    NominationAction,
    NominationStep,
    ReminderKind,
)
from app.training.reminders import send_reminders
from app.training.workflow import nominate, reconstruct
from tests.factories import ROLE_EMAILS, build_users, build_world
from tests.unit.training.factories import build_training, user_actor

JUSTIFY = "Needed for the new public-service standard in the bidang."


class Inbox:
    """An aiosmtpd handler keeping every message it receives."""

    def __init__(self) -> None:
        self.messages: list[tuple[list[str], Message]] = []
        self.port = 0

    async def handle_DATA(self, server, session, envelope):
        self.messages.append((list(envelope.rcpt_tos), email.message_from_bytes(envelope.content)))
        return "250 Message accepted for delivery"

    def to(self, address: str) -> list[Message]:
        return [message for rcpts, message in self.messages if address in rcpts]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def smtp(app) -> Iterator[Inbox]:
    """A real SMTP server on 127.0.0.1; the app sends to it for the duration of the test."""
    inbox = Inbox()
    port = inbox.port = free_port()
    controller = Controller(inbox, hostname="127.0.0.1", port=port)
    controller.start()
    saved = {key: app.config[key] for key in ("MAIL_SERVER", "MAIL_PORT")}
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    try:
        yield inbox
    finally:
        app.config.update(saved)
        controller.stop()


@pytest.fixture
def waiting(ctx):
    """One nomination waiting at the supervisor's step, one at HR verification."""
    world = build_world()
    users = build_users(world)
    world.kabid.email = "kabid.dinas@test.example"
    training = build_training(world)
    first = nominate(
        user_actor(ROLE_EMAILS["employee"]), training.event_id, world.staff.id, JUSTIFY
    )
    second = nominate(
        user_actor(ROLE_EMAILS["unit_head"]), training.event_id, world.head.id, JUSTIFY
    )
    db.session.commit()
    return world, users, first.id, second.id


def age(nomination_id: int, days: float) -> None:
    db.session.execute(
        update(NominationStep)
        .where(NominationStep.nomination_id == nomination_id)
        .values(opened_at=utcnow() - timedelta(days=days))
    )
    db.session.commit()


def test_reminders_reach_the_approvers_once(smtp, waiting):
    _world, _users, first, second = waiting
    report = send_reminders(days=3, escalate_after=7)
    assert report.reminders == 0 and not smtp.messages  # nothing waited long enough
    age(first, 4)
    age(second, 5)
    report = send_reminders(days=3, escalate_after=7)
    assert report.reminders == 2 and report.steps_reminded == 2 and not report.failures
    supervisor = smtp.to(ROLE_EMAILS["supervisor"])  # the login's address wins
    hr = smtp.to(ROLE_EMAILS["hr_admin"])
    assert len(supervisor) == 1 and len(hr) == 1
    body = supervisor[0].get_payload(decode=True).decode()
    assert "Staf Satu" in body and "/training/nominations/" in body
    assert "menunggu" in supervisor[0]["Subject"]  # Indonesian by default
    # Run again (cron twice in a day): nothing new is sent.
    assert send_reminders(days=3, escalate_after=7).reminders == 0
    assert len(smtp.messages) == 2
    # Three more days: a second reminder for the next period.
    later = utcnow() + timedelta(days=3)
    assert send_reminders(days=3, escalate_after=30, now=later).reminders == 2
    assert db.session.scalar(select(func.count()).select_from(ApprovalReminder)) == 4


def test_escalation_goes_once_to_the_approvers_supervisor_and_hr(smtp, waiting):
    _world, _users, first, _second = waiting
    age(first, 8)
    report = send_reminders(days=3, escalate_after=7)
    assert report.steps_escalated == 1
    escalated = [m for m in smtp.to(ROLE_EMAILS["unit_head"]) if "lewat" in m["Subject"]]
    assert len(escalated) == 1  # the kabid's supervisor is the head of the OPD
    assert any("lewat" in m["Subject"] for m in smtp.to(ROLE_EMAILS["hr_admin"]))
    audit = db.session.scalars(
        select(NominationAction).where(
            NominationAction.nomination_id == first,
            NominationAction.action == ActionKind.ESCALATE,
        )
    ).all()
    assert len(audit) == 1
    assert reconstruct(first).state.value == "pending"  # escalation changes no decision
    count = len(smtp.messages)
    again = send_reminders(days=3, escalate_after=7)
    assert again.steps_escalated == 0 and again.reminders == 0
    assert len(smtp.messages) == count


def test_a_failed_delivery_stays_in_the_outbox_and_is_retried(app, smtp, waiting):
    from app.jobs.models import Job, JobState
    from app.jobs.runner import sweep
    from app.mail.models import MailState, OutboxMessage

    _world, _users, first, _second = waiting
    age(first, 4)
    app.config["MAIL_PORT"] = free_port()  # nobody listens there
    report = send_reminders(days=3, escalate_after=7)
    assert report.reminders == 1  # recorded with its outbox row, in one transaction
    assert db.session.scalar(select(func.count()).select_from(ApprovalReminder)) == 1
    row = db.session.scalar(select(OutboxMessage))
    assert row.state == MailState.PENDING and "Connection" in row.last_error
    job = db.session.scalar(select(Job).where(Job.task == "mail.deliver"))
    assert job.state == JobState.QUEUED and job.attempts == 1  # retried with backoff
    app.config["MAIL_PORT"] = smtp.port
    job.run_after = utcnow() - timedelta(seconds=1)  # the backoff has passed
    db.session.commit()
    assert sweep() == 1
    db.session.refresh(row)
    assert row.state == MailState.SENT and len(smtp.to(ROLE_EMAILS["supervisor"])) == 1
    assert send_reminders(days=3, escalate_after=7).reminders == 0  # never queued twice


def test_cli_is_safe_to_run_from_cron(app, smtp, waiting):
    _world, _users, first, _second = waiting
    age(first, 4)
    runner = app.test_cli_runner()
    result = runner.invoke(args=["approvals", "remind", "--days", "3", "--escalate-after", "7"])
    assert result.exit_code == 0, result.output
    assert "Reminders: 1 messages" in result.output
    result = runner.invoke(args=["approvals", "remind", "--days", "3", "--escalate-after", "7"])
    assert "Reminders: 0 messages" in result.output
    assert len(smtp.messages) == 1
    kinds = db.session.scalars(select(ApprovalReminder.kind)).all()
    assert kinds == [ReminderKind.REMIND]
    dry = runner.invoke(
        args=["approvals", "remind", "--days", "1", "--escalate-after", "2", "--dry-run"]
    )
    assert "would escalate" in dry.output and len(smtp.messages) == 1
    bad = runner.invoke(args=["approvals", "remind", "--days", "5", "--escalate-after", "2"])
    assert bad.exit_code != 0
