"""Job runners: RQ on Redis in production, in process for the demo and some tests.

A job is a plain importable function named by its dotted path, taking ids (never objects),
so the same call works in both runners: `runner.enqueue("worker.jobs.send_sms", 42)`.
"""

from __future__ import annotations

import importlib
import logging
import queue as queue_module
import threading
from collections.abc import Callable
from contextvars import ContextVar
from datetime import datetime, timedelta
from typing import Any, Protocol

from runtime.clock import utcnow

log = logging.getLogger(__name__)

#: Queues in the order a worker serves them: replies first, bulk last.
QUEUES = ("high", "default", "bulk")
QUEUE_PREFIX = "ikimina-"


#: The context of the job this thread is running for an in-process runner (read by worker/ only).
RUNNING: ContextVar[Any] = ContextVar("ikimina_running_job_context", default=None)


def resolve(job: str) -> Callable[..., Any]:
    """The function at dotted path `job` (`package.module.function`)."""
    module_name, _, name = job.rpartition(".")
    return getattr(importlib.import_module(module_name), name)


class JobRunner(Protocol):
    """What the layers need from a queue."""

    def enqueue(
        self,
        job: str,
        *args: Any,
        queue: str = "default",
        at: datetime | None = None,
        job_id: str | None = None,
    ) -> None: ...


class InProcessRunner:
    """Runs jobs on one background thread (or at once, `eager=True`, for tests).

    Jobs due later wait on a timer. Errors are logged and never reach the caller: the outbox
    rows the jobs work on keep the state, so nothing is lost if a job fails. The runner holds
    the context its jobs run with (`RUNNING` while a job runs), set by `Context`.
    """

    def __init__(self, eager: bool = False) -> None:
        self.eager = eager
        self.context: Any = None
        self._queue: queue_module.Queue[tuple[str, tuple[Any, ...]] | None] = queue_module.Queue()
        self._thread: threading.Thread | None = None
        self._timers: list[threading.Timer] = []
        self._lock = threading.Lock()
        self._idle = threading.Event()
        self._idle.set()

    def enqueue(
        self,
        job: str,
        *args: Any,
        queue: str = "default",
        at: datetime | None = None,
        job_id: str | None = None,
    ) -> None:
        delay = (at - utcnow()).total_seconds() if at else 0.0
        if delay > 0:
            timer = threading.Timer(delay, self._submit, (job, args))
            timer.daemon = True
            with self._lock:
                self._timers.append(timer)
            timer.start()
            return
        self._submit(job, args)

    def _submit(self, job: str, args: tuple[Any, ...]) -> None:
        if self.eager:
            self._run(job, args)
            return
        self._ensure_thread()
        self._idle.clear()
        self._queue.put((job, args))

    def _ensure_thread(self) -> None:
        with self._lock:
            if self._thread is None or not self._thread.is_alive():
                self._thread = threading.Thread(target=self._loop, daemon=True, name="jobs")
                self._thread.start()

    def _loop(self) -> None:
        while True:
            item = self._queue.get()
            if item is None:
                return
            self._run(*item)
            if self._queue.empty():
                self._idle.set()

    def _run(self, job: str, args: tuple[Any, ...]) -> None:
        token = RUNNING.set(self.context)
        try:
            resolve(job)(*args)
        except Exception:  # noqa: BLE001 - a job's failure is recorded by the job itself
            log.exception("job %s%r failed", job, args)
        finally:
            RUNNING.reset(token)

    def wait(self, timeout: float = 10.0) -> bool:
        """Block until the queue is empty (timers not counted); True if it emptied in time."""
        return self._idle.wait(timeout)

    def stop(self) -> None:
        with self._lock:
            for timer in self._timers:
                timer.cancel()
            self._timers.clear()
        if self._thread is not None:
            self._queue.put(None)


class RqRunner:
    """Enqueues jobs on RQ queues in Redis; `at` uses RQ's scheduler (run by `ikimina worker`)."""

    def __init__(self, redis_url: str) -> None:
        from redis import Redis
        from rq import Queue

        self.connection = Redis.from_url(redis_url)
        self.queues = {
            name: Queue(QUEUE_PREFIX + name, connection=self.connection) for name in QUEUES
        }

    def enqueue(
        self,
        job: str,
        *args: Any,
        queue: str = "default",
        at: datetime | None = None,
        job_id: str | None = None,
    ) -> None:
        q = self.queues[queue]
        options: dict[str, Any] = {"job_id": job_id, "result_ttl": 3600, "failure_ttl": 7 * 86400}
        if at is not None and at > utcnow() + timedelta(seconds=1):
            q.enqueue_at(at, job, *args, **options)
        else:
            q.enqueue(job, *args, **options)
