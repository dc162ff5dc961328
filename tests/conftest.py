"""Fixtures shared by several test folders: a real database (SQLite and PostgreSQL), real
Redis, the app and its client, the Africa's Talking stand-in, the SMS tests' TVET world.

A folder's own fixtures live in its conftest.py; helpers that are not fixtures in support/.

Database tests run once per backend in `IKIMINA_TEST_BACKENDS` (default `sqlite,postgresql`).
PostgreSQL tests get a database of their own, created for the run and dropped after it, from
the server at `IKIMINA_TEST_PG_URL`. Redis tests use `IKIMINA_TEST_REDIS_URL` (flushed per test).

Under `CI=true` the run stops at once, with one line, when a backend is left out of
`IKIMINA_TEST_BACKENDS`, when PostgreSQL or Redis does not answer, or when Chromium is missing;
outside CI the tests that need what is missing are skipped with one line saying how to get it.
A job that fails in an in-process runner fails the test that ran it, and a test that leaves
background work running (a job thread, a timer) fails: nothing runs on between tests.
"""

from __future__ import annotations

import logging
import os
import signal
import threading
import time
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit, urlunsplit

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from sqlalchemy.pool import NullPool
from support.ports import WORKER, WORKER_INDEX, free_port
from support.rq_worker import InProcessWorker
from support.sms import World, build_world

from ikimina import db as schema
from models import Base
from runtime.context import Context
from runtime.runners import InProcessRunner, RqRunner
from runtime.settings import Settings
from worker.process import install

