"""Claiming, running, retrying and sweeping jobs; the only code that changes a job's state.

A worker (or the web process in eager mode) runs `run_job(id)`. The claim is one conditional
UPDATE: the job must be queued and due, or running under a lease that has expired (its worker
was killed). The task then reports progress with `ctx.progress(...)`, which also extends the
lease and commits the task's work so far. Every later write checks that this worker still holds
the lease, so a worker that lost its job (paused past its lease) cannot overwrite the new run.
"""

from __future__ import annotations

import logging
import os
import random
import socket
import uuid
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import and_, or_, select, update

from app.clock import utcnow
from app.database import rowcount
from app.errors import ServiceError
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.registry import TASKS
from app.web.requestlog import job_id_var, request_id_var

LOGGER = logging.getLogger("bangkom.jobs")


class LeaseLost(Exception):
    """Another worker took the job over (this one paused past its lease): stop quietly."""


class PermanentFailure(Exception):
    """Raised by a task for an error no retry can fix: the job fails at once with this message."""


@dataclass
class JobContext:
    """What a running task gets: its job id, attempt number, and progress reporting."""

    job_id: int
    owner: str
    attempt: int
    lease_seconds: int
    result: dict[str, Any] = field(default_factory=dict)

    def progress(self, done: int, total: int | None = None, message: str | None = None) -> None:
        """Record progress, extend the lease, and commit the task's work so far."""
        values: dict[str, Any] = {
            "progress_done": done,
            "lease_until": utcnow() + timedelta(seconds=self.lease_seconds),
        }
        if total is not None:
            values["progress_total"] = total
        if message is not None:
            values["message"] = message[:300]
        if not _owned_update(self.job_id, self.owner, values):
            db.session.rollback()
            raise LeaseLost(self.job_id)
        db.session.commit()


def worker_name() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


def _lease_seconds() -> int:
    return int(current_app.config["JOBS_LEASE_SECONDS"])


def _owned_update(job_id: int, owner: str, values: dict[str, Any]) -> bool:
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, Job.lease_owner == owner, Job.state == JobState.RUNNING)
        .values(**values)
        .execution_options(synchronize_session=False)
    )
    return rowcount(result) == 1


def claimable(now: datetime) -> Any:
    """Jobs a worker may take now: queued and due, or running under an expired lease."""
    return or_(
        and_(Job.state == JobState.QUEUED, Job.run_after <= now),
        and_(Job.state == JobState.RUNNING, Job.lease_until < now),
    )


def claim(job_id: int, owner: str, now: datetime | None = None) -> bool:
    now = now or utcnow()
    result = db.session.execute(
        update(Job)
        .where(Job.id == job_id, claimable(now))
        .values(
            state=JobState.RUNNING,
            lease_owner=owner,
            lease_until=now + timedelta(seconds=_lease_seconds()),
            attempts=Job.attempts + 1,
            started_at=now,
        )
        .execution_options(synchronize_session=False)
    )
    db.session.commit()
    return rowcount(result) == 1


def backoff_seconds(attempt: int) -> float:
    """Exponential backoff with 10% jitter: base, 2×base, 4×base … capped."""
    config = current_app.config
    delay = min(
        float(config["JOBS_RETRY_MAX_SECONDS"]),
        float(config["JOBS_RETRY_BASE_SECONDS"]) * 2 ** max(attempt - 1, 0),
    )
    return delay * random.uniform(1.0, 1.1)


def run_job(job_id: int, owner: str | None = None) -> JobState | None:
    """Claim and run one job; None when it was not claimable (done, running elsewhere, not due)."""
    owner = owner or worker_name()
    if not claim(job_id, owner):
        return None
    job = db.session.get(Job, job_id)
    assert job is not None
    request_token = request_id_var.set(job.request_id)
    job_token = job_id_var.set(job_id)
    try:
        return _run_claimed(job, owner)
    finally:
        request_id_var.reset(request_token)
        job_id_var.reset(job_token)


