"""Background jobs on Celery (Redis broker) with an eager in-process fallback; see CONTRIBUTING.md.

Public API for features (put task definitions in `app/<feature>/jobs.py`):

    from app import jobs

    @jobs.task("surveys.export_csv", label="Survey export")
    def export_csv(ctx: jobs.JobContext, campaign_id: int) -> None:
        ...
        ctx.progress(done, total)          # commits the work so far, extends the lease
        ctx.result = {"url": ..., "label": ...}

    jobs.periodic("surveys.reminders", "surveys.send_due_reminders", "0 8 * * *")

    job = jobs.enqueue("surveys.export_csv", campaign_id=5, key=f"export:{5}:{day}")
    db.session.commit()                    # the job is handed over after this commit
    redirect(jobs.progress_url(job))       # /jobs/<id>: progress bar, result when ready
"""

from __future__ import annotations

from flask import url_for

from app.jobs.models import Job, JobState
from app.jobs.queue import enqueue, is_eager
from app.jobs.registry import periodic, task
from app.jobs.runner import JobContext, PermanentFailure


def progress_url(job: Job) -> str:
    return url_for("jobs.detail", job_id=job.id)


__all__ = [
    "Job",
    "JobContext",
    "JobState",
    "PermanentFailure",
    "enqueue",
    "is_eager",
    "periodic",
    "progress_url",
    "task",
]
