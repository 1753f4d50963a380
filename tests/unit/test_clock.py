"""The portal's one clock: zones, frozen time for tests, and the instansi's own zone."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from flask import Flask, g
from flask_login import login_user
from sqlalchemy import update

from app import clock as portal_clock
from app.accounts.models import User
from app.clock import (
    FrozenClock,
    TimeZoneName,
    aware,
    current_zone,
    end_of_day,
    frozen,
    local_now,
    local_today,
    portal_zone,
    utcnow,
    zone_of,
)
from app.config import load_config
from app.extensions import db
from app.org.models import Instansi

WIB, WIT = ZoneInfo("Asia/Jakarta"), ZoneInfo("Asia/Jayapura")


def test_the_portal_zone_is_jakarta_by_default(ctx: Flask) -> None:
    assert portal_zone() == WIB
    assert zone_of(None) == WIB
    assert zone_of(TimeZoneName.WIT) == WIT


def test_the_portal_zone_comes_from_the_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PORTAL_TIMEZONE", "Asia/Makassar")
    values = load_config()
    assert values["PORTAL_TIMEZONE"] == values["BABEL_DEFAULT_TIMEZONE"] == "Asia/Makassar"
    monkeypatch.setenv("PORTAL_TIMEZONE", "Mars/Olympus")
    with pytest.raises(KeyError):
        load_config()


def test_late_evening_utc_is_already_tomorrow_in_indonesia(ctx: Flask, clock: FrozenClock) -> None:
    clock.set(datetime(2026, 3, 1, 20, 30, tzinfo=UTC))
    assert local_today(WIB) == date(2026, 3, 2)  # 03:30 WIB
    assert local_today(WIT) == date(2026, 3, 2)
    clock.set(datetime(2026, 3, 1, 16, 30, tzinfo=UTC))
    assert local_today(WIB) == date(2026, 3, 1)  # 23:30 WIB
    assert local_today(WIT) == date(2026, 3, 2)  # 01:30 WIT
    assert local_now(WIT).hour == 1


def test_a_frozen_clock_moves_only_when_told(clock: FrozenClock) -> None:
    start = utcnow()
    assert utcnow() == start
    clock.advance(days=90)
    assert utcnow() - start == timedelta(days=90)
    clock.advance(timedelta(hours=1))
    assert clock.now - start == timedelta(days=90, hours=1)
    clock.set(date(2026, 6, 1))
    assert local_now(WIB) == datetime(2026, 6, 1, 9, 0, tzinfo=WIB)


def test_the_clock_runs_again_after_the_freeze() -> None:
    with frozen(datetime(2020, 1, 1, tzinfo=UTC)):
        assert utcnow().year == 2020
        with pytest.raises(RuntimeError), frozen():
            pass
    assert utcnow().year >= 2026
    with pytest.raises(ValueError), frozen(datetime(2020, 1, 1)):
        pass


def test_row_timestamps_follow_the_frozen_clock(ctx: Flask, clock: FrozenClock) -> None:
    clock.advance(days=90)
    instansi = Instansi(code="x", name="X", kind="kota")
    db.session.add(instansi)
    db.session.commit()
    assert aware(instansi.created_at) == utcnow()


def test_end_of_day_and_aware(ctx: Flask) -> None:
    assert end_of_day(date(2026, 3, 31), WIB) == datetime(2026, 3, 31, 17, tzinfo=UTC)
    assert end_of_day(date(2026, 3, 31), WIT) == datetime(2026, 3, 31, 15, tzinfo=UTC)
    assert aware(datetime(2026, 1, 1)) == datetime(2026, 1, 1, tzinfo=UTC)
    assert aware(None) is None


def test_requests_use_the_zone_of_the_users_instansi(app: Flask, world, clock) -> None:
    """Staff of an instansi in WIT see WIT dates; the zone is looked up once per request."""
    clock.set(datetime(2026, 3, 1, 16, 30, tzinfo=UTC))  # 23:30 WIB, 01:30 WIT
    with app.test_request_context():
        db.session.execute(
            update(Instansi).where(Instansi.id == world.a.id).values(time_zone=TimeZoneName.WIT)
        )
        db.session.commit()
        login_user(db.session.get(User, world.users["employee"].id))
        assert local_today() == date(2026, 3, 2)
        assert current_zone() == WIT == g.clock_zone
    with app.test_request_context():
        assert current_zone() == WIB and local_today() == date(2026, 3, 1)  # anonymous: portal


def test_the_clock_module_is_the_only_reader_of_the_system_time() -> None:
    """date.today() and datetime.now() appear nowhere else in app/ (the server's zone leaks)."""
    root = Path(portal_clock.__file__).parent
    offenders = [
        str(path)
        for path in root.rglob("*.py")
        if path.name != "clock.py"
        and any(
            needle in path.read_text()
            for needle in ("date.today()", "datetime.now(", "datetime.utcnow(", "ZoneInfo(")
        )
        and "config.py" not in path.name
    ]
    assert not offenders, f"use app.clock (utcnow, local_today, zones) instead in {offenders}"
