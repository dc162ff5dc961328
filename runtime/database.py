"""One engine and its sessions; each session carries the job runner its after-commit jobs use."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import Session, sessionmaker

#: The key under which a session's `info` holds the runner (read by the after-commit hook).
RUNNER = "runner"


def make_engine(url: str) -> Engine:
    """An engine for `url`; SQLite gets foreign keys on and a busy timeout for concurrent use."""
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30, "check_same_thread": False})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # type: ignore[no-untyped-def]
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA foreign_keys=ON")
            cur.execute("PRAGMA journal_mode=WAL")
            cur.close()

        return engine
    # No ping before each use: it costs a round trip on every checkout. A connection the server
    # dropped fails on first use instead, and SQLAlchemy then discards the whole pool's older
    # connections (callers that must not fail, such as the USSD hop, retry that first read).
    return create_engine(url, pool_size=10, max_overflow=20, pool_recycle=1800)


class Database:
    """One engine and its session factory; `session()` is a unit of work that commits.

    `runner` (set by `Context`) goes on every session's `info`, so jobs enqueued after commit
    reach the right queue without any global.
    """

    def __init__(self, url: str, runner: Any = None) -> None:
        self.url = url
        self.engine = make_engine(url)
        self.sessionmaker = sessionmaker(self.engine, expire_on_commit=False)
        self.runner = runner

    def open(self) -> Session:
        """A new session (the caller commits and closes it) that knows the job runner."""
        session = self.sessionmaker()
        session.info[RUNNER] = self.runner
        return session

    @contextmanager
    def session(self) -> Iterator[Session]:
        """A session that commits on success and rolls back on error."""
        session = self.open()
        try:
            yield session
            session.commit()
        except BaseException:
            session.rollback()
            raise
        finally:
            session.close()

    def dispose(self) -> None:
        self.engine.dispose()
