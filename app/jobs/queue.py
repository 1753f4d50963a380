"""Handing jobs to workers: Celery on Redis when a broker is configured, else in-process (eager).

`enqueue()` adds the job row to the caller's transaction; the job is handed over only after that
transaction commits (a worker never sees a job whose data is not yet committed). When the broker
cannot be reached the row simply stays queued: the scheduler's sweep hands it over later, and the
web request is not affected.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Any

from celery import Celery, Task
from celery.schedules import crontab
from flask import Flask, current_app, has_request_context
from flask_login import current_user
from sqlalchemy import event, select, update
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, SessionTransaction

from app.clock import utcnow
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.registry import SCHEDULE, spec_for
from app.web.requestlog import current_request_id

LOGGER = logging.getLogger("bangkom.jobs")
PENDING_KEY = "bangkom_jobs_pending"


def enqueue(
    task: str,
    *,
    key: str | None = None,
    instansi_id: int | None = None,
    created_by_id: int | None = None,
    schedule: str | None = None,
    **kwargs: Any,
) -> Job:
    """Queue `task(**kwargs)` as part of the current transaction and return its Job row.

    `key` makes the call idempotent: a second enqueue with the same key returns the first job.
    kwargs must be JSON values (ids, strings, numbers), never ORM objects. The job runs once the
    caller commits; in eager mode (no broker) it runs right after that commit, in-process.
    """
    spec = spec_for(task)
    if key is not None:
        existing = db.session.scalar(select(Job).where(Job.idempotency_key == key))
        if existing is not None:
            return existing
    if created_by_id is None and has_request_context() and current_user.is_authenticated:
        created_by_id = current_user.id
    job = Job(
        task=task,
        kwargs=kwargs,
        state=JobState.QUEUED,
        max_attempts=spec.max_attempts,
        idempotency_key=key,
        instansi_id=instansi_id,
        created_by_id=created_by_id,
        schedule=schedule,
        request_id=current_request_id(),
        run_after=utcnow(),
        dispatched_at=utcnow(),
    )
    if key is None:
        db.session.add(job)
        db.session.flush()
    else:
        try:
            with db.session.begin_nested():
                db.session.add(job)
        except IntegrityError:  # the same key enqueued concurrently: the other one wins
            winner = db.session.scalar(select(Job).where(Job.idempotency_key == key))
            assert winner is not None
            return winner
    schedule_dispatch(job)
    return job


def schedule_dispatch(job: Job) -> None:
    """Hand `job` over once the current transaction commits."""
    db.session.flush()
    db.session.info.setdefault(PENDING_KEY, []).append(job.id)


def is_eager(app: Flask | None = None) -> bool:
    return not (app or current_app).config.get("JOBS_BROKER_URL")


@event.listens_for(Session, "after_commit")
def _dispatch_after_commit(session: Session) -> None:
    pending = session.info.pop(PENDING_KEY, None)
    if pending:
        dispatch_now(pending)


@event.listens_for(Session, "after_soft_rollback")
def _forget_after_rollback(session: Session, previous_transaction: SessionTransaction) -> None:
    if previous_transaction.parent is None:  # the whole transaction, not a savepoint
        session.info.pop(PENDING_KEY, None)


def dispatch_now(job_ids: list[int]) -> None:
    """Send each job to the broker, or run it here in a fresh app context when eager."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if is_eager(app):
        for job_id in job_ids:
            run_eagerly(app, job_id)
        return
    for job_id in job_ids:
        _publish(app, job_id, countdown=None)


def dispatch_later(job_id: int, delay: float) -> None:
    """A retry after `delay` seconds; eager mode leaves it to the sweep (`flask jobs sweep`)."""
    app = current_app._get_current_object()  # type: ignore[attr-defined]
    if not is_eager(app):
        _publish(app, job_id, countdown=delay)


def run_eagerly(app: Flask, job_id: int) -> None:
    from app.jobs.runner import run_job

    with app.app_context():  # a new app context has its own database session
        try:
            run_job(job_id, owner="eager")
        except Exception:  # recorded on the job by the runner; the caller's request goes on
            LOGGER.exception("eager job crashed", extra={"job": job_id})
        finally:
            db.session.remove()


