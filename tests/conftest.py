"""Fixtures shared by several test folders: a real database (SQLite and PostgreSQL), real
Redis, the app and its client, the Africa's Talking stand-in, the SMS tests' TVET world.

A folder's own fixtures live in its conftest.py; helpers that are not fixtures in support/.

Database tests run once per backend in `IKIMINA_TEST_BACKENDS` (default `sqlite,postgresql`).
PostgreSQL tests get a database of their own, created for the run and dropped after it, from
the server at `IKIMINA_TEST_PG_URL`. Redis tests use `IKIMINA_TEST_REDIS_URL` (flushed per test).
"""

from __future__ import annotations

import os
import uuid
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support.sms import World, build_world

from ikimina import db as schema
from models import Base
from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings
from worker.process import install

PG_ADMIN_URL = os.environ.get(
    "IKIMINA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("IKIMINA_TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
BACKENDS = [b for b in os.environ.get("IKIMINA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


@pytest.fixture(scope="session")
def sqlite_url(tmp_path_factory: pytest.TempPathFactory) -> str:
    url = f"sqlite:///{tmp_path_factory.mktemp('db') / 'test.db'}"
    schema.upgrade(url)
    return url


@pytest.fixture(scope="session")
def postgresql_url() -> Iterator[str]:
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
def database_url(request: pytest.FixtureRequest) -> str:
    """A migrated, empty database on each backend."""
    url: str = request.getfixturevalue(f"{request.param}_url")
    _empty(url)
    return url


def _empty(url: str) -> None:
    engine = create_engine(url)
    tables = [t.name for t in reversed(Base.metadata.sorted_tables)]
    with engine.begin() as conn:
        if engine.dialect.name == "postgresql":
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
def context(settings: Settings) -> Iterator[Context]:
    """Installed services with jobs run at once (eagerly) in process."""
    ctx = install(Context.build(settings, runner=InProcessRunner(eager=True)))
    yield ctx
    ctx.db.dispose()


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
    """A local Africa's Talking stand-in on a free port of 8300-8399 (outbound SMS tests)."""
    from tools.at_standin import AtStandIn

    for port in range(8300, 8400):
        try:
            server = AtStandIn(port=port)
        except OSError:
            continue
        with server:
            yield server
        return
    raise RuntimeError("no free port in 8300-8399")


@pytest.fixture
def at_settings(settings: Settings, standin) -> Settings:  # type: ignore[no-untyped-def]
    """Settings that send through the real africastalking SDK to the stand-in, quickly."""
    return settings.with_(
        sms_gateway="africastalking",
        at_api_key="test-key",
        at_username="ikimina",
        at_sender_id="IKIMINA",
        at_api_url=standin.url,
        at_timeout_s=0.5,
        sms_retry_base_s=0.0,
        sms_max_attempts=3,
        sms_rate_per_s=0.0,
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
        ctx.db.dispose()
