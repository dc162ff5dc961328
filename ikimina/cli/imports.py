"""`ikimina import KIND FILE`: records from a spreadsheet (CSV or XLSX with a header row)."""

from __future__ import annotations

import sys
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import Any

import click

from ikimina.cli.common import context, fail
from spreadsheets import KINDS, BadFile, Report, import_sheet, read_sheet

#: Files with at least this many rows show a progress bar (on stderr).
PROGRESS_FROM = 1000


@click.command("import")
@click.argument("kind", type=click.Choice(list(KINDS)))
@click.argument("file", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Check the file and say what would change.")
@click.option("--skip-invalid", is_flag=True, help="Import the good rows, list the bad ones.")
def import_command(kind: str, file: Path, dry_run: bool, skip_invalid: bool) -> None:
    """Import records of KIND from FILE (.csv or .xlsx, header row first).

    Atomic: if any row is bad, nothing is imported and every bad row is listed.
    Importing the same file twice changes nothing. Import in this order:
    vslas, cooperatives, people, ledger, intakes, trainees, trainings.
    """
    ctx = context()
    try:
        report = import_sheet(
            ctx, kind, read_sheet(file), dry_run=dry_run, skip_invalid=skip_invalid,
            progress=_progress,
        )
    except BadFile as exc:
        fail(str(exc))
    finally:
        ctx.db.dispose()
    click.echo(describe(report, file.name, dry_run=dry_run, skip_invalid=skip_invalid))
    if report.problems and not skip_invalid:
        sys.exit(1)


def describe(report: Report, source: str, *, dry_run: bool, skip_invalid: bool) -> str:
    """The report as a person reads it: counts, then each bad row, then what happened."""
    refused = bool(report.problems) and not skip_invalid
    lines = [f"{source}: {report.rows} {report.kind} rows"]
    if not (refused and not dry_run):
        would = "would be " if dry_run else ""
        lines[0] += (
            f"; {report.created} {would}created, {report.updated} {would}updated, "
            f"{report.unchanged} unchanged"
        )
    lines += report.notes
    if report.problems:
        lines.append(f"Rejected rows ({report.rejected}):")
        lines += [f"  {problem}" for problem in report.problems]
    if refused:
        lines.append(
            "Nothing imported. Fix the rows above and import again, "
            "or use --skip-invalid to import the good rows."
        )
    elif dry_run:
        lines.append("Dry run: nothing was written.")
    return "\n".join(lines)


def _progress(items: Sequence[Any], label: str) -> Iterator[Any]:
    if len(items) < PROGRESS_FROM:
        yield from items
        return
    stderr = click.get_text_stream("stderr")
    with click.progressbar(items, label=f"{label:<9}", file=stderr) as bar:
        yield from bar


def register(main: click.Group) -> None:
    main.add_command(import_command)
