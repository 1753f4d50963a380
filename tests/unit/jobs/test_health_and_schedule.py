"""Liveness and readiness, the registered scheduler entries, and a request id carried into jobs."""

from __future__ import annotations

import logging

from sqlalchemy import select

from app import jobs
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import make_celery
from app.jobs.registry import SCHEDULE
from app.jobs.schedule import run_entry
from app.web.requestlog import JsonFormatter, current_request_id

SEEN: list[str] = []


@jobs.task("tests.remember_request")
def remember_request(ctx: jobs.JobContext) -> None:
    SEEN.append(current_request_id())
    logging.getLogger("bangkom.tests").info("inside the job")


def test_liveness_touches_nothing_and_readiness_reports_each_check(app, client):
    assert client.get("/healthz").get_json() == {"status": "ok"}
    ready = client.get("/healthz/ready")
    body = ready.get_json()
    assert ready.status_code == 200 and body["status"] == "ok"
    assert body["checks"]["database"]["status"] == "ok"
    assert body["checks"]["redis"]["status"] == "off"
    assert body["checks"]["queue"]["mode"] == "eager"


def test_redis_and_broker_down_is_degraded_not_down(app, client):
    saved = dict(app.config)
    app.config.update(REDIS_URL="redis://127.0.0.1:1/0", JOBS_BROKER_URL="redis://127.0.0.1:1/0")
    app.extensions["celery"] = make_celery(app)
    try:
        ready = client.get("/healthz/ready")
    finally:
        app.config.update(REDIS_URL=saved["REDIS_URL"], JOBS_BROKER_URL="")
        app.extensions["celery"] = make_celery(app)
    body = ready.get_json()
    assert ready.status_code == 200 and body["status"] == "degraded"
    assert body["checks"]["redis"]["status"] == "down"
    assert body["checks"]["queue"]["status"] == "down"
    assert body["checks"]["database"]["status"] == "ok"


def test_features_register_their_schedule(app):
    expected = {
        "training.approval_reminders",
        "surveys.reminders",
        "needs.refresh_all",
        "mentoring.complete_due",
        "mail.deliver",
        "jobs.prune",
    }
    assert expected <= SCHEDULE.keys()
    beat = make_celery(app).conf.beat_schedule
    assert expected <= beat.keys() and "bangkom.sweep" in beat


def test_scheduled_runs_are_recorded(ctx):
    for name in ("training.approval_reminders", "mentoring.complete_due", "surveys.reminders"):
        job = run_entry(name)
        assert job is not None
    runs = db.session.scalars(select(Job).order_by(Job.id)).all()
    assert [(r.schedule, r.state) for r in runs] == [
        ("training.approval_reminders", JobState.SUCCEEDED),
        ("mentoring.complete_due", JobState.SUCCEEDED),
        ("surveys.reminders", JobState.SUCCEEDED),
    ]
    assert runs[0].result["summary"].startswith("reminders=0")


def test_request_id_travels_into_the_job_and_its_logs(app, client, world):
    from tests.conftest import csrf_token, login
    from tests.factories import ROLE_EMAILS

    SEEN.clear()
    with app.app_context():
        job = Job(
            task="tests.remember_request",
            kwargs={},
            state=JobState.FAILED,
            instansi_id=world.a.id,
            request_id="old",
        )
        db.session.add(job)
        db.session.commit()
        job_id = job.id
        db.session.remove()
    login(client, ROLE_EMAILS["hr_admin"])
    token = csrf_token(client, "/jobs/")
    response = client.post(
        f"/jobs/{job_id}/retry",
        data={"csrf_token": token},
        headers={"X-Request-ID": "req-1234567890"},
    )
    assert response.headers["X-Request-ID"] == "req-1234567890"
    assert SEEN == ["old"]  # a retried job keeps the id of the request that first queued it
    with app.app_context():
        fresh = jobs.enqueue("tests.remember_request")
        assert fresh.request_id == ""
        db.session.commit()
    record = logging.makeLogRecord({"name": "bangkom", "msg": "x", "levelname": "INFO"})
    assert '"msg": "x"' in JsonFormatter().format(record)
