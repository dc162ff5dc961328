"""Alembic environment: the URL comes from the caller (ikimina.db) or DATABASE_URL."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

import models
from models.base import UtcDateTime
from runtime.database import make_engine
from runtime.settings import Settings

config = context.config
target_metadata = models.Base.metadata


def render_item(type_: str, obj: object, autogen_context: object) -> str | bool:
    """Render our UtcDateTime as a plain DateTime in migration scripts."""
    if type_ == "type" and isinstance(obj, UtcDateTime):
        return "sa.DateTime()"
    return False


def _url() -> str:
    return config.get_main_option("sqlalchemy.url") or Settings.from_env().database_url


def run_migrations_offline() -> None:
    context.configure(
        url=_url(),
        target_metadata=target_metadata,
        literal_binds=True,
        render_as_batch=True,
        render_item=render_item,
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.connect() as conn:
        _sqlite_foreign_keys(conn, on=False)
        _run(conn)
        _sqlite_foreign_keys(conn, on=True)
    engine.dispose()


def _sqlite_foreign_keys(conn: Connection, *, on: bool) -> None:
    """On SQLite, foreign keys are not enforced while migrating: a migration that must rebuild a
    table others refer to (a dropped constraint, as in 0006) could not drop the old one. The
    pragma only works outside a transaction, so it is set before the migrations' own."""
    if conn.dialect.name == "sqlite":
        conn.exec_driver_sql(f"PRAGMA foreign_keys={'ON' if on else 'OFF'}")
        conn.commit()


def _run(connection: object) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=True,
        render_item=render_item,
        compare_type=True,
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
