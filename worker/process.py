"""The RQ worker process: serves the queues in priority order, with RQ's scheduler."""

from __future__ import annotations

from rq import Worker

from ikimina.settings import Settings
from worker.context import Context, install
from worker.runners import QUEUES, RqRunner


def run_worker(settings: Settings, burst: bool = False) -> bool:
    """Work the high, default and bulk queues; True if any job was run (burst mode)."""
    runner = RqRunner(settings.redis_url)
    install(Context.build(settings, runner=runner))
    queues = [runner.queues[name] for name in QUEUES]
    w = Worker(queues, connection=runner.connection, name=None)
    return w.work(burst=burst, with_scheduler=True)
