"""The RQ worker process, and the context its jobs run with.

A job gets its `Context` from `context()`: the in-process runner's own while it runs the job,
otherwise the one this process installed when it started (`run_worker`). worker/ is the only
place that keeps a context for jobs; services receive theirs as arguments.
"""

from __future__ import annotations

import importlib
import logging
import signal
import threading
import time
from collections.abc import Callable

from redis import Redis
from redis.exceptions import RedisError
from rq import Worker

from runtime.context import Context
from runtime.runners import QUEUES, RUNNING, RqRunner
from runtime.settings import Settings

log = logging.getLogger(__name__)

#: Waits between attempts to reach Redis again: 1, 2, 4 ... seconds, at most this.
MAX_BACKOFF_S = 30.0
#: Quits with Redis answering, in a row within a minute, that mean a bug: then the process exits.
MAX_QUICK_QUITS = 5

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
    """Work the high, default and bulk queues; True if any job was run (burst mode).

    A Redis restart does not end it: RQ's worker quits when Redis goes away, so a new one is
    started once Redis answers again (waiting 1, 2, 4 ... 30 s, each step logged)."""
    runner = RqRunner(settings.redis_url)
    warm(install(Context.build(settings, runner=runner)))
    queues = [runner.queues[name] for name in QUEUES]
    worked = False

    def work() -> bool:
        nonlocal worked
        w = Worker(queues, connection=runner.connection, name=None)
        worked = w.work(burst=burst, with_scheduler=True) or worked
        # done: burst over, or asked to stop (SIGTERM on an idle worker sets only the date)
        return burst or w._stop_requested or w._shutdown_requested_date is not None

    supervise(work, settings.redis_url, "worker")
    return worked


def warm(context: Context) -> None:
    """Do here, once, what every work horse (forked for each job) would otherwise do on its
    first job: import the jobs' modules, configure the ORM mappers, initialise the database
    dialect (one connection, closed again: a horse never shares a connection with this
    process). A database that is down is left to the jobs to report."""
    from sqlalchemy.exc import SQLAlchemyError
    from sqlalchemy.orm import configure_mappers

    from worker.jobs import JOBS

    for path in JOBS:
        importlib.import_module(path.rsplit(".", 1)[0])
    configure_mappers()
    try:
        with context.db.engine.connect():
            pass
    except SQLAlchemyError as error:
        log.warning("worker: database not reachable at start (%s)", str(error).splitlines()[0])
    context.db.engine.dispose()


def supervise(
    run: Callable[[], bool], redis_url: str, what: str, sleep: Callable[[float], None] = time.sleep
) -> None:
    """Run `run` until it says it is done (True); when it fails or quits because Redis is
    unreachable, wait for Redis with backoff and run it again. Exits (RuntimeError) after
    MAX_QUICK_QUITS quits in a row within a minute while Redis answers: that is a bug."""
    quits: list[float] = []
    while True:
        try:
            if run():
                return
            reason = "stopped unexpectedly"
        except RedisError as error:
            reason = f"lost Redis ({type(error).__name__}: {error})"
        signal.signal(signal.SIGTERM, signal.SIG_DFL)  # a stop request while waiting: exit
        signal.signal(signal.SIGINT, signal.default_int_handler)
        if _wait_for_redis(redis_url, what, reason, sleep):
            now = time.monotonic()
            quits = [t for t in quits if now - t < 60] + [now]
            if len(quits) >= MAX_QUICK_QUITS:
                raise RuntimeError(f"{what} quit {len(quits)} times in a minute with Redis up")
        log.warning("%s: restarting", what)


def _wait_for_redis(redis_url: str, what: str, reason: str, sleep: Callable[[float], None]) -> bool:
    """Block until Redis answers; True when it answered at once (it was never down)."""
    delay, first = 1.0, True
    while True:
        try:
            Redis.from_url(redis_url, socket_timeout=2, socket_connect_timeout=2).ping()
            if not first:
                log.warning("%s: Redis is back", what)
            return first
        except RedisError as error:
            if first:
                log.warning("%s: %s; Redis unreachable (%s)", what, reason, error)
            log.warning("%s: reconnecting to Redis in %.0f s", what, delay)
            first = False
            sleep(delay)
            delay = min(delay * 2, MAX_BACKOFF_S)
