"""The delivery job of the outbox, and a scheduler entry that picks up anything left over."""

from __future__ import annotations

import smtplib
import time

from flask_babel import lazy_gettext as _l

from app import jobs
from app.mail.services import (
    Transport,
    build_message,
    claim_batch,
    count_due,
    lease_seconds,
    mark_failed_attempt,
    mark_sent,
    release,
)

BATCH = 25


class DeliveryInterrupted(Exception):
    """The SMTP server failed transiently; the job is retried with backoff."""


@jobs.task("mail.deliver", label=_l("Sending mail"), max_attempts=8)
def deliver_outbox(ctx: jobs.JobContext) -> None:
    """Send every due outbox row; safe to run in several workers at once, and again after a kill.

    Messages are claimed in batches, but each is marked sent (and committed) right after SMTP
    accepted it, so a kill leaves at most one message whose outcome is unknown."""
    total = count_due()
    done = failed = 0
    ctx.progress(0, total)
    with Transport() as transport:
        while batch := claim_batch(ctx.owner, BATCH):
            claimed_at = time.monotonic()
            for position, row in enumerate(batch):
                if time.monotonic() - claimed_at > lease_seconds() / 2:
                    release(batch[position:], ctx.owner)  # keep well inside the lease
                    break
                try:
                    transport.send(build_message(row))
                except (smtplib.SMTPException, OSError) as error:
                    if mark_failed_attempt(row, ctx.owner, error):
                        failed += 1  # refused for good; the rest of the batch goes on
                        continue
                    release(batch[position + 1 :], ctx.owner)
                    ctx.progress(done, total)
                    raise DeliveryInterrupted(str(error)) from error
                mark_sent(row, ctx.owner)
                done += 1
            ctx.progress(done, max(total, done + failed))
    ctx.result = {"summary": f"sent={done} failed={failed}"}


jobs.periodic(
    "mail.deliver",
    "mail.deliver",
    "*/5 * * * *",
    _l("Send mail left in the outbox (after an outage or a killed worker)"),
)
