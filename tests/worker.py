"""Separate worker processes for tests: `flask jobs …` and a real Celery worker on Redis.

They use the suite's database (SQLite file or PostgreSQL) and the test's SMTP port, with short
leases so a killed worker's job is taken over within seconds.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest
import redis

ROOT = Path(__file__).resolve().parents[1]


def redis_url_or_skip() -> str:
    """REDIS_URL from the environment (CI's PostgreSQL run sets it), flushed; else skip
    (BANGKOM_REQUIRE_WORKER=1 turns the skip into a failure)."""
    url = os.environ.get("REDIS_URL", "")
    if not url:
        if os.environ.get("BANGKOM_REQUIRE_WORKER"):
            pytest.fail("REDIS_URL must be set for the real worker tests")
        pytest.skip("REDIS_URL is not set: the real Celery worker test runs in CI's PostgreSQL run")
    client = redis.Redis.from_url(url, socket_connect_timeout=2)
    try:
        client.flushdb()
    finally:
        client.close()
    return url


def worker_env(app, mail_port: int, broker: str = "") -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        MAIL_SERVER="127.0.0.1",
        MAIL_PORT=str(mail_port),
        REDIS_URL=broker,
        JOBS_BROKER_URL=broker,  # empty: what the sweep finds runs in that process
        JOBS_LEASE_SECONDS="3",
        JOBS_SWEEP_SECONDS="2",
        MAIL_LEASE_SECONDS="2",
        SECRET_KEY="test-secret",
        LOG_FORMAT="text",
    )
    return env


def flask_command(*args: str, env: dict[str, str]) -> subprocess.Popen[bytes]:
    return subprocess.Popen(
        [sys.executable, "-m", "flask", "--app", "wsgi", *args],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )


def celery_worker(env: dict[str, str]) -> subprocess.Popen[bytes]:
    """A Celery worker with its scheduler (beat), one process (solo pool), in its own group."""
    return subprocess.Popen(
        [
            sys.executable,
            "-m",
            "celery",
            "-A",
            "app.jobs.worker",
            "worker",
            "--beat",
            "--pool",
            "solo",
            "--loglevel",
            "WARNING",
            "--schedule",
            os.path.join(env.get("BANGKOM_INSTANCE_DIR", "/tmp"), f"beat-{os.getpid()}"),
        ],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )


def kill(process: subprocess.Popen[bytes]) -> None:
    """SIGKILL the process and its group (Celery's beat runs beside the worker)."""
    if process.poll() is None:
        try:
            own_group = os.getpgid(process.pid) == process.pid  # started in a new session
        except ProcessLookupError:
            own_group = False
        if own_group:
            os.killpg(process.pid, signal.SIGKILL)
        else:
            process.kill()
    process.communicate(timeout=30)
