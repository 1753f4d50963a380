"""Login throttling with fixed windows, in Redis when REDIS_URL is set (shared by all workers)."""

from __future__ import annotations

import threading
import time
from typing import Protocol

import redis


class CounterStore(Protocol):
    def hit(self, key: str, window: int) -> int: ...
    def peek(self, key: str) -> int: ...
    def clear(self, key: str) -> None: ...


class MemoryStore:
    """Per-process counters: fine for the development server, not for several workers."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._counts: dict[str, tuple[int, float]] = {}

    def hit(self, key: str, window: int) -> int:
        now = time.monotonic()
        with self._lock:
            count, expires = self._counts.get(key, (0, now + window))
            if now >= expires:
                count, expires = 0, now + window
            self._counts[key] = (count + 1, expires)
            return count + 1

    def peek(self, key: str) -> int:
        with self._lock:
            count, expires = self._counts.get(key, (0, 0.0))
            return count if time.monotonic() < expires else 0

    def clear(self, key: str) -> None:
        with self._lock:
            self._counts.pop(key, None)


class RedisStore:
    """INCR + EXPIRE in one round trip; the first hit starts the window."""

    def __init__(self, url: str) -> None:
        self._redis = redis.Redis.from_url(url)

    def hit(self, key: str, window: int) -> int:
        pipe = self._redis.pipeline()
        pipe.incr(key)
        pipe.expire(key, window, nx=True)
        count, _ = pipe.execute()
        return int(count)

    def peek(self, key: str) -> int:
        value = self._redis.get(key)
        return int(value) if value else 0

    def clear(self, key: str) -> None:
        self._redis.delete(key)


class LoginThrottle:
    """Refuse login attempts past a limit per client address and per account."""

    def __init__(self, store: CounterStore, per_client: int, per_account: int, window: int):
        self.store = store
        self.per_client = per_client
        self.per_account = per_account
        self.window = window

    @staticmethod
    def _client_key(address: str) -> str:
        return f"bangkom:login:client:{address}"

    @staticmethod
    def _account_key(login: str) -> str:
        return f"bangkom:login:account:{login.strip().lower()}"

    def attempt_allowed(self, address: str, login: str) -> bool:
        """Count this attempt against the client; refuse when either limit is already spent."""
        client_hits = self.store.hit(self._client_key(address), self.window)
        account_failures = self.store.peek(self._account_key(login))
        return client_hits <= self.per_client and account_failures < self.per_account

    def record_failure(self, login: str) -> None:
        self.store.hit(self._account_key(login), self.window)

    def record_success(self, login: str) -> None:
        self.store.clear(self._account_key(login))


def make_store(redis_url: str) -> CounterStore:
    return RedisStore(redis_url) if redis_url else MemoryStore()
