"""Where the engine hands each answered hop for the analytics tables (`ussd_hops`).

With Redis, a hop costs one RPUSH on a list after its screen is sent; the periodic job
`worker.jobs.ussd.store_hops` moves the list into the database in batches (a few seconds
later). Without Redis, each hop is a job on the in-process runner, as every other job is.
"""

from __future__ import annotations

import json
from typing import Any, Protocol

from menus.analytics import record_hops
from models.base import Database
from worker.runners import JobRunner

HOP_JOB = "worker.jobs.ussd.record_hop"
HOPS_KEY = "ikimina:ussd:hops"


class HopLog(Protocol):
    def add(self, hop: dict[str, Any]) -> None: ...


class QueuedHops:
    """One job per hop on `runner` (no Redis: the in-process runner)."""

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner

    def add(self, hop: dict[str, Any]) -> None:
        self.runner.enqueue(HOP_JOB, hop)


class RedisHops:
    """Hops appended to a Redis list, stored in the database by `drain` in batches.

    `drain` stores a batch, commits, then trims it from the list, under a lock so two runs
    never store the same hops. A crash between the commit and the trim stores that batch
    twice (at least once, never lost).
    """

    def __init__(self, url: str, key: str = HOPS_KEY) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=5)
        self.key = key

    def add(self, hop: dict[str, Any]) -> None:
        self.redis.rpush(self.key, json.dumps(hop))

    def drain(self, db: Database, batch: int = 500) -> int:
        """Move every waiting hop into the database; how many were stored."""
        lock = self.redis.lock(self.key + ":lock", timeout=300)
        if not lock.acquire(blocking=False):
            return 0  # another run is draining
        stored = 0
        try:
            while raws := self.redis.lrange(self.key, 0, batch - 1):
                with db.session() as session:
                    record_hops(session, [json.loads(raw) for raw in raws])
                self.redis.ltrim(self.key, len(raws), -1)
                stored += len(raws)
        finally:
            lock.release()
        return stored


def hop_log_for(redis_url: str, runner: JobRunner) -> HopLog:
    """A Redis list when a URL is given, jobs on `runner` otherwise."""
    return RedisHops(redis_url) if redis_url else QueuedHops(runner)
