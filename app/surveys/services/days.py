"""The portal's local day and UTC moments: campaigns open and close by local days."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app


def local_today() -> date:
    """Today in the portal's timezone (Asia/Jakarta): campaigns open and close by local days."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")
    return datetime.now(zone).date()


def end_of_day(day: date) -> datetime:
    """The last moment of a local day, in UTC (invitations expire when the campaign closes)."""
    zone = ZoneInfo(current_app.config.get("BABEL_DEFAULT_TIMEZONE") or "Asia/Jakarta")
    return datetime.combine(day + timedelta(days=1), time(0), zone).astimezone(UTC)


def aware(moment: datetime | None) -> datetime | None:
    """SQLite hands back naive datetimes; they were stored in UTC."""
    if moment is not None and moment.tzinfo is None:
        return moment.replace(tzinfo=UTC)
    return moment
