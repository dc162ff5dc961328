"""What every command shares: settings from the environment and the services they need."""

from __future__ import annotations

import logging

import click

from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings


def context(settings: Settings | None = None, *, eager: bool = False) -> Context:
    """The context for a command: settings from the environment, RQ when REDIS_URL is set,
    in-process jobs otherwise (`eager`: run at once, before the command returns)."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = settings or Settings.from_env()
    runner = InProcessRunner(eager=True) if eager and not settings.uses_redis else None
    return Context.build(settings, runner=runner)


def fail(message: str) -> None:
    """Stop the command with `message` and exit status 1."""
    raise click.ClickException(message)
