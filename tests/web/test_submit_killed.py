"""kill -9 of gunicorn (master and both workers) while respondents submit: every acknowledged
submission is stored whole, nothing is stored half. Runs on the suite's database, so CI's
PostgreSQL run proves it there too."""

from __future__ import annotations

import http.cookiejar
import os
import re
import signal
import socket
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

import pytest
from sqlalchemy import func, select

from app.extensions import db
from app.surveys.models import Answer, Response, ResponseStatus
from tests.web.matrix.surveys import open_campaign
from tests.web.test_surveys_answering import one_page_dir  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[2]
SUBMITTERS = 6
KILL_AFTER = 300  # acknowledged submissions before the kill


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_gunicorn(app, surveys_dir: Path, port: int) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(
        DATABASE_URL=app.config["SQLALCHEMY_DATABASE_URI"],
        SECRET_KEY="test-secret",
        SURVEYS_DIR=str(surveys_dir),
        REDIS_URL="",
        JOBS_BROKER_URL="",
        LOG_FORMAT="text",
        LOG_LEVEL="WARNING",
    )
    return subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-w", "2", "-b", f"127.0.0.1:{port}", "wsgi:app"],
        cwd=ROOT,
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,  # its own process group: one killpg reaches every worker
    )


def wait_ready(base: str, process: subprocess.Popen[bytes]) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        assert process.poll() is None, "gunicorn exited"
        try:
            with urllib.request.urlopen(f"{base}/healthz", timeout=2):
                return
        except OSError:
            time.sleep(0.2)
    raise AssertionError("gunicorn did not start")


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):  # type: ignore[no-untyped-def]
        return None


def submit_once(base: str, public: str, n: int) -> str | None:
    """One respondent: open the link, send the page; the submission key when acknowledged."""
    jar = http.cookiejar.CookieJar()
    opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(jar), NoRedirect())
    with opener.open(f"{base}/s/{public}", timeout=10) as page:
        html = page.read().decode()
    key = re.search(r'name="submission_key" value="([^"]+)"', html).group(1)
    token = re.search(r'name="csrf_token" value="([^"]+)"', html).group(1)
    body = urllib.parse.urlencode(
        {
            "csrf_token": token,
            "submission_key": key,
            "action": "submit",
            "kelompok": "masyarakat" if n % 2 else "swasta",
            "nilai": str(1 + n % 5),
            "catatan": f"catatan {n}",
        }
    ).encode()
    try:
        opener.open(f"{base}/s/{public}", data=body, timeout=10)
    except urllib.error.HTTPError as error:
        return key if error.code == 303 else None
    return None


@pytest.mark.slow
def test_kill_9_during_submissions_loses_no_acknowledged_response(app, world, one_page_dir):  # noqa: F811
    with app.app_context():
        campaign = open_campaign(world.a.id, "satu_halaman")
        public = campaign.public_token
        db.session.commit()
        db.session.remove()
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = start_gunicorn(app, one_page_dir, port)
    acknowledged: list[str] = []
    lock, stop = threading.Lock(), threading.Event()

    def respondent(worker: int) -> None:
        n = worker
        while not stop.is_set():
            try:
                key = submit_once(base, public, n)
            except OSError:
                return  # the server is gone
            if key:
                with lock:
                    acknowledged.append(key)
            n += SUBMITTERS

    try:
        wait_ready(base, server)
        threads = [threading.Thread(target=respondent, args=(w,)) for w in range(SUBMITTERS)]
        for thread in threads:
            thread.start()
        deadline = time.monotonic() + 120
        while len(acknowledged) < KILL_AFTER and time.monotonic() < deadline:
            time.sleep(0.05)
        os.killpg(server.pid, signal.SIGKILL)  # mid-flight: requests are being handled
        stop.set()
        for thread in threads:
            thread.join(timeout=30)
    finally:
        if server.poll() is None:
            os.killpg(server.pid, signal.SIGKILL)
        server.communicate(timeout=30)
    assert len(acknowledged) >= KILL_AFTER
    with app.app_context():
        stored = dict(
            db.session.execute(
                select(Response.submission_key, func.count(Answer.id))
                .outerjoin(Answer, Answer.response_id == Response.id)
                .where(Response.status == ResponseStatus.SUBMITTED)
                .group_by(Response.submission_key)
            ).all()
        )
    missing = [key for key in acknowledged if key not in stored]
    assert not missing, f"{len(missing)} acknowledged submissions were lost"
    assert all(count == 3 for count in stored.values()), "a response was stored half"
    print(f"kill -9: {len(acknowledged)} acknowledged, {len(stored)} stored")
