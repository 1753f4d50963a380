"""Engine settings: SQLite runs in WAL with a busy timeout and never reports 'database is locked'."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import func, select, text

from app.extensions import db
from app.org.models import Instansi, InstansiKind


def test_sqlite_pragmas_on_a_fresh_connection(app):
    with app.app_context():
        if db.engine.dialect.name != "sqlite":
            pytest.skip("SQLite settings")
        with db.engine.connect() as connection:
            assert connection.execute(text("PRAGMA journal_mode")).scalar() == "wal"
            assert connection.execute(text("PRAGMA busy_timeout")).scalar() >= 5000
            assert connection.execute(text("PRAGMA foreign_keys")).scalar() == 1


def test_postgresql_connections_run_without_jit(app):
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            pytest.skip("PostgreSQL settings")
        with db.engine.connect() as connection:
            assert connection.execute(text("SHOW jit")).scalar() == "off"
            # the setting is a session default, not an open transaction left behind
            assert connection.execute(text("SELECT 1")).scalar() == 1


@pytest.mark.slow
def test_concurrent_read_then_write_transactions_do_not_fail(app):
    """8 threads × 100 transactions that read, then write: the pattern that fails as SQLITE_BUSY
    in deferred mode. Every transaction must commit."""
    errors: list[BaseException] = []

    def worker(number: int) -> None:
        try:
            with app.app_context():
                for i in range(100):
                    db.session.scalar(select(func.count()).select_from(Instansi))
                    db.session.add(
                        Instansi(code=f"t{number}-{i}", name="x", kind=InstansiKind.KOTA)
                    )
                    db.session.commit()
                db.session.remove()
        except BaseException as error:
            errors.append(error)

    threads = [threading.Thread(target=worker, args=(n,)) for n in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert not errors, errors[:3]
    with app.app_context():
        assert db.session.scalar(select(func.count()).select_from(Instansi)) == 800


def test_foreign_keys_are_enforced(app):
    from sqlalchemy.exc import IntegrityError

    from app.org.models import OrgUnit, UnitKind

    with app.app_context():
        db.session.add(OrgUnit(instansi_id=999_999, name="x", kind=UnitKind.DINAS, path="/x/"))
        with pytest.raises(IntegrityError):
            db.session.commit()
        db.session.rollback()
