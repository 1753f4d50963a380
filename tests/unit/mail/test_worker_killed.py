"""A worker killed during a batch of 1,000 invitation mails: after the restart every mail has
reached the SMTP server (aiosmtpd), and no message was delivered twice.

The worker is a separate process (`flask jobs run`, the code a Celery worker runs) killed with
SIGKILL mid-batch; the restart is `flask jobs sweep` once the leases ran out. The one message
that may be in flight at the kill (accepted by SMTP, not yet marked sent) is the only one that
can go out a second time, and it carries the same Message-ID; the test allows that one and
checks the rest strictly.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.jobs.models import Job, JobState
from app.mail.models import MailState, OutboxMessage
from app.surveys import services
from app.surveys.models import Invitation
from tests.factories import build_world
from tests.unit.mail.smtp_server import Inbox, start
from tests.web.matrix.surveys import open_campaign

ROOT = Path(__file__).resolve().parents[3]
MAILS = 1000

pytestmark = pytest.mark.slow


@pytest.fixture
def smtp() -> Iterator[Inbox]:
    inbox = Inbox()
    controller = start(inbox)
    yield inbox
    controller.stop()


def worker_env(app, inbox: Inbox) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(inbox.port),
        REDIS_URL="",
        JOBS_BROKER_URL="",  # the restarted process runs what the sweep finds, in-process
        JOBS_LEASE_SECONDS="3",
        MAIL_LEASE_SECONDS="2",
        SECRET_KEY="test-secret",
        LOG_FORMAT="text",
    )
    return env


def flask(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


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
    return job.id


def test_killed_worker_sends_every_invitation_exactly_once_after_restart(app, ctx, smtp):
    t0 = time.monotonic()
    job_id = queue_invitations(app)
    print(f"\nqueued in {time.monotonic() - t0:.1f}s")
    db.session.remove()
    env = worker_env(app, smtp)

    worker = flask("jobs", "run", str(job_id), env=env)
    deadline = time.monotonic() + 120
    while smtp.count() < 150 and time.monotonic() < deadline and worker.poll() is None:
        time.sleep(0.02)
    print(f"kill at {time.monotonic() - t0:.1f}s")
    worker.send_signal(signal.SIGKILL)
    worker.communicate(timeout=30)
    at_kill = smtp.count()
    assert 0 < at_kill < MAILS, f"the kill should land mid-batch ({at_kill} received)"
    assert db.session.get(Job, job_id).state == JobState.RUNNING  # the dead worker's lease
    db.session.remove()

    time.sleep(3.5)  # both leases run out: the job's (3 s) and the in-flight message's (2 s)
    restart = flask("jobs", "sweep", env=env)
    _out, err = restart.communicate(timeout=300)
    assert restart.returncode == 0, err.decode()[-2000:]

    print(f"restarted worker done at {time.monotonic() - t0:.1f}s")
    job = db.session.get(Job, job_id)
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    rows = db.session.scalars(select(OutboxMessage)).all()
    assert len(rows) == MAILS and {r.state for r in rows} == {MailState.SENT}
    received = smtp.message_ids()
    assert set(received) == {r.message_id for r in rows}  # none lost
    duplicates = {mid: n for mid, n in received.items() if n > 1}
    assert len(duplicates) <= 1 and all(n == 2 for n in duplicates.values()), duplicates
    by_recipient = {r.to_address: r.message_id for r in rows}
    for address, message_id in list(by_recipient.items())[:: MAILS // 50]:
        assert {m["Message-ID"] for m in smtp.to(address)} == {message_id}
    assert (
        db.session.scalar(
            select(func.count()).select_from(Invitation).where(Invitation.sent_at.is_not(None))
        )
        == MAILS
    )
    print(f"\nkilled after {at_kill} mails; delivered twice (in flight at the kill): {duplicates}")