def _run_claimed(job: Job, owner: str) -> JobState | None:
    job_id, attempt, kwargs = job.id, job.attempts, dict(job.kwargs or {})
    spec = TASKS.get(job.task)
    if spec is None:
        return _fail(job_id, owner, f"No task named {job.task!r} is registered.")
    if attempt > job.max_attempts:
        return _fail(job_id, owner, job.last_error or "The worker stopped during every attempt.")
    LOGGER.info("job started", extra={"task": job.task, "attempt": attempt})
    context = JobContext(job_id, owner, attempt, _lease_seconds())
    try:
        spec.function(context, **kwargs)
    except LeaseLost:
        LOGGER.warning("job lease lost", extra={"task": spec.name})
        return None
    except PermanentFailure as error:
        db.session.rollback()
        return _fail(job_id, owner, str(error))
    except Exception as error:  # any failure of the task is recorded and retried
        db.session.rollback()
        LOGGER.exception("job attempt failed", extra={"task": spec.name, "attempt": attempt})
        return _retry_or_fail(job_id, owner, attempt, error)
    done = _owned_update(
        job_id,
        owner,
        {
            "state": JobState.SUCCEEDED,
            "finished_at": utcnow(),
            "result": context.result or None,
            "lease_owner": None,
            "lease_until": None,
            "last_error": "",
        },
    )
    db.session.commit()
    LOGGER.info("job succeeded", extra={"task": spec.name, "attempt": attempt})
    return JobState.SUCCEEDED if done else None


def _describe(error: BaseException) -> str:
    return f"{type(error).__name__}: {error}"[:4000]


def _fail(job_id: int, owner: str, reason: str) -> JobState:
    _owned_update(
        job_id,
        owner,
        {
            "state": JobState.FAILED,
            "finished_at": utcnow(),
            "last_error": reason[:4000],
            "lease_owner": None,
            "lease_until": None,
        },
    )
    db.session.commit()
    LOGGER.error("job failed", extra={"reason": reason[:200]})
    return JobState.FAILED


def _retry_or_fail(job_id: int, owner: str, attempt: int, error: BaseException) -> JobState:
    job = db.session.get(Job, job_id)
    reason = _describe(error)
    if job is None or attempt >= job.max_attempts:
        return _fail(job_id, owner, reason)
    from app.jobs.queue import dispatch_later, is_eager

    delay = backoff_seconds(attempt)
    now = utcnow()
    _owned_update(
        job_id,
        owner,
        {
            "state": JobState.QUEUED,
            "run_after": now + timedelta(seconds=delay),
            "dispatched_at": None if is_eager() else now,
            "last_error": reason[:4000],
            "lease_owner": None,
            "lease_until": None,
        },
    )
    db.session.commit()
    dispatch_later(job_id, delay)
    return JobState.QUEUED


def due_job_ids(now: datetime) -> list[int]:
    """Jobs nobody is working on that should run: never dispatched, dispatched long ago without
    being claimed (the broker lost the message), or running under an expired lease."""
    stale = now - timedelta(seconds=int(current_app.config["JOBS_REDISPATCH_SECONDS"]))
    return list(
        db.session.scalars(
            select(Job.id)
            .where(
                or_(
                    and_(
                        Job.state == JobState.QUEUED,
                        Job.run_after <= now,
                        or_(Job.dispatched_at.is_(None), Job.dispatched_at < stale),
                    ),
                    and_(Job.state == JobState.RUNNING, Job.lease_until < now),
                )
            )
            .order_by(Job.id)
            .limit(1000)
        )
    )


def sweep(now: datetime | None = None) -> int:
    """Hand every due job to the queue again (run by the scheduler every JOBS_SWEEP_SECONDS)."""
    from app.jobs.queue import dispatch_now

    now = now or utcnow()
    ids = due_job_ids(now)
    if ids:
        db.session.execute(
            update(Job)
            .where(Job.id.in_(ids))
            .values(dispatched_at=now)
            .execution_options(synchronize_session=False)
        )
        db.session.commit()
        dispatch_now(ids)
    return len(ids)


def retry(job: Job, now: datetime | None = None) -> Job:
    """Queue a failed job again with a fresh set of attempts (the HR page's Retry button)."""
    if job.state != JobState.FAILED:
        raise ServiceError(_l("Only a failed job can be retried."))
    job.state = JobState.QUEUED
    job.max_attempts = job.attempts + TASKS[job.task].max_attempts if job.task in TASKS else 1
    job.run_after = now or utcnow()
    job.finished_at = None
    from app.jobs.queue import schedule_dispatch

    schedule_dispatch(job)
    return job