PG_ADMIN_URL = os.environ.get(
    "IKIMINA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)


def _worker_redis(url: str) -> str:
    """`url` for this xdist worker: worker gwN uses the database N below the one named (the
    first worker that one), so parallel workers never flush each other's keys."""
    if not WORKER_INDEX:
        return url
    parts = urlsplit(url)
    db = int(parts.path.strip("/") or 0) - WORKER_INDEX
    if db < 0:
        raise pytest.UsageError(f"IKIMINA_TEST_REDIS_URL={url} leaves no database for {WORKER}")
    return urlunsplit(parts._replace(path=f"/{db}"))


REDIS_URL = _worker_redis(os.environ.get("IKIMINA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15"))
BACKENDS = [b for b in os.environ.get("IKIMINA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]
ALL_BACKENDS = ("sqlite", "postgresql")
IN_CI = os.environ.get("CI") == "true"
HOW = {
    "postgresql": "start it (`.ci/run` does) or set IKIMINA_TEST_PG_URL",
    "redis": "start it (`.ci/run` does) or set IKIMINA_TEST_REDIS_URL",
    "chromium": "apt-get install chromium",
}


def _missing() -> dict[str, str]:
    """What the suite needs and cannot reach: name -> what was tried."""
    from support.console_browser import CHROMIUM

    missing = {}
    if "postgresql" in BACKENDS:
        try:
            engine = create_engine(PG_ADMIN_URL, connect_args={"connect_timeout": 3})
            with engine.connect():
                pass
            engine.dispose()
        except Exception:  # noqa: BLE001 - any failure to connect means no server
            missing["postgresql"] = f"PostgreSQL at {make_url(PG_ADMIN_URL).render_as_string()}"
    try:
        from redis import Redis

        Redis.from_url(REDIS_URL, socket_connect_timeout=3).ping()
    except Exception:  # noqa: BLE001
        missing["redis"] = f"Redis at {REDIS_URL}"
    if not Path(CHROMIUM).exists():
        missing["chromium"] = f"Chromium at {CHROMIUM}"
    return missing


MISSING: dict[str, str] = {}


def pytest_configure(config: pytest.Config) -> None:
    MISSING.update(_missing())
    if not IN_CI:
        return
    left_out = [b for b in ALL_BACKENDS if b not in BACKENDS]
    if left_out:
        raise pytest.UsageError(
            f"CI=true needs every backend: IKIMINA_TEST_BACKENDS={','.join(BACKENDS)!r} "
            f"leaves out {', '.join(left_out)} (unset it or list {','.join(ALL_BACKENDS)})"
        )
    if MISSING:
        raise pytest.UsageError(
            "CI=true needs every server: no "
            + "; no ".join(f"{what} ({HOW[name]})" for name, what in MISSING.items())
        )


def pytest_report_header() -> str:
    line = f"ikimina backends: {','.join(BACKENDS) or 'none'}; redis: {REDIS_URL}"
    if MISSING:
        line += "; missing (tests skipped): " + ", ".join(MISSING.values())
    return line


def skip_if_missing(name: str) -> None:
    """Skip the test, saying how to get `name`, when it is missing (never in CI: see above)."""
    if name in MISSING:
        pytest.skip(f"no {MISSING[name]}: {HOW[name]}")


class _JobErrors(logging.Handler):
    """Keeps the failures the in-process runner logs (and otherwise swallows)."""

    def __init__(self) -> None:
        super().__init__(logging.ERROR)
        self.failures: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.exc_info:
            self.failures.append(self.format(record))


JOB_ERRORS = _JobErrors()
JOB_ERRORS.setFormatter(logging.Formatter("%(message)s"))
logging.getLogger("runtime.runners").addHandler(JOB_ERRORS)


@pytest.hookimpl(wrapper=True)
def pytest_runtest_call(item: pytest.Item):  # type: ignore[no-untyped-def]
    """A job that failed while the test ran fails the test (unless marked `job_errors`)."""
    JOB_ERRORS.failures.clear()
    result = yield
    if JOB_ERRORS.failures and item.get_closest_marker("job_errors") is None:
        failures, JOB_ERRORS.failures[:] = list(JOB_ERRORS.failures), []
        pytest.fail("a job failed in the runner:\n" + "\n".join(failures))
    return result


def _background() -> set[threading.Thread]:
    """Threads of in-process job runners: the job thread and timers of delayed jobs."""
    return {
        t
        for t in threading.enumerate()
        if t.is_alive() and (isinstance(t, threading.Timer) or t.name == "jobs")
    }


#: Signals whose handlers a test must leave as it found them (RQ's worker installs its own).
_SIGNALS = (signal.SIGINT, signal.SIGTERM)


@pytest.fixture(autouse=True)
def _nothing_left_running(request: pytest.FixtureRequest) -> Iterator[None]:
    """Fail a test that leaves a job thread or a job timer running after its teardown, or
    its own handler for SIGINT or SIGTERM (Ctrl-C would no longer stop the run)."""
    before = _background()
    handlers = [signal.getsignal(s) for s in _SIGNALS]
    yield
    changed = [s.name for s, h in zip(_SIGNALS, handlers, strict=True) if signal.getsignal(s) != h]
    for sig, handler in zip(_SIGNALS, handlers, strict=True):
        signal.signal(sig, handler)
    left = set()
    for thread in _background() - before:
        if isinstance(thread, threading.Timer) and not thread.finished.is_set():
            thread.cancel()  # a delayed job nobody stopped: it would run in a later test
            left.add(thread)
        thread.join(timeout=2)
        if thread.is_alive():
            left.add(thread)
    if left and request.node.get_closest_marker("background_ok") is None:
        pytest.fail(f"background work left running: {sorted(t.name for t in left)}")
    if changed:
        pytest.fail(f"the test left its own handler for {', '.join(changed)}")


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    schema.upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
    skip_if_missing("postgresql")
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ikimina_test_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    schema.upgrade(url)
    yield url
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


@pytest.fixture(params=BACKENDS)
def database_url(request: pytest.FixtureRequest) -> Iterator[str]:
    """A migrated, empty database on each backend. A test that leaves a PostgreSQL transaction
    open fails: its locks would make the next test's TRUNCATE wait for ever."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    _empty(url)
    yield url
    if request.param == "postgresql":
        _no_transaction_left(url)


#: The other sessions of the test's database that are inside a transaction.
_IN_TRANSACTION = text(
    "SELECT pid, state, application_name, left(query, 200) FROM pg_stat_activity"
    " WHERE datname = current_database() AND pid <> pg_backend_pid()"
    " AND xact_start IS NOT NULL"
)


def _no_transaction_left(url: str, grace_s: float = 3.0) -> None:
    """Fail when a session of the test is still in a transaction once it is over (after a
    grace for processes the test killed), ending those sessions so later tests can run."""
    engine = create_engine(url, poolclass=NullPool)
    deadline = time.monotonic() + grace_s
    with engine.connect() as conn:
        while (left := conn.execute(_IN_TRANSACTION).all()) and time.monotonic() < deadline:
            time.sleep(0.1)
        for row in left:
            conn.execute(text("SELECT pg_terminate_backend(:pid)"), {"pid": row.pid})
    engine.dispose()
    if left:
        pytest.fail(
            "the test left PostgreSQL session(s) in a transaction (a session not closed?): "
            + "; ".join(f"pid {r.pid} {r.state} {r.application_name!r}: {r[3]}" for r in left)
        )


def _empty(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.execute(text("SET LOCAL lock_timeout = '60s'"))  # an error, never a hang
            conn.execute(text(f"TRUNCATE {', '.join(tables)} RESTART IDENTITY CASCADE"))
        else:
            conn.execute(text("PRAGMA foreign_keys=OFF"))
            for table in tables:
                conn.execute(text(f"DELETE FROM {table}"))
            conn.execute(text("PRAGMA foreign_keys=ON"))
    engine.dispose()


@pytest.fixture
def redis_url() -> str:
    """The real Redis, flushed before the test."""
    from redis import Redis

    skip_if_missing("redis")
    Redis.from_url(REDIS_URL).flushdb()
    return REDIS_URL


@pytest.fixture
def settings(database_url: str) -> Settings:
    """Settings for a test: its database, in-process jobs, the local SMS gateway."""
    return Settings.from_env(
        {},
        database_url=database_url,
        redis_url="",
        sms_gateway="local",
        callback_token="test-token",
        secret_key="test",
        pin_pepper="test-pepper",
    )


@pytest.fixture
def stack() -> str:
    """How the app runs: "inline" (sessions in memory, jobs at once in process, the local
    gateway) unless a folder parametrizes it with "servers" (see `servers_context`)."""
    return "inline"


@pytest.fixture
def context(settings: Settings, stack: str, request: pytest.FixtureRequest) -> Iterator[Context]:
    """Installed services with jobs run at once (eagerly) in process, or on the servers."""
    if stack == "servers":
        yield from servers_context(settings, request)
        return
    ctx = install(Context.build(settings, runner=InProcessRunner(eager=True)))
    yield ctx
    ctx.runner.stop()
    ctx.db.dispose()


def servers_context(settings: Settings, request: pytest.FixtureRequest) -> Iterator[Context]:
    """The production stack: USSD sessions in the real Redis, jobs on RQ queues worked by an
    RQ SimpleWorker in this process after each request (`DrainingClient`), SMS sent through
    the africastalking SDK to the stand-in (with no quiet hours of its own)."""
    redis_url = request.getfixturevalue("redis_url")
    standin = request.getfixturevalue("standin")
    served = to_standin(settings, standin.url).with_(redis_url=redis_url, at_timeout_s=2.0)
    ctx = install(Context.build(served, runner=DrainingRqRunner(redis_url)))
    yield ctx
    ctx.db.dispose()


class DrainingRqRunner(RqRunner):
    """RQ for the tests: a job is enqueued in Redis, then an RQ SimpleWorker in this process
    works the queues until they are empty, as `ikimina worker` would at once (a job due later
    waits in RQ's scheduled registry). A failed job fails the test (see `JOB_ERRORS`)."""

    def __init__(self, redis_url: str) -> None:
        super().__init__(redis_url)
        self.working = False

    def enqueue(self, job: str, *args: Any, **options: Any) -> None:
        super().enqueue(job, *args, **options)
        if self.working:  # a job enqueued by a job: this worker takes it next
            return
        self.working = True
        try:
            self.work()
        finally:
            self.working = False

    def work(self) -> None:
        from rq.registry import FailedJobRegistry

        queues = list(self.queues.values())
        worker = InProcessWorker(queues, connection=self.connection)
        worker.work(burst=True, logging_level="WARNING")
        for queue in queues:
            registry = FailedJobRegistry(queue=queue)
            for job_id in registry.get_job_ids():
                job = queue.fetch_job(job_id)
                result = job.latest_result() if job is not None else None
                JOB_ERRORS.failures.append(
                    f"RQ job {job_id} failed: {result.exc_string if result else '?'}"
                )
                registry.remove(job_id)


@pytest.fixture
def app(context: Context):  # type: ignore[no-untyped-def]
    from ikimina.app import create_app

    flask_app = create_app(context=context)
    flask_app.config["TESTING"] = True
    return flask_app


@pytest.fixture
def client(app):  # type: ignore[no-untyped-def]
    return app.test_client()


@pytest.fixture
def data_dir() -> Path:
    return Path(__file__).parent / "data"


@pytest.fixture
def standin():  # type: ignore[no-untyped-def]
    """A local Africa's Talking stand-in on a free port of the test ports (outbound SMS tests)."""
    from tools.at_standin import AtStandIn

    with AtStandIn(port=free_port()) as server:
        yield server


def to_standin(settings: Settings, url: str) -> Settings:
    """`settings` sending through the africastalking SDK to the stand-in at `url`, unpaced."""
    return settings.with_(
        sms_gateway="africastalking",
        at_api_key="test-key",
        at_username="ikimina",
        at_sender_id="IKIMINA",
        at_api_url=url,
        sms_retry_base_s=0.0,
        sms_rate_per_s=0.0,
    )


@pytest.fixture
def at_settings(settings: Settings, standin) -> Settings:  # type: ignore[no-untyped-def]
    """Settings that send through the real africastalking SDK to the stand-in, quickly."""
    return to_standin(settings, standin.url).with_(
        at_timeout_s=0.5,
        sms_max_attempts=3,
        quiet_hours_start="00:00",  # no quiet hours unless a test sets them
        quiet_hours_end="00:00",
    )


@pytest.fixture
def world(context: Context) -> World:
    """The TVET world of the SMS tests (support.sms.build_world)."""
    return build_world(context)


@pytest.fixture
def world_with(settings: Settings) -> Iterator[Callable[..., tuple[Context, Any, World]]]:
    """Build a world whose settings differ: `context, client, world = world_with(**changes)`."""
    from ikimina.app import create_app

    made: list[Context] = []

    def make(**changes: Any) -> tuple[Context, Any, World]:
        ctx = install(Context.build(settings.with_(**changes), runner=InProcessRunner(eager=True)))
        made.append(ctx)
        return ctx, create_app(context=ctx).test_client(), build_world(ctx)

    yield make
    for ctx in made:
        ctx.runner.stop()
        ctx.db.dispose()
