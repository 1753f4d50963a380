"""Scheduler entries: each beat tick queues the entry's task once (a key per entry and minute)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from flask import current_app
from flask_babel import lazy_gettext as _l
from sqlalchemy import delete, func, select

from app.clock import utcnow
from app.database import rowcount
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import effective_schedule, enqueue
from app.jobs.registry import SCHEDULE, periodic, task
from app.jobs.runner import JobContext


def run_entry(name: str, now: datetime | None = None) -> Job | None:
    """Queue the task of schedule entry `name`; two schedulers ticking together queue one job."""
    entry = SCHEDULE.get(name)
    if entry is None or name not in effective_schedule(current_app._get_current_object()):  # type: ignore[attr-defined]
        return None
    slot = (now or utcnow()).strftime("%Y-%m-%dT%H:%M")
    job = enqueue(entry.task, key=f"schedule:{name}:{slot}", schedule=name, **entry.kwargs)
    db.session.commit()
    return job


@dataclass(frozen=True)
class ScheduleRow:
    name: str
    task: str
    cron: str
    description: object
    last_run: Job | None


def schedule_overview() -> list[ScheduleRow]:
    """Every entry with its effective time and its latest recorded run (two statements)."""
    active = effective_schedule(current_app._get_current_object())  # type: ignore[attr-defined]
    latest = (
        select(Job.schedule, func.max(Job.id).label("job_id"))
        .where(Job.schedule.is_not(None))
        .group_by(Job.schedule)
        .subquery()
    )
    runs = {
        job.schedule: job
        for job in db.session.scalars(select(Job).join(latest, Job.id == latest.c.job_id))
    }
    return [
        ScheduleRow(name, entry.task, active.get(name, "off"), entry.description, runs.get(name))
        for name, entry in sorted(SCHEDULE.items())
    ]


@task("jobs.prune", label=_l("Remove old finished jobs"))
def prune_finished_jobs(ctx: JobContext, keep_days: int = 90) -> None:
    """Delete succeeded jobs older than `keep_days` (failed ones stay until HR acts on them)."""
    cutoff = utcnow() - timedelta(days=keep_days)
    removed = rowcount(
        db.session.execute(
            delete(Job)
            .where(Job.state == JobState.SUCCEEDED, Job.finished_at < cutoff, Job.id != ctx.job_id)
            .execution_options(synchronize_session=False)
        )
    )
    ctx.result = {"summary": f"{removed}"}


periodic("jobs.prune", "jobs.prune", "15 2 * * *", _l("Remove finished jobs after 90 days"))
