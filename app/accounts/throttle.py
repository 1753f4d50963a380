"""Login throttling that holds across workers and cannot be turned against the account owner.

Every attempt is counted under three keys before the password is checked (so parallel requests
cannot slip past a limit between check and count):

- the account *and* client pair: after `pair.free` failures each further attempt from that
  client waits twice as long as the previous one (2 s, 4 s, 8 s, … up to the cap). A stranger
  guessing from elsewhere never slows the owner down on their own device: there is no hard lock;
- the client address across accounts (password spraying), with its own free failures and delays;
- the account across clients (a distributed guess), with a high threshold; clients from which
  the account logged in successfully before ("known" for `known_days`) are exempt.

A successful login clears its pair, takes its attempt back from the client and account counters
(successes never count against an office behind one address) and marks the client as known.

Counters live in Redis when REDIS_URL is set (in the database while Redis does not answer),
otherwise in the database (`login_counter`), so every gunicorn worker shares them. Per-process memory counters exist for the development server
and unit tests only; `check_store_choice` refuses to start with them in production.
"""

from __future__ import annotations

import hashlib
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

import redis
from sqlalchemy import delete, select
from sqlalchemy.dialects.postgresql import insert as pg_insert
from sqlalchemy.dialects.sqlite import insert as sqlite_insert

from app.accounts.models import LoginCounter
from app.extensions import db


@dataclass(frozen=True)
class Policy:
    """Failures allowed without delay, the first delay, the longest one, how long they count."""

    free: int
    base: float = 2.0
    cap: float = 900.0
    memory: int = 24 * 3600  # seconds a failure is remembered after the last one

    def delay(self, failures: int) -> float:
        if failures < self.free:
            return 0.0
        return min(self.base * 2 ** min(failures - self.free, 60), self.cap)


class CounterStore(Protocol):
    def wait(self, key: str, policy: Policy, now: float) -> float:
        """Seconds before the next attempt under `key` may be counted (0 = now)."""

    def acquire(self, key: str, policy: Policy, now: float) -> float:
        """Atomically: count one attempt and return 0, or return the wait when it is too early."""

    def release(self, key: str) -> None:
        """Take one counted attempt back (it succeeded)."""

    def clear(self, key: str) -> None: ...

    def remember(self, key: str, seconds: int, now: float) -> None: ...

    def remembered(self, key: str, now: float) -> bool: ...


def _wait(count: int, last: float, policy: Policy, now: float) -> float:
    return max(0.0, last + policy.delay(count) - now)


class MemoryStore:
    """Per-process counters: the development server and unit tests only."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._rows: dict[str, tuple[int, float, float]] = {}  # key -> (count, last, expires)

    def _get(self, key: str, now: float) -> tuple[int, float]:
        count, last, expires = self._rows.get(key, (0, 0.0, 0.0))
        return (count, last) if now < expires else (0, 0.0)

    def wait(self, key: str, policy: Policy, now: float) -> float:
        with self._lock:
            return _wait(*self._get(key, now), policy, now)

    def acquire(self, key: str, policy: Policy, now: float) -> float:
        with self._lock:
            count, last = self._get(key, now)
            if (wait := _wait(count, last, policy, now)) > 0:
                return wait
            self._rows[key] = (count + 1, now, now + policy.memory)
            return 0.0

    def release(self, key: str) -> None:
        with self._lock:
            if key in self._rows:
                count, last, expires = self._rows[key]
                self._rows[key] = (max(count - 1, 0), last, expires)

    def clear(self, key: str) -> None:
        with self._lock:
            self._rows.pop(key, None)

    def remember(self, key: str, seconds: int, now: float) -> None:
        with self._lock:
            self._rows[key] = (1, now, now + seconds)

    def remembered(self, key: str, now: float) -> bool:
        with self._lock:
            return self._get(key, now)[0] > 0


_ACQUIRE = """
local count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
local last = tonumber(redis.call('HGET', KEYS[1], 'l') or '0')
local now, free, base, cap = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local delay = 0
if count >= free then delay = math.min(base * 2 ^ math.min(count - free, 60), cap) end
if now < last + delay then return tostring(last + delay - now) end
redis.call('HSET', KEYS[1], 'c', count + 1, 'l', ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[5]))
return '0'
"""
_RELEASE = """
local count = tonumber(redis.call('HGET', KEYS[1], 'c') or '0')
if count > 0 then redis.call('HSET', KEYS[1], 'c', count - 1) end
return count
"""


class RedisStore:
    """A hash per key (count, last attempt) with an expiry; acquire is one Lua script."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url, socket_connect_timeout=0.5, socket_timeout=1.0)
        self._acquire = self._redis.register_script(_ACQUIRE)
        self._release = self._redis.register_script(_RELEASE)

    def wait(self, key: str, policy: Policy, now: float) -> float:
        count, last = self._redis.hmget(key, "c", "l")
        return _wait(int(count or 0), float(last or 0), policy, now)

    def acquire(self, key: str, policy: Policy, now: float) -> float:
        args = [repr(now), policy.free, policy.base, policy.cap, policy.memory]
        return float(self._acquire(keys=[key], args=args))

    def release(self, key: str) -> None:
        self._release(keys=[key])

    def clear(self, key: str) -> None:
        self._redis.delete(key)

    def remember(self, key: str, seconds: int, now: float) -> None:
        self._redis.set(key, "1", ex=seconds)

    def remembered(self, key: str, now: float) -> bool:
        return bool(self._redis.exists(key))


