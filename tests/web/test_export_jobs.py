"""Exports above EXPORT_INLINE_MAX_ROWS run as jobs: the file is the inline export's, only its
requester downloads it, a double click queues one job, and old files are removed."""

from __future__ import annotations

import os
import time

import pytest
from sqlalchemy import func, select

from app import jobs
from app.extensions import db
from app.jobs import exports as job_exports
from app.jobs.models import Job, JobState
from tests.conftest import login
from tests.factories import ROLE_EMAILS

HR = ROLE_EMAILS["hr_admin"]


@pytest.fixture
def small_limit(app):
    app.config["EXPORT_INLINE_MAX_ROWS"] = 1
    yield
    app.config["EXPORT_INLINE_MAX_ROWS"] = 5_000


def test_a_large_export_is_a_job_whose_file_matches_the_inline_one(app, client, world):
    login(client, HR)
    inline = client.get("/employees/export.csv").get_data(as_text=True)
    app.config["EXPORT_INLINE_MAX_ROWS"] = 1
    try:
        queued = client.get("/employees/export.csv")
        again = client.get("/employees/export.csv")
    finally:
        app.config["EXPORT_INLINE_MAX_ROWS"] = 5_000
    assert queued.status_code == 303 and queued.location == again.location  # one job
    with app.app_context():
        job = db.session.scalar(select(Job).where(Job.task == "jobs.export"))
        assert job.state == JobState.SUCCEEDED and job.instansi_id == world.a.id
        assert db.session.scalar(select(func.count()).select_from(Job)) == 1
    page = client.get(jobs_url := queued.location).get_data(as_text=True)
    assert "Unduh pegawai.csv" in page
    download = client.get(f"{jobs_url}/download")
    assert download.status_code == 200
    assert "attachment" in download.headers["Content-Disposition"]
    assert download.get_data(as_text=True) == inline
    download.close()


def test_only_the_requester_downloads_the_file(app, client, world, small_limit):
    login(client, HR)
    location = client.get("/employees/export.xlsx").location
    other = app.test_client()
    login(other, ROLE_EMAILS["sysadmin"])  # sees every job, yet not another user's file
    assert other.get(location).status_code == 200
    assert other.get(f"{location}/download").status_code == 404
    assert app.test_client().get(f"{location}/download").status_code in (302, 303)


def test_old_export_files_are_removed(app, client, world, small_limit):
    login(client, HR)
    location = client.get("/employees/export.csv").location
    with app.app_context():
        job = db.session.get(Job, int(location.split("/")[-1]))
        path = job_exports.file_of(job)
        assert path is not None
        day_old = time.time() - job_exports.KEEP_SECONDS - 60
        os.utime(path, (day_old, day_old))
        jobs.enqueue("jobs.clean_exports")
        db.session.commit()
        assert not path.exists()
    assert client.get(f"{location}/download").status_code == 404
