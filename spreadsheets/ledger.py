"""ledger: `phone, vsla, date, kind, amount, reference` and an optional `due_date` (loans); on a
phone several members share, an optional `name` (full or first name) says whose row it is.

The member must already belong to the named VSLA (set by the people import): a ledger file
never moves anyone between groups. `reference` identifies an entry within its VSLA; a
re-import with a changed row never edits money: it appends the reversal of the row in force
(negative, `reverses_id`) and the new row (next revisions of that reference), as corrections
of the group's own books do. Rows go to the group's live cycle (a date before its start is
refused; shares must be whole shares once the cycle has a share value). A blank reference
is derived from the row's content (phone, VSLA, date, kind, amount) and how many times that
content came before in the file, so the same file imported twice changes nothing.
"""

from __future__ import annotations

import hashlib
from collections import Counter
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Channel, Cycle, LedgerEntry, LedgerKind
from runtime.settings import Settings
from services import constitution
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Existing, Record, Table, Upserted

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
        Column("name", in_header=False),  # whose row, on a phone several members share
    )
    table = LEDGER
    key_column = "reference"

    def __init__(self, settings: Settings) -> None:
        super().__init__(settings)
        self.occurrences: Counter[str] = Counter()
        self.cycles: dict[int, Cycle | None] = {}

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        refs.load_people(row["phone"] for row in rows)

    def record(self, values: Values, refs: Refs) -> Record:
        vsla_id = refs.named("vsla", values["vsla"])
        member = refs.person(values["phone"], name=values["name"])
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
        if vsla_id not in self.cycles:
            self.cycles[vsla_id] = constitution.live(refs.session, vsla_id)
        cycle, count = self.cycles[vsla_id], None
        if cycle is not None and values["date"] < cycle.starts_on:
            raise RowError("date", f"the group's cycle starts on {cycle.starts_on.isoformat()}")
        if cycle is not None and cycle.share_value > 0 and values["kind"] is LedgerKind.SHARES:
            count, left = divmod(values["amount"], cycle.share_value)
            if left:
                raise RowError(
                    "amount",
                    f"{values['amount']:,} is not a whole number of {cycle.share_value} Frw shares",
                )
        return {
            "vsla_id": vsla_id,
            "reference": values["reference"] or self.derived_reference(values),
            "person_id": member.id,
            **{f: values[f] for f in ("date", "kind", "amount")},
            "due_date": due,
            "cycle_id": cycle.id if cycle is not None else None,
            "share_count": count,
        }

    def derived_reference(self, values: Values) -> str:
        content = "|".join(
            str(values[c]).lower() for c in ("phone", "vsla", "date", "kind", "amount")
        )
        self.occurrences[content] += 1
        digest = hashlib.sha1(content.encode()).hexdigest()[:16]
        return f"auto-{digest}-{self.occurrences[content]}"

    def existing(self, session: Session, records: list[Record]) -> Existing:
        """The row in force of each reference (not a reversal, not reversed), with the
        reference's highest revision as `top`."""
        rows = session.scalars(
            select(LedgerEntry).where(LedgerEntry.vsla_id.in_({r["vsla_id"] for r in records}))
        ).all()
        reversed_ids = {row.reverses_id for row in rows if row.reverses_id is not None}
        found: dict[Any, dict[str, Any]] = {}
        for row in sorted(rows, key=lambda r: r.revision):
            key = (row.vsla_id, row.reference)
            entry = found.setdefault(key, {"row": None, "top": row.revision})
            entry["top"] = row.revision
            if row.reverses_id is None and row.id not in reversed_ids:
                entry["row"] = row
        return found

    def write(
        self,
        session,
        refs: Refs,
        records: list[Record],
        report: Report,  # type: ignore[no-untyped-def]
        progress: Progress,
    ) -> None:
        """New references get revision 0 (or the next one); a changed one gets the reversal of
        its row in force and a new row; the same row again changes nothing."""
        known = self.existing(session, records)
        done = Upserted(ids=[0] * len(records))
        for index, record in enumerate(records):
            entry = known.get(LEDGER.key(record))
            old = entry["row"] if entry else None
            fields = ("person_id", "date", "kind", "amount", "due_date")
            if old is not None and all(getattr(old, f) == record[f] for f in fields):
                done.ids[index] = old.id
                continue
            revision = entry["top"] + 1 if entry else 0
            if old is not None:
                done.updated.append((index, {f: getattr(old, f) for f in fields}))
                session.add(
                    LedgerEntry(
                        **{f: getattr(old, f) for f in fields if f != "amount"},
                        vsla_id=old.vsla_id,
                        reference=old.reference,
                        amount=-old.amount,
                        cycle_id=old.cycle_id,
                        share_count=-old.share_count if old.share_count is not None else None,
                        reverses_id=old.id,
                        revision=revision,
                        channel=Channel.IMPORT,
                    )
                )
                revision += 1
            else:
                done.created.append(index)
            row = LedgerEntry(**record, revision=revision, channel=Channel.IMPORT)
            session.add(row)
            session.flush()
            done.ids[index] = row.id
        report.count(done)
