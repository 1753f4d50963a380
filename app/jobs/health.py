"""Readiness checks: the database (required), Redis and the job queue (degraded when down).

The web keeps serving without Redis (login throttling falls back to per-process counters, jobs
stay queued in the database), so only a database failure makes the process unready (503).
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

import redis
from flask import current_app
from sqlalchemy import func, select, text

from app.clock import utcnow
from app.extensions import db
from app.jobs.models import Job, JobState
from app.jobs.queue import is_eager

STALLED_AFTER = timedelta(minutes=5)


def _timed(check: Callable[[], dict[str, Any]]) -> dict[str, Any]:
    started = time.perf_counter()
    try:
        result = check()
    except Exception as error:  # every failure is a check result, never a 500
        result = {"status": "down", "error": f"{type(error).__name__}: {error}"[:300]}
    result["ms"] = round((time.perf_counter() - started) * 1000, 1)
    return result


def _database() -> dict[str, Any]:
    db.session.execute(text("SELECT 1"))
    return {"status": "ok"}


def _redis() -> dict[str, Any]:
    url = current_app.config.get("REDIS_URL")
    if not url:
        return {"status": "off"}
    client = redis.Redis.from_url(url, socket_connect_timeout=1, socket_timeout=1)
    try:
        client.ping()
    finally:
        client.close()
    return {"status": "ok"}


def _queue() -> dict[str, Any]:
    """Broker reachable, and no due job waiting longer than 5 minutes (no worker running?)."""
    now = utcnow()
    waiting, oldest = db.session.execute(
        select(func.count(), func.min(Job.run_after)).where(
            Job.state == JobState.QUEUED, Job.run_after <= now
        )
    ).one()
    failed = db.session.scalar(
        select(func.count()).select_from(Job).where(Job.state == JobState.FAILED)
    )
    info: dict[str, Any] = {"status": "ok", "waiting": waiting, "failed": failed}
    if is_eager():
        info["mode"] = "eager"
        return info
    info["mode"] = "celery"
    with current_app.extensions["celery"].connection_for_write() as connection:
        connection.ensure_connection(max_retries=1, timeout=2)
    if oldest is not None:
        oldest = oldest if oldest.tzinfo else oldest.replace(tzinfo=now.tzinfo)
        if now - oldest > STALLED_AFTER:
            info.update(status="stalled", oldest_seconds=int((now - oldest).total_seconds()))
    return info


def readiness() -> tuple[dict[str, Any], int]:
    checks = {"database": _timed(_database), "redis": _timed(_redis), "queue": _timed(_queue)}
    if checks["database"]["status"] != "ok":
        db.session.rollback()
        return {"status": "down", "checks": checks}, 503
    degraded = any(c["status"] not in ("ok", "off") for c in checks.values())
    return {"status": "degraded" if degraded else "ok", "checks": checks}, 200
