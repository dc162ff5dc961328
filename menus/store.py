"""Where USSD sessions live between hops: Redis when REDIS_URL is set, this process otherwise.

Values are small JSON-able dicts, each with a time to live: a session by its session id, and
the point a dropped session may be resumed from, by phone number. A hop reads what it needs
with one `get_many` and writes its changes with one `write` (one round trip each on Redis).
"""

from __future__ import annotations

import json
import threading
import time
from collections.abc import Iterable
from typing import Any, Protocol

#: A value to store: (key, value, time to live in seconds).
Put = tuple[str, dict[str, Any], int]


class SessionStore(Protocol):
    """A key-value store with expiry."""

    def get_many(self, *keys: str) -> list[dict[str, Any] | None]: ...

    def write(self, puts: Iterable[Put] = (), deletes: Iterable[str] = ()) -> None: ...


class KeyValue:
    """One key at a time, in terms of `get_many` and `write`."""

    def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        raise NotImplementedError

    def write(self, puts: Iterable[Put] = (), deletes: Iterable[str] = ()) -> None:
        raise NotImplementedError

    def get(self, key: str) -> dict[str, Any] | None:
        return self.get_many(key)[0]

    def put(self, key: str, value: dict[str, Any], ttl_s: int) -> None:
        self.write([(key, value, ttl_s)])

    def delete(self, key: str) -> None:
        self.write(deletes=[key])


class MemoryStore(KeyValue):
    """Sessions in this process (demo, tests, one web process): a dict with expiry times."""

    def __init__(self, max_keys: int = 100_000) -> None:
        self._data: dict[str, tuple[float, str]] = {}
        self._lock = threading.Lock()
        self.max_keys = max_keys

    def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        now, found = time.monotonic(), []
        with self._lock:
            for key in keys:
                item = self._data.get(key)
                if item is not None and item[0] < now:
                    del self._data[key]
                    item = None
                found.append(item)
        return [None if item is None else json.loads(item[1]) for item in found]

    def write(self, puts: Iterable[Put] = (), deletes: Iterable[str] = ()) -> None:
        now = time.monotonic()
        raws = [(key, now + ttl_s, json.dumps(value)) for key, value, ttl_s in puts]
        with self._lock:
            if len(self._data) + len(raws) > self.max_keys:
                self._data = {k: v for k, v in self._data.items() if v[0] >= now}
            for key, expires, raw in raws:
                self._data[key] = (expires, raw)
            for key in deletes:
                self._data.pop(key, None)


class RedisStore(KeyValue):
    """Sessions in Redis, so any web process can answer any hop."""

    def __init__(self, url: str, prefix: str = "ikimina:ussd:") -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=2)
        self.prefix = prefix

    def get_many(self, *keys: str) -> list[dict[str, Any] | None]:
        raws = self.redis.mget([self.prefix + key for key in keys])
        return [None if raw is None else json.loads(raw) for raw in raws]

    def write(self, puts: Iterable[Put] = (), deletes: Iterable[str] = ()) -> None:
        """Every change in one round trip (a pipeline, not a transaction)."""
        pipe = self.redis.pipeline(transaction=False)
        for key, value, ttl_s in puts:
            pipe.set(self.prefix + key, json.dumps(value), ex=max(int(ttl_s), 1))
        gone = [self.prefix + key for key in deletes]
        if gone:
            pipe.delete(*gone)
        if pipe.command_stack:
            pipe.execute()


def store_for(redis_url: str) -> SessionStore:
    """Redis when a URL is given, this process otherwise."""
    return RedisStore(redis_url) if redis_url else MemoryStore()
