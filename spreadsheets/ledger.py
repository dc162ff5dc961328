"""ledger: `phone, vsla, date, kind, amount, reference` and an optional `due_date` (loans).

The member must already belong to the named VSLA (set by the people import): a ledger file
never moves anyone between groups. `reference` identifies an entry within its VSLA, so a
corrected re-import updates it. A blank reference is derived from the row's content (phone,
VSLA, date, kind, amount) and how many times that content came before in the file, so the
same file imported twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter

from sqlalchemy.orm import Session

from models import LedgerEntry, LedgerKind
from runtime.settings import Settings
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Existing, Record, Table

LEDGER = Table(
    LedgerEntry,
    ("vsla_id", "reference", "person_id", "date", "kind", "amount", "due_date"),
    key=lambda row: (row["vsla_id"], row["reference"]),
)


class Ledger(Kind):
    name = "ledger"
    columns = (
        Column("phone", cells.phone, required=True),
        Column("vsla", required=True),
        Column("date", cells.day, required=True),
        Column("kind", cells.choice(LedgerKind), required=True),
        Column("amount", cells.positive, required=True),
        Column("reference"),
        Column("due_date", cells.day, in_header=False),
    )
    table = LEDGER
    key_column = "reference"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.occurrences: Counter[str] = Counter()

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        refs.load_people(row["phone"] for row in rows)

    def record(self, values: Values, refs: Refs) -> Record:
        vsla_id = refs.named("vsla", values["vsla"])
        member = refs.person(values["phone"])
        if member.vsla_id != vsla_id:
            raise RowError(
                "phone",
                f"{member.name} is not a member of {values['vsla']}; "
                "set their vsla in the people file first",
            )
        due = values["due_date"]
        if due is not None and values["kind"] is not LedgerKind.LOAN:
            raise RowError("due_date", "only a loan has a due date")
        if due is not None and due < values["date"]:
            raise RowError("due_date", "the due date is before the loan's date")
        return {
            "vsla_id": vsla_id,
            "reference": values["reference"] or self.derived_reference(values),
            "person_id": member.id,
            **{f: values[f] for f in ("date", "kind", "amount")},
            "due_date": due,
        }

    def derived_reference(self, values: Values) -> str:
        content = "|".join(
            str(values[c]).lower() for c in ("phone", "vsla", "date", "kind", "amount")
        )
        self.occurrences[content] += 1
        digest = hashlib.sha1(content.encode()).hexdigest()[:16]
        return f"auto-{digest}-{self.occurrences[content]}"

    def existing(self, session: Session, records: list[Record]) -> Existing:
        return LEDGER.existing(session, LedgerEntry.vsla_id, (r["vsla_id"] for r in records))
