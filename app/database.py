"""Engine tuning: SQLite WAL with write-ahead locking, so concurrent writers wait instead of
failing; PostgreSQL without JIT compilation."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from typing import Any, cast

from flask import Flask
from sqlalchemy import Connection, CursorResult, Engine, Result, event

from app.extensions import db

SQLITE_BUSY_TIMEOUT_MS = 30_000

# Requests that only read (GET/HEAD) start deferred transactions; everything else takes the
# write lock at BEGIN. A deferred transaction that reads and then writes can fail with
# SQLITE_BUSY_SNAPSHOT without waiting, which is the "database is locked" error under load.
read_only_transactions: ContextVar[bool] = ContextVar("read_only_transactions", default=False)


@contextmanager
def own_write_transaction() -> Iterator[Connection]:
    """A short write transaction on a connection of its own, committed when the block ends.

    For the few writes a read request makes (a session's last-seen time, a re-keyed link): the
    request's own transaction stays deferred and read-only; this one takes the write lock at
    BEGIN (SQLite), so it waits for other writers instead of failing.
    """
    token = read_only_transactions.set(False)
    try:
        with db.engine.begin() as connection:
            yield connection
    finally:
        read_only_transactions.reset(token)


def rowcount(result: Result[*tuple[Any, ...]]) -> int:
    """How many rows an UPDATE or DELETE run through the session matched.

    Session.execute() is typed as returning a Result; for a DML statement it is a CursorResult,
    which carries rowcount (the one place that narrowing is written down).
    """
    return cast(CursorResult[*tuple[Any, ...]], result).rowcount


def configure_engine(app: Flask) -> None:
    """Apply per-dialect connection settings to the app's engine."""
    with app.app_context():
        engine = db.engine
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine)
    elif engine.dialect.name == "postgresql":
        _configure_postgresql(engine)


def _configure_postgresql(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # JIT compiles a statement whose estimated cost passes jit_above_cost: 150-200 ms for
        # the 9-box and cockpit selects, which then run in well under that. The portal's
        # statements are short and set-based, so compiling never pays back.
        autocommit = dbapi_connection.autocommit
        dbapi_connection.autocommit = True
        dbapi_connection.execute("SET jit = off")
        dbapi_connection.autocommit = autocommit


def _configure_sqlite(engine: Engine) -> None:
    @event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _record: Any) -> None:
        # Let SQLAlchemy's "begin" event emit BEGIN itself (pysqlite would defer it).
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        if engine.url.database not in (None, "", ":memory:"):
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
        cursor.close()

    @event.listens_for(engine, "begin")
    def on_begin(connection: Any) -> None:
        mode = "DEFERRED" if read_only_transactions.get() else "IMMEDIATE"
        connection.exec_driver_sql(f"BEGIN {mode}")
