"""Jobs: eager run after commit, idempotency keys, retries with backoff, lease takeover after a
killed worker, broker down, and scheduler entries recorded once per tick."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from app import jobs
from app.clock import utcnow
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import make_celery
from app.jobs.registry import SCHEDULE, periodic
from app.jobs.runner import JobContext, LeaseLost, claim, run_job, sweep
from app.jobs.schedule import run_entry, schedule_overview

CALLS: list[tuple[str, int]] = []


@jobs.task("tests.count", label="Counting")
def count_task(ctx: JobContext, upto: int) -> None:
    for done in range(1, upto + 1):
        CALLS.append(("count", done))
        ctx.progress(done, upto)
    ctx.result = {"summary": f"counted to {upto}"}


@jobs.task("tests.flaky", max_attempts=3)
def flaky_task(ctx: JobContext, fail_times: int) -> None:
    CALLS.append(("flaky", ctx.attempt))
    if ctx.attempt <= fail_times:
        raise RuntimeError(f"attempt {ctx.attempt} broke")


@jobs.task("tests.permanent")
def permanent_task(ctx: JobContext) -> None:
    raise jobs.PermanentFailure("the campaign was deleted")


def utc(moment: datetime) -> datetime:
    """SQLite hands back naive UTC datetimes, PostgreSQL aware ones."""
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def time_passes(job: Job, seconds: float) -> None:
    """Move the job's clocks back instead of the wall clock forward."""
    shift = timedelta(seconds=seconds)
    for name in ("run_after", "lease_until", "dispatched_at"):
        if getattr(job, name) is not None:
            setattr(job, name, utc(getattr(job, name)) - shift)
    db.session.commit()


@pytest.fixture(autouse=True)
def fresh_calls():
    CALLS.clear()
    yield
    CALLS.clear()


def test_eager_job_runs_after_commit_with_progress_and_result(ctx):
    job = jobs.enqueue("tests.count", upto=3)
    assert CALLS == [] and job.state == JobState.QUEUED  # nothing runs before the commit
    db.session.commit()
    assert CALLS == [("count", 1), ("count", 2), ("count", 3)]
    db.session.refresh(job)
    assert job.state == JobState.SUCCEEDED and job.attempts == 1
    assert (job.progress_done, job.progress_total, job.percent) == (3, 3, 100)
    assert job.result == {"summary": "counted to 3"}
    assert job.lease_owner is None


def test_rolled_back_job_never_runs(ctx):
    jobs.enqueue("tests.count", upto=1)
    db.session.rollback()
    db.session.commit()
    assert CALLS == [] and db.session.query(Job).count() == 0


def test_idempotency_key_returns_the_first_job(ctx):
    first = jobs.enqueue("tests.count", upto=1, key="count:once")
    second = jobs.enqueue("tests.count", upto=1, key="count:once")
    db.session.commit()
    assert first.id == second.id and CALLS == [("count", 1)]
    again = jobs.enqueue("tests.count", upto=1, key="count:once")
    db.session.commit()
    assert again.id == first.id and len(CALLS) == 1


def test_failures_back_off_then_succeed(ctx):
    job = jobs.enqueue("tests.flaky", fail_times=1)
    db.session.commit()
    db.session.refresh(job)
    assert job.state == JobState.QUEUED and job.attempts == 1
    assert "attempt 1 broke" in job.last_error
    assert utc(job.run_after) > utcnow() + timedelta(seconds=25)  # 30 s backoff, not at once
    assert sweep() == 0  # not due yet
    time_passes(job, 40)
    assert sweep() == 1
    db.session.refresh(job)
    assert job.state == JobState.SUCCEEDED and job.attempts == 2 and job.last_error == ""


def test_a_job_that_keeps_failing_stops_after_its_attempts_and_shows_why(ctx):
    job = jobs.enqueue("tests.flaky", fail_times=99)
    db.session.commit()
    for _ in range(5):
        time_passes(job, 7200)
        sweep()
    db.session.refresh(job)
    assert job.state == JobState.FAILED and job.attempts == 3
    assert "attempt 3 broke" in job.last_error
    assert CALLS == [("flaky", 1), ("flaky", 2), ("flaky", 3)]


