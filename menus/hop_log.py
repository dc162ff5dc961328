"""Where the engine hands each answered hop for the analytics tables (`ussd_hops`); storing
them is `services.ussd_sessions`.

With Redis, a hop costs one RPUSH on a list after its screen is sent; the periodic job
`worker.jobs.ussd.store_hops` moves the list into the database in batches (a few seconds
later). Without Redis, each hop is a job on the in-process runner, as every other job is.
"""

from __future__ import annotations

from typing import Any, Protocol

from redis.exceptions import RedisError

from runtime.database import Database
from runtime.runners import JobRunner
from services.ussd_sessions import RedisHops, record_hop

HOP_JOB = "worker.jobs.ussd.record_hop"


class HopLog(Protocol):
    def add(self, hop: dict[str, Any]) -> None: ...


class QueuedHops:
    """One job per hop on `runner` (no Redis: the in-process runner)."""

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner

    def add(self, hop: dict[str, Any]) -> None:
        self.runner.enqueue(HOP_JOB, hop)


class HopsWithFallback:
    """The Redis list; while Redis is unreachable, each hop is stored in the database at once."""

    def __init__(self, redis_hops: RedisHops, db: Database) -> None:
        self.redis_hops, self.db = redis_hops, db

    def add(self, hop: dict[str, Any]) -> None:
        try:
            self.redis_hops.add(hop)
        except RedisError:
            with self.db.session() as session:
                record_hop(session, hop)


def hop_log_for(redis_url: str, runner: JobRunner, db: Database | None = None) -> HopLog:
    """A Redis list when a URL is given (the database while Redis is unreachable), jobs on
    `runner` otherwise."""
    if not redis_url:
        return QueuedHops(runner)
    if db is None:
        return RedisHops(redis_url)
    return HopsWithFallback(RedisHops(redis_url), db)