def _publish(app: Flask, job_id: int, countdown: float | None) -> None:
    celery: Celery = app.extensions["celery"]
    try:
        celery.send_task("bangkom.run_job", args=[job_id], countdown=countdown)
    except Exception as error:  # broker down: the row stays queued and the sweep retries
        LOGGER.warning("job not handed to the broker", extra={"job": job_id, "error": str(error)})
        with db.engine.begin() as connection:
            connection.execute(update(Job).where(Job.id == job_id).values(dispatched_at=None))


def cron_schedule(spec: str) -> crontab:
    minute, hour, day_of_month, month_of_year, day_of_week = spec.split()
    return crontab(
        minute=minute,
        hour=hour,
        day_of_month=day_of_month,
        month_of_year=month_of_year,
        day_of_week=day_of_week,
    )


def effective_schedule(app: Flask) -> dict[str, str]:
    """Entry name → cron text after JOBS_SCHEDULE overrides; "off" entries are left out."""
    overrides: dict[str, str] = dict(app.config.get("JOBS_SCHEDULE") or {})
    result = {}
    for name, entry in sorted(SCHEDULE.items()):
        cron = overrides.get(name, entry.cron).strip()
        if cron.lower() != "off":
            result[name] = cron
    return result


def make_celery(app: Flask) -> Celery:
    class FlaskTask(Task):
        def __call__(self, *args: Any, **kwargs: Any) -> Any:
            with app.app_context():
                try:
                    return self.run(*args, **kwargs)
                finally:
                    db.session.remove()

    broker = app.config.get("JOBS_BROKER_URL") or "memory://"
    celery = Celery("bangkom", broker=broker, task_cls=FlaskTask, set_as_current=False)
    timezone = app.config["JOBS_TIMEZONE"]
    beat: dict[str, dict[str, Any]] = {
        "bangkom.sweep": {
            "task": "bangkom.sweep",
            "schedule": float(app.config["JOBS_SWEEP_SECONDS"]),
        }
    }
    for name, cron in effective_schedule(app).items():
        beat[name] = {
            "task": "bangkom.scheduled",
            "schedule": cron_schedule(cron),
            "args": [name],
        }
    celery.conf.update(
        task_ignore_result=True,
        task_acks_late=True,
        task_reject_on_worker_lost=True,
        worker_prefetch_multiplier=1,
        worker_hijack_root_logger=False,
        timezone=timezone,
        enable_utc=True,
        broker_connection_retry_on_startup=True,
        broker_transport_options={"socket_connect_timeout": 2, "socket_timeout": 10},
        task_publish_retry_policy={"max_retries": 1, "interval_start": 0, "interval_step": 0.2},
        beat_schedule=beat,
        beat_schedule_filename=str(Path(app.config["INSTANCE_DIR"]) / "celerybeat-schedule"),
    )

    @celery.task(name="bangkom.run_job")
    def run_job_task(job_id: int) -> None:
        from app.jobs.runner import run_job

        run_job(job_id)

    @celery.task(name="bangkom.sweep")
    def sweep_task() -> None:
        from app.jobs.runner import sweep

        sweep()

    @celery.task(name="bangkom.scheduled")
    def scheduled_task(name: str) -> None:
        from app.jobs.schedule import run_entry

        run_entry(name)

    return celery


def init_jobs(app: Flask) -> None:
    """Import every feature's `jobs.py` (tasks and schedule entries), then build Celery."""
    import importlib

    from app import feature_modules

    if app.config.get("JOBS_BROKER_URL") is None:  # unset: the Redis of the portal, if any
        app.config["JOBS_BROKER_URL"] = app.config.get("REDIS_URL") or ""
    for name in feature_modules("jobs"):
        importlib.import_module(name)
    importlib.import_module("app.jobs.schedule")
    app.extensions["celery"] = make_celery(app)
