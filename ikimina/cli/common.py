"""What every command shares: settings from the environment and the services they need."""

from __future__ import annotations

import logging

import click

from ikimina.settings import Settings
from worker.context import Context, install


def context(settings: Settings | None = None) -> Context:
    """Build and install the services for a command (in-process jobs unless REDIS_URL is set)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    return install(Context.build(settings or Settings.from_env()))


def fail(message: str) -> None:
    """Stop the command with `message` and exit status 1."""
    raise click.ClickException(message)
