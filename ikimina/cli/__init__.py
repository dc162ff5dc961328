"""The `ikimina` command line. Each module adds its own commands to `main`.

Every error is one sentence on stderr and exit status 1; `--debug` shows the traceback instead.
With no `DATABASE_URL` set, the commands use the demo's database when `ikimina-demo.db` is in
the current folder, and never create an empty SQLite file by accident.
"""

from __future__ import annotations

import os

import click

from ikimina.cli import (
    cases,
    console,
    db,
    imports,
    reminders,
    run,
    savix,
    seed,
    sms,
    translations,
    tvet,
    ussd,
)
from ikimina.cli.errors import one_sentence, resolve_database

#: Commands that may create the database (or need none).
CREATES_OR_NO_DATABASE = {
    "demo", "db", "seed-demo", "at-standin", "serve", "worker", "scheduler", "translations",
}


class _Main(click.Group):
    """The group that turns any unexpected error into one sentence (unless --debug)."""

    def invoke(self, ctx: click.Context) -> object:
        try:
            return super().invoke(ctx)
        except (click.exceptions.ClickException, click.exceptions.Abort,
                click.exceptions.Exit, KeyboardInterrupt):
            raise
        except Exception as exc:
            if ctx.params.get("debug") or os.environ.get("IKIMINA_DEBUG"):
                raise
            raise click.ClickException(one_sentence(exc)) from None


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--debug", is_flag=True, help="Show the traceback of an error.")
@click.pass_context
def main(ctx: click.Context, debug: bool) -> None:
    """ikimina: USSD and SMS for savings groups, TVET trainees and cooperatives."""
    if ctx.invoked_subcommand and ctx.invoked_subcommand not in CREATES_OR_NO_DATABASE:
        resolve_database(os.environ)


MODULES = (db, run, imports, seed, console, reminders, cases, tvet, sms, ussd, translations, savix)
for module in MODULES:
    module.register(main)
