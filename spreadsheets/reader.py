"""Read a spreadsheet (CSV or XLSX) with a header row into rows of text cells.

Every cell becomes stripped text, whatever the file stored: an XLSX date becomes `YYYY-MM-DD`
(or `YYYY-MM-DD HH:MM`), a time `HH:MM`, a whole number stored as a float loses its `.0`.
Rows are numbered as the spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import date, datetime, time
from pathlib import Path
from typing import Any


class BadFile(ValueError):
    """A file that cannot be read as a table; the message says why."""


@dataclass(frozen=True)
class Sheet:
    """A header (lower-case names) and the data rows under it, each with its row number."""

    header: tuple[str, ...]
    rows: list[tuple[int, dict[str, str]]]


def read_sheet(path: Path | str) -> Sheet:
    """Read `path` (`.csv` or `.xlsx`); blank rows are skipped but keep their numbers."""
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix == ".csv":
        lines = _csv_lines(path)
    elif suffix in {".xlsx", ".xlsm"}:
        lines = _xlsx_lines(path)
    else:
        raise BadFile(f"{path.name}: use a .csv or .xlsx file")
    return sheet_from_lines(lines, path.name)


def sheet_from_lines(lines: Iterator[list[str]], name: str = "data") -> Sheet:
    """A Sheet from rows of text cells, the first row being the header."""
    header_cells = next(lines, None)
    if not header_cells or not any(header_cells):
        raise BadFile(f"{name}: the first row must name the columns")
    header = tuple(cell.strip().lower() for cell in header_cells)
    repeated = sorted({h for h in header if h and header.count(h) > 1})
    if repeated:
        raise BadFile(f"{name}: column named twice in the header: {', '.join(repeated)}")
    rows = []
    for number, cells in enumerate(lines, start=2):
        if not any(cells):
            continue
        row = {col: cell for col, cell in zip(header, cells, strict=False) if col}
        rows.append((number, row))
    return Sheet(header, rows)


def _csv_lines(path: Path) -> Iterator[list[str]]:
    try:
        with open(path, newline="", encoding="utf-8-sig") as fh:
            for cells in csv.reader(fh):
                yield [cell.strip() for cell in cells]
    except UnicodeDecodeError as exc:
        raise BadFile(f"{path.name}: save the CSV as UTF-8") from exc


def _xlsx_lines(path: Path) -> Iterator[list[str]]:
    from openpyxl import load_workbook

    try:
        book = load_workbook(path, read_only=True, data_only=True)
    except Exception as exc:  # openpyxl raises many kinds for a damaged file
        raise BadFile(f"{path.name}: not a readable .xlsx file ({exc})") from exc
    try:
        for values in book.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(value) for value in values]
    finally:
        book.close()


def _cell_text(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        if value.time() == time(0, 0):
            return value.date().isoformat()
        return value.strftime("%Y-%m-%d %H:%M")
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()
