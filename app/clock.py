"""The portal's one clock: what "now" and "today" are, and in which time zone.

Every feature asks this module, never `date.today()` or `datetime.now()`: the server may run in
UTC while the portal's users live in WIB, WITA or WIT, and features that disagree about the date
around midnight would open a campaign on one page and refuse it on the next.

- `utcnow()`: the current moment, timezone-aware in UTC (what is stored in the database).
- `local_now(zone)`, `local_today(zone)`: the moment and the date in a zone; without a zone, the
  zone of the signed-in user's instansi in a request, else the portal's (`PORTAL_TIMEZONE`,
  Asia/Jakarta by default).
- `zone_of(name)`: the zone of an instansi's `time_zone` column (NULL means the portal's);
  `instansi_zone(id)` looks it up: dates bound to an instansi's objects (a campaign's closing
  day) follow its zone whoever is looking.
- `aware(moment)`: SQLite hands back naive datetimes; they were stored in UTC.
- `frozen(at)`: tests stop the clock at a moment and move it (`clock.advance(days=90)`).
"""

from __future__ import annotations

import enum
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, g, has_app_context, has_request_context
from flask_login import current_user
from sqlalchemy import Select, column, select, table

DEFAULT_ZONE = "Asia/Jakarta"


class TimeZoneName(enum.StrEnum):
    """The three time zones of Indonesia, stored by their IANA names."""

    WIB = "Asia/Jakarta"
    WITA = "Asia/Makassar"
    WIT = "Asia/Jayapura"


@dataclass
class _Frozen:
    moment: datetime | None = None


_frozen = _Frozen()
_frozen_lock = threading.Lock()


def utcnow() -> datetime:
    """The current moment in UTC, timezone-aware; also the default of every timestamp column."""
    moment = _frozen.moment
    return moment if moment is not None else datetime.now(UTC)


def portal_zone() -> ZoneInfo:
    """The portal's own zone: `PORTAL_TIMEZONE` in the config, Asia/Jakarta without an app."""
    name = current_app.config.get("PORTAL_TIMEZONE") if has_app_context() else None
    return ZoneInfo(name or DEFAULT_ZONE)


def zone_of(name: str | None) -> ZoneInfo:
    """The zone stored on an instansi (`Instansi.time_zone`); NULL is the portal's zone."""
    return ZoneInfo(name) if name else portal_zone()


# The clock sits below every feature (import-linter): it reads the two columns it needs
# through lightweight table clauses instead of importing app.org.models.
_INSTANSI = table("instansi", column("id"), column("time_zone"))
_EMPLOYEE = table("employee", column("id"), column("instansi_id"))


def _scalar(query: Select[tuple[str | None]]) -> str | None:
    session = current_app.extensions["sqlalchemy"].session
    with session.no_autoflush:  # asking the time must not flush a half-built object
        name: str | None = session.scalar(query)
    return name


def _signed_in_zone_name() -> str | None:
    """The `time_zone` of the signed-in user's instansi (one query, cached for the request)."""
    if not current_user or not current_user.is_authenticated:
        return None
    if current_user.instansi_id is not None:
        return _scalar(
            select(_INSTANSI.c.time_zone).where(_INSTANSI.c.id == current_user.instansi_id)
        )
    if current_user.employee_id is not None:
        return _scalar(
            select(_INSTANSI.c.time_zone)
            .join(_EMPLOYEE, _EMPLOYEE.c.instansi_id == _INSTANSI.c.id)
            .where(_EMPLOYEE.c.id == current_user.employee_id)
        )
    return None


def instansi_zone(instansi_id: int | None) -> ZoneInfo:
    """The zone of one instansi (one query, cached for the request): dates bound to its objects,
    such as a campaign's closing day, follow it whoever is looking."""
    if instansi_id is None:
        return portal_zone()
    cache: dict[int, ZoneInfo] = (
        g.setdefault("clock_instansi_zones", {}) if has_request_context() else {}
    )
    if instansi_id not in cache:
        cache[instansi_id] = zone_of(
            _scalar(select(_INSTANSI.c.time_zone).where(_INSTANSI.c.id == instansi_id))
        )
    return cache[instansi_id]


def current_zone() -> ZoneInfo:
    """In a request, the zone of the signed-in user's instansi; otherwise the portal's."""
    if not has_request_context():
        return portal_zone()
    if "clock_zone" not in g:
        g.clock_zone = zone_of(_signed_in_zone_name())
    zone: ZoneInfo = g.clock_zone
    return zone


def local_now(zone: ZoneInfo | None = None) -> datetime:
    """The current moment in `zone` (default: `current_zone()`)."""
    return utcnow().astimezone(zone or current_zone())


def local_today(zone: ZoneInfo | None = None) -> date:
    """Today's date in `zone` (default: `current_zone()`), not the server's."""
    return local_now(zone).date()


def end_of_day(day: date, zone: ZoneInfo | None = None) -> datetime:
    """The first moment after the local `day`, in UTC (a deadline "until the 30th" ends here)."""
    return datetime.combine(day + timedelta(days=1), time(0), zone or current_zone()).astimezone(
        UTC
    )


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment


class FrozenClock:
    """A stopped clock for tests; `advance()` and `set()` move it."""

    def set(self, moment: datetime | date) -> datetime:
        """Stop the clock at `moment` (a date means 09:00 in the portal's zone that day)."""
        if not isinstance(moment, datetime):
            moment = datetime.combine(moment, time(9), portal_zone())
        if moment.tzinfo is None:
            raise ValueError("freeze the clock at an aware datetime")
        _frozen.moment = moment.astimezone(UTC)
        return _frozen.moment

    def advance(self, delta: timedelta | None = None, **parts: float) -> datetime:
        """Move the clock forward by `delta` or by timedelta keywords (`days=90`)."""
        return self.set(utcnow() + (delta or timedelta(**parts)))

    @property
    def now(self) -> datetime:
        return utcnow()


@contextmanager
def frozen(at: datetime | date | None = None) -> Iterator[FrozenClock]:
    """Stop the clock for the duration (tests only; every thread sees the same frozen time)."""
    if not _frozen_lock.acquire(blocking=False):
        raise RuntimeError("the clock is already frozen")
    clock = FrozenClock()
    try:
        clock.set(at if at is not None else utcnow())
        yield clock
    finally:
        _frozen.moment = None
        _frozen_lock.release()
