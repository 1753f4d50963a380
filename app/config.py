"""Configuration: environment variables over an embedded default (SQLite in instance/)."""

from __future__ import annotations

import os
import secrets
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from app.clock import DEFAULT_ZONE

REPO_ROOT = Path(__file__).resolve().parent.parent
INSTANCE_DIR = Path(os.environ.get("BANGKOM_INSTANCE_DIR") or REPO_ROOT / "instance")


def database_url() -> str:
    """DATABASE_URL if set (postgresql:// is routed to psycopg 3), else the embedded SQLite file."""
    url = os.environ.get("DATABASE_URL", "").strip()
    if not url:
        return f"sqlite:///{INSTANCE_DIR / 'bangkom.sqlite3'}"
    for prefix in ("postgres://", "postgresql://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def secret_key() -> str:
    """SECRET_KEY if set, else a key generated once into instance/secret_key (mode 0600)."""
    if key := os.environ.get("SECRET_KEY"):
        return key
    path = INSTANCE_DIR / "secret_key"
    if path.exists():
        return path.read_text().strip()
    INSTANCE_DIR.mkdir(parents=True, exist_ok=True)
    key = secrets.token_hex(32)
    # O_EXCL: two workers starting at once must end up with the same key.
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    except FileExistsError:
        return path.read_text().strip()
    with os.fdopen(fd, "w") as handle:
        handle.write(key)
    return key


def _bool(name: str, default: bool) -> bool:
    value = os.environ.get(name)
    if value is None:
        return default
    return value.strip().lower() in {"1", "true", "yes", "on"}


class Config:
    """Production-safe defaults; every value can be overridden from the environment."""

    SQLALCHEMY_DATABASE_URI = ""  # filled in by load_config so tests can change the env first
    SQLALCHEMY_RECORD_QUERIES = False
    SECRET_KEY = ""
    REDIS_URL = ""
    SURVEYS_DIR = str(REPO_ROOT / "surveys")

    BABEL_DEFAULT_LOCALE = "id"
    # The portal's time zone (app.clock); an instansi may choose WITA or WIT instead.
    PORTAL_TIMEZONE = DEFAULT_ZONE
    LANGUAGES = ("id", "en")

    WTF_CSRF_TIME_LIMIT = (
        None  # tied to the session instead, so a long survey never loses its token
    )
    SESSION_COOKIE_HTTPONLY = True
    SESSION_COOKIE_SAMESITE = "Lax"
    # None = automatic: Secure unless the request is for localhost (127.0.0.1, ::1); set
    # true/false to force it (false only for plain HTTP on a private network).
    SESSION_COOKIE_SECURE: bool | None = None
    REMEMBER_COOKIE_SECURE = True
    REMEMBER_COOKIE_HTTPONLY = True
    REMEMBER_COOKIE_SAMESITE = "Lax"
    # Strict-Transport-Security on every HTTPS response (0 = off)
    HSTS_SECONDS = 365 * 24 * 3600
    PERMANENT_SESSION_LIFETIME = timedelta(hours=12)
    SESSION_IDLE_TIMEOUT = timedelta(hours=2)

    MAX_CONTENT_LENGTH = 10 * 1024 * 1024
    MAX_FORM_MEMORY_SIZE = 2 * 1024 * 1024

    # Login throttling (app/accounts/throttle.py): failures allowed before delays start, per
    # account and client pair, per client, per account from unknown clients; then each attempt
    # waits twice as long as the last (base .. max seconds). Failures are forgotten a window after
    # the last one. Counters: "" = Redis when REDIS_URL is set, else the database; "memory" is
    # for the development server and tests only (refused otherwise: per-process counters).
    LOGIN_LIMIT_PER_ACCOUNT = 5
    LOGIN_LIMIT_PER_CLIENT = 20
    LOGIN_LIMIT_ACCOUNT_WIDE = 50
    LOGIN_DELAY_BASE_SECONDS = 2.0
    LOGIN_DELAY_MAX_SECONDS = 900.0
    LOGIN_LIMIT_WINDOW_SECONDS = 24 * 3600
    LOGIN_KNOWN_CLIENT_DAYS = 30
    LOGIN_COUNTER_STORE = ""
    # Reverse proxies in front of the app whose X-Forwarded-For/-Proto are trusted (ProxyFix);
    # 0 = none: the client address is the TCP peer. Set it to the number of proxies you run.
    TRUSTED_PROXY_HOPS = 0

    # Argon2id parameters (RFC 9106 low-memory profile by default).
    PASSWORD_TIME_COST = 3
    PASSWORD_MEMORY_COST = 64 * 1024
    PASSWORD_PARALLELISM = 4

    MAIL_SERVER = ""
    MAIL_PORT = 25
    MAIL_USE_TLS = False
    MAIL_USERNAME = ""
    MAIL_PASSWORD = ""
    MAIL_DEFAULT_SENDER = "Bangkom <no-reply@bangkom.local>"
    MAIL_OUTBOX_DIR = str(INSTANCE_DIR / "outbox")
    MAIL_MESSAGE_ID_DOMAIN = "bangkom.local"
    MAIL_LEASE_SECONDS = 60  # a message handed to SMTP by a worker that died is resent after this
    MAIL_MAX_ATTEMPTS = 8

    # Background jobs (app/jobs): Celery on JOBS_BROKER_URL, which defaults to REDIS_URL; with
    # neither set, jobs run in-process right after the transaction that queued them commits.
    JOBS_BROKER_URL: str | None = None
    JOBS_TIMEZONE = ""  # the zone of the cron entries; empty follows PORTAL_TIMEZONE
    JOBS_LEASE_SECONDS = 120  # a running job whose worker stops reporting is taken over after this
    JOBS_RETRY_BASE_SECONDS = 30  # backoff: 30 s, 60 s, 120 s ... between attempts
    JOBS_RETRY_MAX_SECONDS = 3600
    JOBS_SWEEP_SECONDS = 30  # how often the scheduler hands over due and orphaned jobs
    EXPORT_INLINE_MAX_ROWS = 5_000  # a larger export is written by a job (app/jobs/exports.py)
    JOBS_REDISPATCH_SECONDS = 600  # a job handed over but not claimed for this long is sent again
    JOBS_SCHEDULE: dict[str, str] = {}  # entry name → cron text or "off" (env: name=cron;...)
    PUBLIC_URL = ""  # e.g. https://bangkom.example.go.id: links in mail sent by jobs
    LOG_FORMAT = "json"
    LOG_LEVEL = "INFO"

    IMPORT_DIR = str(INSTANCE_DIR / "imports")
    INSTANCE_DIR = str(INSTANCE_DIR)  # last: the class body reads the module-level Path above


ENV_OVERRIDES: dict[str, type] = {
    "REDIS_URL": str,
    "MAIL_SERVER": str,
    "MAIL_PORT": int,
    "MAIL_USE_TLS": bool,
    "MAIL_USERNAME": str,
    "MAIL_PASSWORD": str,
    "MAIL_DEFAULT_SENDER": str,
    "SESSION_COOKIE_SECURE": bool,
    "HSTS_SECONDS": int,
    "LOGIN_COUNTER_STORE": str,
    "TRUSTED_PROXY_HOPS": int,
    "SURVEYS_DIR": str,
    "JOBS_BROKER_URL": str,
    "MAIL_LEASE_SECONDS": int,
    "MAIL_OUTBOX_DIR": str,
    "JOBS_TIMEZONE": str,
    "JOBS_LEASE_SECONDS": int,
    "JOBS_SCHEDULE": dict,
    "PUBLIC_URL": str,
    "JOBS_RETRY_BASE_SECONDS": int,
    "JOBS_SWEEP_SECONDS": int,
    "EXPORT_INLINE_MAX_ROWS": int,
    "LOG_FORMAT": str,
    "LOG_LEVEL": str,
    "PORTAL_TIMEZONE": str,
}


def _schedule(raw: str) -> dict[str, str]:
    """`name=cron;name=off` → {name: cron}; blanks ignored."""
    pairs = (item.split("=", 1) for item in raw.split(";") if "=" in item)
    return {name.strip(): cron.strip() for name, cron in pairs if name.strip()}


def _public_url(values: dict[str, object]) -> None:
    """PUBLIC_URL gives url_for outside requests (jobs, CLI) its scheme, host and root."""
    url = str(values.get("PUBLIC_URL") or "").strip()
    if not url or values.get("SERVER_NAME"):
        return
    parts = urlsplit(url)
    values["SERVER_NAME"] = parts.netloc
    values["PREFERRED_URL_SCHEME"] = parts.scheme or "https"
    values["APPLICATION_ROOT"] = parts.path.rstrip("/") or "/"


def load_config(overrides: dict[str, object] | None = None) -> dict[str, object]:
    """Config values: class defaults, then the environment, then explicit overrides (tests)."""
    values = {key: getattr(Config, key) for key in dir(Config) if key.isupper()}
    values["SQLALCHEMY_DATABASE_URI"] = database_url()
    for name, kind in ENV_OVERRIDES.items():
        raw = os.environ.get(name)
        if raw is None:
            continue
        if kind is bool:
            values[name] = _bool(name, False)
        elif kind is int:
            values[name] = int(raw)
        elif kind is dict:
            values[name] = _schedule(raw)
        else:
            values[name] = raw
    values.update(overrides or {})
    _public_url(values)
    ZoneInfo(str(values["PORTAL_TIMEZONE"]))  # an unknown zone fails at start, not on a page
    values["BABEL_DEFAULT_TIMEZONE"] = values["PORTAL_TIMEZONE"]
    values["JOBS_TIMEZONE"] = values["JOBS_TIMEZONE"] or values["PORTAL_TIMEZONE"]
    if not values.get("SECRET_KEY"):
        values["SECRET_KEY"] = secret_key()
    return values
