"""The import engine every kind shares: check the header, parse each row's cells, let the kind
turn good rows into records, then write them in one transaction.

Atomic by default: one bad row and nothing is written. `skip_invalid` writes the good rows;
`dry_run` does all the work and rolls it back, so its counts are exactly what a real run does.
"""

from __future__ import annotations

from collections.abc import Callable, Hashable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any, ClassVar

from sqlalchemy.orm import Session

from runtime.settings import Settings
from spreadsheets.cells import Parser, text
from spreadsheets.reader import BadFile, Sheet
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Existing, Record, Table, Upserted, upsert

Progress = Callable[[Sequence[Any], str], Iterable[Any]]


def no_progress(items: Sequence[Any], label: str) -> Iterable[Any]:
    return items


@dataclass(frozen=True)
class Column:
    """One column of an import file: how to read its cells and whether a value is needed."""

    name: str
    parse: Parser = text
    required: bool = False  # every row needs a value
    default: Any = None  # the value of a blank cell
    in_header: bool = True  # the header must name it (False: an optional extra column)


@dataclass
class Values:
    """One row's parsed cells, by column name, and where it sits in the file."""

    row: int
    cells: dict[str, Any]

    def __getitem__(self, column: str) -> Any:
        return self.cells[column]


@dataclass(frozen=True)
class Problem:
    row: int
    column: str
    reason: str

    def __str__(self) -> str:
        return f"row {self.row}, {self.column}: {self.reason}"


@dataclass
class Report:
    """What an import found and did (or, on a dry run or a refused file, would do)."""

    kind: str
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    problems: list[Problem] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # other changes worth saying
    written: bool = False

    @property
    def rejected(self) -> int:
        return len({p.row for p in self.problems})

    def count(self, done: Upserted, also_updated: Iterable[int] = ()) -> None:
        """Add an upsert's counts; `also_updated` are indexes changed outside its table."""
        changed = {index for index, _ in done.updated} | (set(also_updated) - set(done.created))
        self.created += len(done.created)
        self.updated += len(changed)
        self.unchanged += len(done.ids) - len(done.created) - len(changed)


class Kind:
    """One kind of import: its columns as data, and how its rows become stored records.

    `record` makes every check that can fail before it creates anything (a district, sector
    or VTC), so a refused row leaves nothing behind (a row refused as a repeat of an earlier
    one names only places that row already created).
    """

    name: ClassVar[str]
    columns: ClassVar[tuple[Column, ...]]
    #: The table the records land in; its key identifies a record, in a file and when stored.
    table: ClassVar[Table]
    #: The column blamed when two rows have the same key.
    key_column: ClassVar[str]

    def __init__(self, settings: Settings) -> None:
        self.settings = settings  # for the services a kind's rows go through

    def key(self, record: Record) -> Hashable:
        return self.table.key(record)

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        """Load in bulk what the rows refer to (before `record` is called for each)."""

    def record(self, values: Values, refs: Refs) -> Record:
        """The record a good row stands for; raise RowError for a bad one."""
        raise NotImplementedError

    def existing(self, session: Session, records: list[Record]) -> Existing:
        """The stored rows the records may match (default: the whole table)."""
        return self.table.existing(session)

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        """Store the records and count what changed in `report`."""
        report.count(self.upsert(session, records, progress))

    def upsert(self, session: Session, records: list[Record], progress: Progress) -> Upserted:
        return upsert(session, self.table, records, self.existing(session, records), progress)


def missing_columns(kind: Kind, header: Sequence[str]) -> list[str]:
    return [c.name for c in kind.columns if c.in_header and c.name not in header]


def parse_row(kind: Kind, number: int, cells: dict[str, str]) -> tuple[Values, list[Problem]]:
    """Parse each cell of a row with its column's parser; blank cells take the default."""
    values: dict[str, Any] = {}
    problems = []
    for column in kind.columns:
        raw = cells.get(column.name, "").strip()
        if not raw:
            if column.required:
                problems.append(Problem(number, column.name, "a value is needed"))
            values[column.name] = column.default
            continue
        try:
            values[column.name] = column.parse(raw)
        except ValueError as exc:
            problems.append(Problem(number, column.name, str(exc)))
    return Values(number, values), problems


def run(
    session: Session,
    kind: Kind,
    sheet: Sheet,
    *,
    dry_run: bool = False,
    skip_invalid: bool = False,
    progress: Progress = no_progress,
) -> Report:
    """Import `sheet` as `kind` in `session`'s transaction; commit only when it should stick."""
    missing = missing_columns(kind, sheet.header)
    if missing:
        raise BadFile(f"the header has no column {', '.join(missing)} (a {kind.name} file needs "
                      f"{', '.join(c.name for c in kind.columns if c.in_header)})")
    report = Report(kind.name, rows=len(sheet.rows))
    parsed = []
    for number, cells in progress(sheet.rows, "Reading"):
        values, problems = parse_row(kind, number, cells)
        report.problems += problems
        if not problems:
            parsed.append(values)
    refs = Refs(session)
    kind.prepare(refs, parsed)
    records: list[Record] = []
    seen: dict[Hashable, int] = {}
    for values in progress(parsed, "Checking"):
        try:
            record = kind.record(values, refs)
            first = seen.setdefault(kind.key(record), values.row)
            if first != values.row:
                raise RowError(kind.key_column, f"same {kind.key_column} as row {first}")
        except RowError as exc:
            report.problems.append(Problem(values.row, exc.column, exc.reason))
            continue
        records.append(record)
    report.problems.sort(key=lambda p: p.row)
    if report.problems and not skip_invalid and not dry_run:
        session.rollback()
        return report
    kind.write(session, refs, records, report, progress)
    if dry_run:
        session.rollback()
    else:
        session.commit()
        report.written = True
    return report
