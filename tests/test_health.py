"""Health check and schema: what an operator sees."""

from __future__ import annotations

from sqlalchemy import create_engine

from ikimina.app import create_app
from ikimina.db import is_current
from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings


def test_healthz_reports_database_ok_and_redis_not_configured(client) -> None:
    response = client.get("/healthz")
    assert response.status_code == 200
    body = response.get_json()
    assert body["database"] == "ok"
    assert body["redis"].startswith("not configured")


def test_healthz_reports_real_redis_ok(settings, redis_url) -> None:
    ctx = Context.build(settings.with_(redis_url=redis_url))
    response = create_app(context=ctx).test_client().get("/healthz")
    assert response.status_code == 200
    assert response.get_json()["redis"] == "ok"


def test_healthz_is_503_when_a_configured_server_is_down(settings) -> None:
    down = settings.with_(redis_url="redis://127.0.0.1:1/0")
    ctx = Context.build(down, runner=InProcessRunner(eager=True))
    response = create_app(context=ctx).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["redis"] == "down"


def test_healthz_is_503_when_the_database_is_down(tmp_path) -> None:
    settings = Settings.from_env(
        {}, database_url="postgresql+psycopg://nobody@127.0.0.1:1/none", redis_url=""
    )
    response = create_app(settings).test_client().get("/healthz")
    assert response.status_code == 503
    assert response.get_json()["database"] == "down"


def test_migrations_match_the_models(database_url) -> None:
    """The schema is made only by migrations, and they describe every model."""
    from alembic.autogenerate import compare_metadata
    from alembic.migration import MigrationContext

    from models import Base

    engine = create_engine(database_url)
    assert is_current(engine)
    with engine.connect() as conn:
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    engine.dispose()
    assert diff == []
