"""The services a job or a request works with: settings, database and job runner.

The web app installs one at start-up; an RQ worker process builds one from the environment
the first time a job asks for it.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from ikimina.settings import Settings
from models.base import Database
from worker.runners import InProcessRunner, JobRunner, RqRunner

log = logging.getLogger(__name__)


@dataclass
class Context:
    settings: Settings
    db: Database
    runner: JobRunner

    @classmethod
    def build(cls, settings: Settings, runner: JobRunner | None = None) -> Context:
        """Services for `settings`: RQ when REDIS_URL is set, in process otherwise."""
        if runner is None:
            runner = RqRunner(settings.redis_url) if settings.uses_redis else InProcessRunner()
        return cls(settings=settings, db=Database(settings.database_url), runner=runner)


_current: Context | None = None
_lock = threading.Lock()


def install(context: Context) -> Context:
    """Make `context` the one jobs and after-commit hooks use."""
    global _current
    _current = context
    return context


def current() -> Context:
    """The installed context, built from the environment on first use (in a worker process)."""
    global _current
    with _lock:
        if _current is None:
            _current = Context.build(Settings.from_env())
        return _current


def enqueue_after_commit(session: Session, job: str, *args: Any, **options: Any) -> None:
    """Enqueue `job` only once `session` commits (the transactional outbox's second half)."""
    session.info.setdefault("after_commit_jobs", []).append((job, args, options))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the real commit is still to come
        return
    jobs = session.info.pop("after_commit_jobs", [])
    if not jobs:
        return
    runner = current().runner
    for job, args, options in jobs:
        try:
            runner.enqueue(job, *args, **options)
        except Exception:  # noqa: BLE001 - the data is committed; the outbox sweeper re-enqueues
            log.exception("could not enqueue %s%r after commit", job, args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.nested:  # a SAVEPOINT rolled back: the outer work still stands
        return
    session.info.pop("after_commit_jobs", None)
