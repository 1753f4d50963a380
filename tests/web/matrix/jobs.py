"""Routes of background jobs: one job's progress, the HR list with retry, the schedule."""

from __future__ import annotations

from app import jobs
from app.extensions import db
from app.jobs.models import Job, JobState
from tests.web.matrix import MANAGERS, only


@jobs.task("tests.matrix_noop")
def matrix_noop(ctx: jobs.JobContext) -> None:
    """Succeeds at once; the matrix retries a failed job of this task."""


def make_ids(world) -> dict[str, int]:
    job = Job(
        task="tests.matrix_noop",
        kwargs={},
        state=JobState.FAILED,
        attempts=5,
        max_attempts=5,
        last_error="SMTPServerDisconnected: Connection unexpectedly closed",
        instansi_id=world.a.id,
    )
    db.session.add(job)
    db.session.commit()
    return {"job": job.id}


MATRIX: dict[str, tuple[str, str, dict[str, int]]] = {
    "jobs.detail": ("GET", "/jobs/{job}", only(MANAGERS, others=404)),
    "jobs.job_list": ("GET", "/jobs/", only(MANAGERS)),
    "jobs.schedule": ("GET", "/jobs/schedule", only(MANAGERS)),
    "jobs.retry": ("POST", "/jobs/{job}/retry", only({"hr_admin": 303, "sysadmin": 303})),
    # only the requester of an export job downloads its file; this job is nobody's export
    "jobs.export_download": ("GET", "/jobs/{job}/download", only({}, others=404)),
}
