"""Spreadsheet imports: one module per kind declares its columns and rules as data; the shared
reader (`reader`), cell parsers (`cells`), lookups (`refs`), bulk writer (`tables`) and
engine (`core`) do the rest.

Import in this order, as each kind refers to the ones before it:
vslas, cooperatives, people, ledger, intakes, trainees, trainings.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from runtime.context import Context
from spreadsheets.cooperatives import Cooperatives
from spreadsheets.core import Kind, Problem, Report, run
from spreadsheets.intakes import Intakes
from spreadsheets.ledger import Ledger
from spreadsheets.people import People
from spreadsheets.reader import BadFile, Sheet, read_sheet, sheet_from_lines
from spreadsheets.trainees import Trainees
from spreadsheets.trainings import Trainings
from spreadsheets.vslas import Vslas

KINDS: dict[str, type[Kind]] = {
    kind.name: kind
    for kind in (People, Vslas, Ledger, Cooperatives, Trainings, Intakes, Trainees)
}
ORDER = ("vslas", "cooperatives", "people", "ledger", "intakes", "trainees", "trainings")


def import_sheet(context: Context, kind: str, sheet: Sheet, **options: Any) -> Report:
    """Import `sheet` as `kind` in a transaction of its own; options as for `core.run`
    (`dry_run`, `skip_invalid`, `progress`)."""
    with context.db.open() as session:
        return run(session, KINDS[kind](context.settings), sheet, **options)


def import_file(context: Context, kind: str, path: Path | str, **options: Any) -> Report:
    """Read `path` (.csv or .xlsx) and import it as `kind`."""
    return import_sheet(context, kind, read_sheet(path), **options)


__all__ = [
    "KINDS",
    "ORDER",
    "BadFile",
    "Problem",
    "Report",
    "Sheet",
    "import_file",
    "import_sheet",
    "read_sheet",
    "sheet_from_lines",
]
