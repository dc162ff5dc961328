"""Where the engine hands each answered hop for the analytics tables (`ussd_hops`); storing
them is `services.ussd_sessions`.

With Redis, a hop costs one RPUSH on a list after its screen is sent; the periodic job
`worker.jobs.ussd.store_hops` moves the list into the database in batches (a few seconds
later). Without Redis, each hop is a job on the in-process runner, as every other job is.
"""

from __future__ import annotations

from typing import Any, Protocol

from runtime.runners import JobRunner
from services.ussd_sessions import RedisHops

HOP_JOB = "worker.jobs.ussd.record_hop"


class HopLog(Protocol):
    def add(self, hop: dict[str, Any]) -> None: ...


class QueuedHops:
    """One job per hop on `runner` (no Redis: the in-process runner)."""

    def __init__(self, runner: JobRunner) -> None:
        self.runner = runner

    def add(self, hop: dict[str, Any]) -> None:
        self.runner.enqueue(HOP_JOB, hop)


def hop_log_for(redis_url: str, runner: JobRunner) -> HopLog:
    """A Redis list when a URL is given, jobs on `runner` otherwise."""
    return RedisHops(redis_url) if redis_url else QueuedHops(runner)
