"""The RQ worker process, and the context its jobs run with.

A job gets its `Context` from `context()`: the in-process runner's own while it runs the job,
otherwise the one this process installed when it started (`run_worker`). worker/ is the only
place that keeps a context for jobs; services receive theirs as arguments.
"""

from __future__ import annotations

import threading

from rq import Worker

from runtime.context import Context
from runtime.runners import QUEUES, RUNNING, RqRunner
from runtime.settings import Settings

_installed: Context | None = None
_lock = threading.Lock()


def install(context: Context) -> Context:
    """Make `context` the one RQ jobs in this process run with."""
    global _installed
    _installed = context
    return context


def context() -> Context:
    """The context of the running job: its in-process runner's, else this worker process's
    (built from the environment on first use, e.g. under a plain `rq worker`)."""
    global _installed
    running = RUNNING.get()
    if running is not None:
        return running  # type: ignore[no-any-return]
    with _lock:
        if _installed is None:
            _installed = Context.build(Settings.from_env())
        return _installed


def run_worker(settings: Settings, burst: bool = False) -> bool:
    """Work the high, default and bulk queues; True if any job was run (burst mode)."""
    runner = RqRunner(settings.redis_url)
    install(Context.build(settings, runner=runner))
    queues = [runner.queues[name] for name in QUEUES]
    w = Worker(queues, connection=runner.connection, name=None)
    return w.work(burst=burst, with_scheduler=True)
