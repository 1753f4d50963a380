"""Shared fixtures: one app and schema per session, an empty database for every test.

The database is SQLite in a temporary folder by default; set DATABASE_URL to run the same
suite against PostgreSQL.
"""

from __future__ import annotations

import logging
import os
import re
import tempfile
from collections.abc import Iterator
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from hypothesis import HealthCheck, settings

os.environ.setdefault("BANGKOM_INSTANCE_DIR", tempfile.mkdtemp(prefix="bangkom-test-"))

from flask import Flask
from flask.testing import FlaskClient
from sqlalchemy import text

from app import create_app
from app.clock import FrozenClock, frozen
from app.extensions import db
from app.models import Base
from app.web.requestlog import JsonFormatter

TEST_PASSWORD = "correct horse battery"

# Generated inputs are checked for correctness, not speed: on a loaded CI machine Hypothesis'
# timing health checks and per-example deadlines would fail tests that are right.
settings.register_profile("bangkom", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("bangkom")


def database_url_for_tests(tmp_root: str) -> str:
    url = os.environ.get("DATABASE_URL", "").strip()
    if url:
        return url.replace("postgresql://", "postgresql+psycopg://", 1)
    return f"sqlite:///{tmp_root}/test.sqlite3"


@pytest.fixture(scope="session")
def app() -> Iterator[Flask]:
    tmp_root = tempfile.mkdtemp(prefix="bangkom-db-")
    application = create_app(
        {
            "TESTING": True,
            "SQLALCHEMY_DATABASE_URI": database_url_for_tests(tmp_root),
            "SECRET_KEY": "test-secret",
            "PASSWORD_TIME_COST": 1,
            "PASSWORD_MEMORY_COST": 1024,
            "PASSWORD_PARALLELISM": 1,
            "IMPORT_DIR": os.path.join(tmp_root, "imports"),
            "MAIL_OUTBOX_DIR": os.path.join(tmp_root, "outbox"),
            "REDIS_URL": "",
            "LOGIN_DELAY_BASE_SECONDS": 60.0,  # a refused attempt stays refused while a test runs
            "SERVER_NAME": "localhost",
        }
    )
    with application.app_context():
        db.drop_all()
        db.create_all()
    yield application
    with application.app_context():
        db.session.remove()
        db.engine.dispose()


def empty_all_tables() -> None:
    """Remove every row; PostgreSQL in one TRUNCATE, SQLite table by table (children first)."""
    db.session.rollback()
    tables = Base.metadata.sorted_tables
    if db.engine.dialect.name == "postgresql":
        names = ", ".join(f'"{table.name}"' for table in tables)
        db.session.execute(text(f"TRUNCATE {names} RESTART IDENTITY CASCADE"))
    else:
        for table in reversed(tables):
            db.session.execute(table.delete())
    db.session.commit()


@pytest.fixture(autouse=True)
def clean_state(app: Flask) -> Iterator[None]:
    """Every test starts with empty tables and fresh login throttles."""
    yield
    app.extensions.pop("bangkom_login_throttle", None)
    with app.app_context():
        empty_all_tables()
        db.session.remove()


@pytest.fixture
def ctx(app: Flask) -> Iterator[Flask]:
    """An application context for service-level tests."""
    with app.test_request_context():
        yield app
        db.session.remove()


@pytest.fixture
def clock() -> Iterator[FrozenClock]:
    """The portal's clock stopped at Monday 2 March 2026, 09:00 WIB; `clock.advance(days=90)`."""
    with frozen(datetime(2026, 3, 2, 9, 0, tzinfo=ZoneInfo("Asia/Jakarta"))) as stopped:
        yield stopped


@pytest.fixture
def client(app: Flask) -> FlaskClient:
    return app.test_client()


CSRF_PATTERN = re.compile(r'name="csrf_token"[^>]*value="([^"]+)"')


def csrf_token_from(html: str) -> str:
    match = CSRF_PATTERN.search(html)
    assert match, "page has no CSRF token"
    return match.group(1)


def csrf_token(client: FlaskClient, path: str = "/login") -> str:
    """A valid token for the client's session, read from a rendered form."""
    return csrf_token_from(client.get(path).get_data(as_text=True))


def login(client: FlaskClient, email: str, password: str = TEST_PASSWORD) -> None:
    token = csrf_token(client)
    response = client.post(
        "/login", data={"login": email, "password": password, "csrf_token": token}
    )
    assert response.status_code == 303, response.get_data(as_text=True)[:500]


def detach(*objects: object) -> None:
    """Load every column, then detach, so web tests can read the objects between requests.

    Web tests must not hold an app context open while they use the client: Flask would reuse
    it (and its `g`) for every request.
    """
    for obj in objects:
        db.session.refresh(obj)
    db.session.expunge_all()


@pytest.fixture
def world(app: Flask):
    """The standard two-instansi world with one login per role, detached from the session."""
    from tests.factories import build_users, build_world

    with app.app_context():
        built = build_world()
        users = build_users(built)
        detach(*[getattr(built, name) for name in built.__dataclass_fields__], *users.values())
        db.session.remove()
    built.users = users  # type: ignore[attr-defined]
    return built


class QueryCounter:
    """Counts SQL statements sent through the app's engine while active."""

    def __init__(self, app: Flask) -> None:
        with app.app_context():
            self.engine = db.engine
        self.count = 0

    def _on_execute(self, *args: object) -> None:
        self.count += 1

    def __enter__(self) -> QueryCounter:
        from sqlalchemy import event

        event.listen(self.engine, "before_cursor_execute", self._on_execute)
        return self

    def __exit__(self, *exc: object) -> None:
        from sqlalchemy import event

        event.remove(self.engine, "before_cursor_execute", self._on_execute)


class JsonLines(logging.Handler):
    """The production JSON formatter, applied as each record is written (request id included)."""

    def __init__(self) -> None:
        super().__init__(logging.INFO)
        self.setFormatter(JsonFormatter())
        self.lines: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.lines.append(self.format(record))


@pytest.fixture
def json_log() -> Iterator[JsonLines]:
    """Every `bangkom` log line written during the test, as the production JSON log has it."""
    logger = logging.getLogger("bangkom")
    handler, level = JsonLines(), logger.level
    logger.addHandler(handler)
    logger.setLevel(logging.INFO)
    yield handler
    logger.removeHandler(handler)
    logger.setLevel(level)
