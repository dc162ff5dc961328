"""What a request or a job works with: settings, the database and the job runner, passed
explicitly. Also the second half of the transactional outbox: jobs enqueued after commit.

There is no global context. A session made by `Database.session()` carries its runner in
`session.info`; the after-commit hook enqueues on that runner.
"""

from __future__ import annotations

import logging
from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from runtime.database import RUNNER, Database
from runtime.runners import InProcessRunner, JobRunner, RqRunner
from runtime.settings import Settings

log = logging.getLogger(__name__)
AFTER_COMMIT_JOBS = "after_commit_jobs"


class Context:
    """Settings, database and job runner. Setting `runner` also gives it to the database's
    sessions, and an in-process runner the context its jobs run with."""

    def __init__(self, settings: Settings, db: Database, runner: JobRunner) -> None:
        self.settings = settings
        self.db = db
        self.runner = runner

    @property
    def runner(self) -> JobRunner:
        return self.db.runner  # type: ignore[no-any-return]

    @runner.setter
    def runner(self, runner: JobRunner) -> None:
        self.db.runner = runner
        if isinstance(runner, InProcessRunner):
            runner.context = self

    @classmethod
    def build(cls, settings: Settings, runner: JobRunner | None = None) -> Context:
        """The context for `settings`: RQ when REDIS_URL is set, in process otherwise."""
        if runner is None:
            runner = RqRunner(settings.redis_url) if settings.uses_redis else InProcessRunner()
        return cls(settings=settings, db=Database(settings.database_url), runner=runner)


def enqueue_after_commit(session: Session, job: str, *args: Any, **options: Any) -> None:
    """Enqueue `job` only once `session` commits (the transactional outbox's second half)."""
    session.info.setdefault(AFTER_COMMIT_JOBS, []).append((job, args, options))


@event.listens_for(Session, "after_commit")
def _run_after_commit(session: Session) -> None:
    if session.in_nested_transaction():  # a SAVEPOINT released: the real commit is still to come
        return
    jobs = session.info.pop(AFTER_COMMIT_JOBS, [])
    if not jobs:
        return
    runner = session.info.get(RUNNER)
    if runner is None:  # a session not made by Database: the outbox sweeper re-enqueues
        log.error("no job runner on the session: %d job(s) left to the sweeper", len(jobs))
        return
    for job, args, options in jobs:
        try:
            runner.enqueue(job, *args, **options)
        except Exception:  # noqa: BLE001 - the data is committed; the outbox sweeper re-enqueues
            log.exception("could not enqueue %s%r after commit", job, args)


@event.listens_for(Session, "after_soft_rollback")
def _drop_after_rollback(session: Session, previous_transaction: Any) -> None:
    if previous_transaction.nested:  # a SAVEPOINT rolled back: the outer work still stands
        return
    session.info.pop(AFTER_COMMIT_JOBS, None)
