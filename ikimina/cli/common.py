"""What every command shares: settings from the environment and the services they need."""

from __future__ import annotations

import logging

import click

from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings


def context(settings: Settings | None = None, *, eager: bool = True) -> Context:
    """The context for a command: settings from the environment, RQ when REDIS_URL is set,
    otherwise jobs run at once in this process, before the command returns (a background
    thread would die with the process, its SMS left to the sweeper). When the command ends, its
    runner is stopped (a job due later is the sweeper's) and its connections closed, so nothing
    it started runs on after it."""
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s")
    settings = settings or Settings.from_env()
    runner = InProcessRunner(eager=eager) if not settings.uses_redis else None
    ctx = Context.build(settings, runner=runner)
    command = click.get_current_context(silent=True)
    if command is not None:
        command.call_on_close(lambda: _close(ctx))
    return ctx


def _close(ctx: Context) -> None:
    if isinstance(ctx.runner, InProcessRunner):
        ctx.runner.stop()
    ctx.db.dispose()


def fail(message: str) -> None:
    """Stop the command with `message` and exit status 1."""
    raise click.ClickException(message)
