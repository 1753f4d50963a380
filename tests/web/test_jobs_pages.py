"""Job pages: progress partial polls until done, the failed list shows the reason, retry runs."""

from __future__ import annotations

from app import jobs
from app.extensions import db
from app.jobs.models import Job, JobState
from tests.conftest import csrf_token, login
from tests.factories import ROLE_EMAILS

PARTIAL = {"HX-Request": "true", "HX-Request-Type": "partial"}


@jobs.task("tests.pages_noop", label="Survey export")
def pages_noop(ctx: jobs.JobContext) -> None:
    ctx.result = {"summary": "all done"}


def add_job(app, world, **values) -> int:
    with app.app_context():
        job = Job(task="tests.pages_noop", kwargs={}, instansi_id=world.a.id, **values)
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    return job_id


def test_running_job_polls_and_finished_job_stops(app, client, world):
    running = add_job(app, world, state=JobState.RUNNING, progress_done=3, progress_total=10)
    login(client, ROLE_EMAILS["hr_admin"])
    page = client.get(f"/jobs/{running}").get_data(as_text=True)
    assert 'hx-trigger="every 2s"' in page and 'value="30"' in page
    assert f'href="/jobs/{running}"' in page  # the plain refresh link without JavaScript
    partial = client.get(f"/jobs/{running}", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="job-status"') and "<html" not in partial
    done = add_job(app, world, state=JobState.SUCCEEDED, result={"summary": "all done"})
    finished = client.get(f"/jobs/{done}", headers=PARTIAL).get_data(as_text=True)
    assert "every 2s" not in finished and "all done" in finished


def test_failed_list_shows_reason_and_retry_runs_the_job(app, client, world):
    failed = add_job(
        app, world, state=JobState.FAILED, attempts=5, max_attempts=5, last_error="SMTP 451 later"
    )
    login(client, ROLE_EMAILS["hr_admin"])
    listing = client.get("/jobs/").get_data(as_text=True)
    assert "SMTP 451 later" in listing and f"/jobs/{failed}/retry" in listing
    partial = client.get("/jobs/?state=failed", headers=PARTIAL).get_data(as_text=True)
    assert partial.lstrip().startswith('<section id="job-table"')
    token = csrf_token(client, "/jobs/")
    response = client.post(f"/jobs/{failed}/retry", data={"csrf_token": token})
    assert response.status_code == 303
    with app.app_context():
        job = db.session.get(Job, failed)
        assert job.state == JobState.SUCCEEDED and job.attempts == 6  # eager: ran at once
    assert client.get("/jobs/?state=bogus").status_code == 200


def test_employee_does_not_see_an_instansi_job(app, client, world):
    job_id = add_job(app, world, state=JobState.FAILED, last_error="x")
    login(client, ROLE_EMAILS["employee"])
    assert client.get(f"/jobs/{job_id}").status_code == 404


def test_schedule_page_lists_entries(app, client, world):
    login(client, ROLE_EMAILS["sysadmin"])
    response = client.get("/jobs/schedule")
    assert response.status_code == 200
    assert (
        client.get("/jobs/schedule", headers=PARTIAL)
        .get_data(as_text=True)
        .lstrip()
        .startswith('<section id="schedule-table"')
    )
