"""`ikimina savix`: the SAVIX data items of every savings group as CSV, for the programme's
quarterly report (one row per group as of `--to`)."""

from __future__ import annotations

import csv
import sys
from datetime import date

import click

from ikimina.cli.common import context


@click.command()
@click.option("--from", "start", type=click.DateTime(["%Y-%m-%d"]), help="Start of the quarter.")
@click.option("--to", "end", type=click.DateTime(["%Y-%m-%d"]), help="Report date (default today).")
@click.option("--district", default=None, help="Only this district's groups.")
def savix(start, end, district: str | None) -> None:  # type: ignore[no-untyped-def]
    """Write the SAVIX data items of each group as CSV on standard output."""
    from services.savix import COLUMNS, rows

    day = end.date() if end is not None else date.today()
    with context().db.session() as session:
        found = rows(session, day, district)
    writer = csv.DictWriter(sys.stdout, fieldnames=COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(found)


def register(main: click.Group) -> None:
    main.add_command(savix)
