"""`ikimina seed-demo`: load the demo data set into the configured database."""

from __future__ import annotations

import click

from ikimina.cli.common import context


@click.command("seed-demo")
@click.option("--base-url", default="http://127.0.0.1:5000", show_default=True,
              help="Where the service answers, for the examples printed.")
def seed_demo_command(base_url: str) -> None:
    """Load realistic demo data (idempotent) and print the demo phones and what each can try.

    Run `ikimina db upgrade` first."""
    from ikimina.demo import how_to_try
    from spreadsheets.demo_data import seed_demo

    ctx = context()
    try:
        seed_demo(ctx)
        click.echo(how_to_try(ctx, base_url, seeded=True))
    finally:
        ctx.db.dispose()


def register(main: click.Group) -> None:
    main.add_command(seed_demo_command)
