"""Where USSD sessions live between hops: Redis when REDIS_URL is set, this process otherwise.
While Redis is unreachable, the database keeps them (`FallbackStore`), so balances can still be
read; a session that moves between the two replays its inputs (the engine's rule when its
state is missing).

Values are small JSON-able dicts, each with a time to live: a session by its session id, and
the point a dropped session may be resumed from, by phone number. A hop reads what it needs
with one `get_many` and writes its changes with one `write` (one round trip each on Redis).
"""

from __future__ import annotations

import json
import logging
import random
import threading
import time
from collections.abc import Iterable
from datetime import timedelta
from typing import Any, Protocol

from redis.exceptions import RedisError
from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from models import UssdState, utcnow
from runtime.database import Database

log = logging.getLogger(__name__)

#: A value to store: (key, value, time to live in seconds).
Put = tuple[str, dict[str, Any], int]


class SessionStore(Protocol):
    """A key-value store with expiry."""

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        ...

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None: ...


class KeyValue:
    """One key at a time, in terms of `get_many` and `write`."""

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        raise NotImplementedError

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None:
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

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        now, found = time.monotonic(), []
        with self._lock:
            for key in keys:
                item = self._data.get(key)
                if item is not None and item[0] < now:
                    del self._data[key]
                    item = None
                found.append(item)
        return [None if item is None else json.loads(item[1]) for item in found]

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None:
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

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        raws = self.redis.mget([self.prefix + key for key in keys])
        return [None if raw is None else json.loads(raw) for raw in raws]

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None:
        """Every change in one round trip (a pipeline, not a transaction)."""
        pipe = self.redis.pipeline(transaction=False)
        for key, value, ttl_s in puts:
            pipe.set(self.prefix + key, json.dumps(value), ex=max(int(ttl_s), 1))
        gone = [self.prefix + key for key in deletes]
        if gone:
            pipe.delete(*gone)
        if pipe.command_stack:
            pipe.execute()


class DatabaseStore(KeyValue):
    """Sessions in the `ussd_state` table (the fallback while Redis is unreachable)."""

    def __init__(self, db: Database) -> None:
        self.db = db

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        query = select(UssdState.key, UssdState.value).where(
            UssdState.key.in_(keys), UssdState.expires_at > utcnow()
        )
        if session is not None:  # the hop's own transaction (one connection on SQLite)
            rows = session.execute(query).all()
        else:
            with self.db.session() as own:
                rows = own.execute(query).all()
        found = {key: json.loads(value) for key, value in rows}
        return [found.get(key) for key in keys]

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None:
        puts, now = list(puts), utcnow()
        gone = set(deletes) | {key for key, _value, _ttl in puts}
        if session is None:
            with self.db.session() as own:
                return self.write(puts, gone, session=own)
        if random.random() < 0.01:  # now and then, drop what has expired
            session.execute(delete(UssdState).where(UssdState.expires_at < now))
        if gone:
            session.execute(delete(UssdState).where(UssdState.key.in_(gone)))
        for key, value, ttl_s in puts:
            expires = now + timedelta(seconds=max(int(ttl_s), 1))
            session.add(UssdState(key=key[:200], value=json.dumps(value), expires_at=expires))
        session.flush()


class FallbackStore(KeyValue):
    """Redis first; while it is unreachable, the database. After a Redis failure the database
    is used for `retry_s` seconds before Redis is tried again (no timeout on every hop)."""

    def __init__(self, primary: KeyValue, fallback: KeyValue, retry_s: float = 10.0) -> None:
        self.primary, self.fallback, self.retry_s = primary, fallback, retry_s
        self._down_until = 0.0

    def _use(self) -> KeyValue:
        return self.fallback if time.monotonic() < self._down_until else self.primary

    def _failed(self, error: Exception) -> None:
        if time.monotonic() >= self._down_until:
            log.warning("ussd: Redis unreachable (%s); sessions in the database for now", error)
        self._down_until = time.monotonic() + self.retry_s

    def get_many(self, *keys: str, session: Session | None = None) -> list[dict[str, Any] | None]:
        store = self._use()
        if store is self.primary:
            try:
                return store.get_many(*keys)
            except RedisError as error:
                self._failed(error)
        return self.fallback.get_many(*keys, session=session)

    def write(
        self, puts: Iterable[Put] = (), deletes: Iterable[str] = (), session: Session | None = None
    ) -> None:
        puts, deletes = list(puts), list(deletes)
        if self._use() is self.primary:
            try:
                return self.primary.write(puts, deletes)
            except RedisError as error:
                self._failed(error)
        self.fallback.write(puts, deletes, session=session)


def store_for(redis_url: str, db: Database | None = None) -> SessionStore:
    """Redis when a URL is given (falling back to `db` while it is unreachable), this process
    otherwise."""
    if not redis_url:
        return MemoryStore()
    if db is None:
        return RedisStore(redis_url)
    return FallbackStore(RedisStore(redis_url), DatabaseStore(db))
