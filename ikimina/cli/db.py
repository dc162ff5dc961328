"""`ikimina db ...`: schema migrations."""

from __future__ import annotations

import click

from ikimina import db as schema
from runtime.settings import Settings


@click.group("db")
def db_group() -> None:
    """Database schema (Alembic migrations)."""


@db_group.command("upgrade")
@click.option("--revision", default="head", show_default=True)
def upgrade(revision: str) -> None:
    """Create or bring the schema up to date."""
    url = Settings.from_env().database_url
    schema.upgrade(url, revision)
    click.echo(f"Database at {revision}: {_safe(url)}")


def _safe(url: str) -> str:
    """The URL without its password."""
    from sqlalchemy.engine import make_url

    return make_url(url).render_as_string(hide_password=True)


def register(main: click.Group) -> None:
    main.add_command(db_group)