def test_permanent_failure_is_not_retried(ctx):
    job = jobs.enqueue("tests.permanent")
    db.session.commit()
    db.session.refresh(job)
    assert job.state == JobState.FAILED and job.attempts == 1
    assert job.last_error == "the campaign was deleted"


def test_killed_worker_job_is_taken_over_after_its_lease(app, ctx):
    app.config["JOBS_BROKER_URL"] = "memory://"  # queue without running, as with a real broker
    try:
        job = jobs.enqueue("tests.count", upto=2)
        db.session.commit()
    finally:
        app.config["JOBS_BROKER_URL"] = ""
    assert claim(job.id, "worker-that-dies")  # claimed, then the process is killed
    assert run_job(job.id, "second-worker") is None  # the lease still holds
    dead = JobContext(job.id, "worker-that-dies", 1, 120)
    assert sweep() == 0
    time_passes(job, 121)
    assert sweep() == 1
    db.session.refresh(job)
    assert job.state == JobState.SUCCEEDED and job.attempts == 2
    with pytest.raises(LeaseLost):  # the old worker, were it only paused, cannot write any more
        dead.progress(1, 2)


def test_worker_dying_every_attempt_ends_failed(app, ctx):
    app.config["JOBS_BROKER_URL"] = "memory://"
    try:
        job = jobs.enqueue("tests.flaky", fail_times=0)
        db.session.commit()
    finally:
        app.config["JOBS_BROKER_URL"] = ""
    for attempt in range(3):
        assert claim(job.id, f"dies-{attempt}")
        time_passes(job, 200)
    sweep()
    db.session.refresh(job)
    assert job.state == JobState.FAILED and "worker stopped" in job.last_error
    assert CALLS == []


def test_broker_down_keeps_the_job_queued_for_the_sweep(app, ctx):
    app.config["JOBS_BROKER_URL"] = "redis://127.0.0.1:1/0"
    app.extensions["celery"] = make_celery(app)
    try:
        job = jobs.enqueue("tests.count", upto=1)
        db.session.commit()  # must not raise: the request goes on
        db.session.refresh(job)
        assert job.state == JobState.QUEUED and job.dispatched_at is None
    finally:
        app.config["JOBS_BROKER_URL"] = ""
        app.extensions["celery"] = make_celery(app)
    assert sweep() == 1  # eager again: the sweep runs it here
    db.session.refresh(job)
    assert job.state == JobState.SUCCEEDED


def test_retry_of_a_failed_job_gives_fresh_attempts(ctx):
    from app.jobs.runner import retry

    job = jobs.enqueue("tests.permanent")
    db.session.commit()
    db.session.refresh(job)
    retry(job)
    db.session.commit()
    db.session.refresh(job)
    assert job.state == JobState.FAILED and job.attempts == 2 and job.max_attempts == 6


def test_schedule_entry_runs_once_per_tick_and_is_recorded(ctx):
    periodic("tests.every-morning", "tests.count", "0 8 * * *", "Count each morning", upto=1)
    try:
        tick = utcnow()
        first = run_entry("tests.every-morning", now=tick)
        second = run_entry("tests.every-morning", now=tick)  # a second scheduler, same minute
        assert first is not None and second is not None and first.id == second.id
        assert CALLS == [("count", 1)]
        rows = {row.name: row for row in schedule_overview()}
        assert rows["tests.every-morning"].last_run.id == first.id
        assert rows["tests.every-morning"].last_run.schedule == "tests.every-morning"
    finally:
        SCHEDULE.pop("tests.every-morning")


def test_schedule_can_be_switched_off_in_config(app, ctx):
    periodic("tests.off", "tests.count", "* * * * *", upto=1)
    app.config["JOBS_SCHEDULE"] = {"tests.off": "off"}
    try:
        assert run_entry("tests.off") is None
        beat = make_celery(app).conf.beat_schedule
        assert "tests.off" not in beat and "bangkom.sweep" in beat
    finally:
        app.config["JOBS_SCHEDULE"] = {}
        SCHEDULE.pop("tests.off")
