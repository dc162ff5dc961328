"""Where USSD sessions live between hops: Redis when REDIS_URL is set, this process otherwise.

Values are small JSON-able dicts, each with a time to live: a session by its session id, and
the point a dropped session may be resumed from, by phone number.
"""

from __future__ import annotations

import json
import threading
import time
from typing import Any, Protocol


class SessionStore(Protocol):
    """A key-value store with expiry."""

    def get(self, key: str) -> dict[str, Any] | None: ...

    def put(self, key: str, value: dict[str, Any], ttl_s: int) -> None: ...

    def delete(self, key: str) -> None: ...


class MemoryStore:
    """Sessions in this process (demo, tests, one web process): a dict with expiry times."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._data: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self.max_keys = max_keys

    def get(self, key: str) -> dict[str, Any] | None:
        with self._lock:
            item = self._data.get(key)
            if item is None:
                return None
            expires, raw = item
            if expires < time.monotonic():
                del self._data[key]
                return None
        return json.loads(raw)

    def put(self, key: str, value: dict[str, Any], ttl_s: int) -> None:
        raw = json.dumps(value)
        now = time.monotonic()
        with self._lock:
            if len(self._data) >= self.max_keys:
                self._data = {k: v for k, v in self._data.items() if v[0] >= now}
            self._data[key] = (now + ttl_s, raw)

    def delete(self, key: str) -> None:
        with self._lock:
            self._data.pop(key, None)


class RedisStore:
    """Sessions in Redis, so any web process can answer any hop."""

    def __init__(self, url: str, prefix: str = "ikimina:ussd:") -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=2)
        self.prefix = prefix

    def get(self, key: str) -> dict[str, Any] | None:
        raw = self.redis.get(self.prefix + key)
        return None if raw is None else json.loads(raw)

    def put(self, key: str, value: dict[str, Any], ttl_s: int) -> None:
        self.redis.set(self.prefix + key, json.dumps(value), ex=max(int(ttl_s), 1))

    def delete(self, key: str) -> None:
        self.redis.delete(self.prefix + key)


def store_for(redis_url: str) -> SessionStore:
    """Redis when a URL is given, this process otherwise."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
