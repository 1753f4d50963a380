"""A worker killed during a batch of 1,000 invitation mails: after the restart every mail has
reached the SMTP server (aiosmtpd), and no message was delivered twice.

Two kinds of worker, each a separate process killed with SIGKILL mid-batch:
- `flask jobs run` (the runner a Celery worker calls), restarted as `flask jobs sweep`;
- a real Celery worker on Redis (when REDIS_URL is set, as in CI's PostgreSQL run), restarted as
  a new worker whose scheduler's sweep hands the orphaned job over again.

The one message that may be in flight at the kill (accepted by SMTP, not yet marked sent) is the
only one that can go out a second time, and it carries the same Message-ID; the test allows that
one and checks the rest strictly.
"""

from __future__ import annotations

import time
from collections.abc import Iterator

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import make_celery
from app.jobs.runner import sweep
from app.mail.models import MailState, OutboxMessage
from app.surveys import services
from app.surveys.models import Invitation
from tests.factories import build_world
from tests.unit.mail.smtp_server import Inbox, start
from tests.web.matrix.surveys import open_campaign
from tests.worker import celery_worker, flask_command, kill, redis_url_or_skip, worker_env

MAILS = 1000

pytestmark = pytest.mark.slow


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = start(inbox)
    yield inbox
    controller.stop()


def queue_invitations(app) -> int:
    """1,000 stakeholders invited and their mails queued in one transaction; nothing sent yet."""
    world = build_world()
    campaign = open_campaign(world.a.id)
    for start_at in range(0, MAILS, 500):
        lines = "\n".join(
            f"orang{n:04d}@mitra.example; Orang {n}; Mitra; swasta"
            for n in range(start_at, start_at + 500)
        )
        services.add_invitations(campaign, lines, None, None)
    db.session.commit()
    app.config["JOBS_BROKER_URL"] = "memory://"  # queue for a worker instead of running here
    try:
        assert services.send_invitations(campaign, lambda t: f"http://x/i/{t}") == MAILS
    finally:
        app.config["JOBS_BROKER_URL"] = ""
    job = db.session.scalar(select(Job).where(Job.task == "mail.deliver"))
    assert job is not None and job.state == JobState.QUEUED
    db.session.remove()
    return job.id


def wait_for(condition, seconds: float, process=None) -> None:
    deadline = time.monotonic() + seconds
    while not condition() and time.monotonic() < deadline:
        if process is not None and process.poll() is not None:
            return
        time.sleep(0.02)


def finished(job_id: int) -> bool:
    state = db.session.scalar(select(Job.state).where(Job.id == job_id))
    db.session.rollback()
    return state in (JobState.SUCCEEDED, JobState.FAILED)


def check_exactly_once(smtp: Inbox, job_id: int) -> dict[str, int]:
    job = db.session.get(Job, job_id)
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert len(rows) == MAILS and {r.state for r in rows} == {MailState.SENT}
    received = smtp.message_ids()
    assert set(received) == {r.message_id for r in rows}  # none lost
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert len(duplicates) <= 1 and all(n == 2 for n in duplicates.values()), duplicates
    for row in rows[:: MAILS // 50]:
        assert {m["Message-ID"] for m in smtp.to(row.to_address)} == {row.message_id}
    sent = select(func.count()).select_from(Invitation).where(Invitation.sent_at.is_not(None))
    assert db.session.scalar(sent) == MAILS
    return duplicates


def test_killed_flask_worker_sends_every_invitation_exactly_once(app, ctx, smtp):
    job_id = queue_invitations(app)
    env = worker_env(app, mail_port=smtp.port)
    worker = flask_command("jobs", "run", str(job_id), env=env)
    wait_for(lambda: smtp.count() >= 150, 120, worker)
    kill(worker)
    at_kill = smtp.count()
    assert 0 < at_kill < MAILS, f"the kill should land mid-batch ({at_kill} received)"
    assert db.session.get(Job, job_id).state == JobState.RUNNING  # the dead worker's lease
    db.session.remove()

    time.sleep(3.5)  # both leases run out: the job's (3 s) and the in-flight message's (2 s)
    restart = flask_command("jobs", "sweep", env=env)
    _out, err = restart.communicate(timeout=300)
    assert restart.returncode == 0, err.decode()[-2000:]
    duplicates = check_exactly_once(smtp, job_id)
    print(f"\nflask worker killed after {at_kill} mails; sent twice: {duplicates}")


def test_killed_celery_worker_sends_every_invitation_exactly_once(app, ctx, smtp):
    broker = redis_url_or_skip()
    job_id = queue_invitations(app)
    env = worker_env(app, mail_port=smtp.port, broker=broker)
    first = celery_worker(env)
    try:
        app.config["JOBS_BROKER_URL"] = broker
        app.extensions["celery"] = make_celery(app)
        db.session.get(Job, job_id).dispatched_at = None
        db.session.commit()
        assert sweep() == 1  # handed to Redis, for the Celery worker
        wait_for(lambda: smtp.count() >= 150, 180, first)
    finally:
        kill(first)
        app.config["JOBS_BROKER_URL"] = ""
        app.extensions["celery"] = make_celery(app)
    at_kill = smtp.count()
    assert 0 < at_kill < MAILS, f"the kill should land mid-batch ({at_kill} received)"
    db.session.remove()

    second = celery_worker(env)  # with the scheduler: its sweep finds the orphaned job
    try:
        wait_for(lambda: finished(job_id), 240, second)
    finally:
        kill(second)
    duplicates = check_exactly_once(smtp, job_id)
    print(f"\ncelery worker killed after {at_kill} mails; sent twice: {duplicates}")