class DatabaseStore:
    """Rows of `login_counter`, locked while counted (SQLite: the write lock of the request).

    Each call commits, so a counted attempt survives the rollback of a refused login."""

    def _row(self, key: str, now: float, lock: bool) -> LoginCounter:
        dialect = db.session.get_bind().dialect.name
        insert = pg_insert if dialect == "postgresql" else sqlite_insert
        db.session.execute(
            insert(LoginCounter)
            .values(key=key, failures=0, last_at=0.0, expires_at=0.0)
            .on_conflict_do_nothing(index_elements=["key"])
        )
        query = select(LoginCounter).where(LoginCounter.key == key)
        row = db.session.scalars(query.with_for_update() if lock else query).one()
        if row.expires_at <= now:
            row.failures, row.last_at = 0, 0.0
        return row

    def wait(self, key: str, policy: Policy, now: float) -> float:
        row = self._row(key, now, lock=False)
        wait = _wait(row.failures, row.last_at, policy, now)
        db.session.commit()
        return wait

    def acquire(self, key: str, policy: Policy, now: float) -> float:
        row = self._row(key, now, lock=True)
        wait = _wait(row.failures, row.last_at, policy, now)
        if wait <= 0:
            row.failures, row.last_at, row.expires_at = row.failures + 1, now, now + policy.memory
        db.session.commit()
        return wait

    def release(self, key: str) -> None:
        row = self._row(key, 0.0, lock=True)
        row.failures = max(row.failures - 1, 0)
        db.session.commit()

    def clear(self, key: str) -> None:
        now = time.time()
        db.session.execute(
            delete(LoginCounter).where((LoginCounter.key == key) | (LoginCounter.expires_at < now))
        )
        db.session.commit()

    def remember(self, key: str, seconds: int, now: float) -> None:
        row = self._row(key, now, lock=True)
        row.failures, row.last_at, row.expires_at = 1, now, now + seconds
        db.session.commit()

    def remembered(self, key: str, now: float) -> bool:
        expires = db.session.scalar(select(LoginCounter.expires_at).where(LoginCounter.key == key))
        return expires is not None and expires > now


class FallbackStore:
    """Redis, and the database while Redis does not answer (still shared by every worker)."""

    def __init__(self, primary: RedisStore, fallback: DatabaseStore) -> None:
        self.primary, self.fallback = primary, fallback

    def __getattr__(self, name: str) -> Callable[..., Any]:
        first, second = getattr(self.primary, name), getattr(self.fallback, name)

        def call(*args: Any) -> Any:
            try:
                return first(*args)
            except redis.RedisError:
                return second(*args)

        return call


class LoginThrottle:
    """The three counters of a login attempt (see the module docstring)."""

    def __init__(
        self,
        store: CounterStore,
        pair: Policy,
        client: Policy,
        account: Policy,
        known_seconds: int = 30 * 24 * 3600,
    ) -> None:
        self.store = store
        self.pair, self.client, self.account = pair, client, account
        self.known_seconds = known_seconds

    @staticmethod
    def _keys(address: str, account: str) -> tuple[str, str, str, str]:
        account = account.strip().lower()
        if len(account) > 120:  # keys stay short whatever was typed as the login
            account = "sha256:" + hashlib.sha256(account.encode()).hexdigest()
        return (
            f"bangkom:login:pair:{account}|{address}",
            f"bangkom:login:client:{address}",
            f"bangkom:login:account:{account}",
            f"bangkom:login:known:{account}|{address}",
        )

    def _counters(self, address: str, account: str, now: float) -> list[tuple[str, Policy]]:
        pair, client, whole, known = self._keys(address, account)
        counters = [(pair, self.pair), (client, self.client)]
        if not self.store.remembered(known, now):
            counters.append((whole, self.account))
        return counters

    def begin(self, address: str, account: str, now: float | None = None) -> float:
        """Count this attempt; 0 when it may go ahead, else the seconds to wait first."""
        now = time.time() if now is None else now
        counters = self._counters(address, account, now)
        wait = max(self.store.wait(key, policy, now) for key, policy in counters)
        if wait > 0:
            return wait
        for number, (key, policy) in enumerate(counters):
            if (wait := self.store.acquire(key, policy, now)) > 0:  # a parallel attempt won
                for earlier, _policy in counters[:number]:
                    self.store.release(earlier)
                return wait
        return 0.0

    def succeeded(self, address: str, account: str, now: float | None = None) -> None:
        """The attempt was right: clear its pair, give the attempt back, remember the client."""
        now = time.time() if now is None else now
        pair, client, whole, known = self._keys(address, account)
        self.store.clear(pair)
        self.store.release(client)
        self.store.release(whole)
        self.store.remember(known, self.known_seconds, now)


def make_store(kind: str, redis_url: str) -> CounterStore:
    """`kind` "memory" (development only), "redis", "database", or "" (Redis when configured)."""
    if kind == "memory":
        return MemoryStore()
    if kind == "redis" or (not kind and redis_url):
        return FallbackStore(RedisStore(redis_url), DatabaseStore())
    return DatabaseStore()


def check_store_choice(kind: str, testing: bool, debug: bool) -> None:
    """Refuse per-process counters outside tests and the development server: with several
    gunicorn workers each would count on its own and the limits would not hold."""
    if kind == "memory" and not (testing or debug):
        raise RuntimeError(
            "LOGIN_COUNTER_STORE=memory keeps login counters per process, so with several "
            "workers the login limits do not hold; unset it (the database is used) or set "
            "REDIS_URL."
        )
