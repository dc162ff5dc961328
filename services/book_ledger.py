"""Writing a group's own books into the ledger: append-only, one logical line per reference.

A reference (`M12-P5-shares`) names one line of the books. Its first row is revision 0; a
correction appends the reversal of the current row (the negative amount, `reverses_id` set) and,
when something remains, a new row: rows are never edited. Every row says who wrote it, how.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session, aliased

from models import Channel, LedgerEntry, LedgerKind


@dataclass(frozen=True)
class Actor:
    """Who writes to the books and through which channel."""

    person_id: int | None
    channel: Channel


class BookError(Exception):
    """A refusal a person must read: `code` is a msgid, `values` fill its placeholders."""

    def __init__(self, code: str, **values: object) -> None:
        super().__init__(code)
        self.code = code
        self.values = values


def current(session: Session, vsla_id: int, reference: str) -> LedgerEntry | None:
    """The row in force for `reference`: not a reversal, not reversed."""
    reversal = aliased(LedgerEntry)
    return session.scalar(
        select(LedgerEntry)
        .where(
            LedgerEntry.vsla_id == vsla_id,
            LedgerEntry.reference == reference,
            LedgerEntry.reverses_id.is_(None),
            ~select(reversal.id).where(reversal.reverses_id == LedgerEntry.id).exists(),
        )
        .order_by(LedgerEntry.revision.desc())
        .limit(1)
    )


@dataclass(frozen=True)
class Line:
    """What a reference should hold now."""

    vsla_id: int
    cycle_id: int
    reference: str
    kind: LedgerKind
    amount: int
    on: date
    person_id: int | None = None
    meeting_id: int | None = None
    loan_id: int | None = None
    share_count: int | None = None
    note: str | None = None


def post(session: Session, line: Line, actor: Actor) -> bool:
    """Make `line.reference` hold `line.amount` (0: nothing); True when a row was written."""
    row = current(session, line.vsla_id, line.reference)
    held = row.amount if row is not None else 0
    if held == line.amount and (row is None or row.share_count == line.share_count):
        return False
    top = session.scalar(
        select(func.max(LedgerEntry.revision)).where(
            LedgerEntry.vsla_id == line.vsla_id, LedgerEntry.reference == line.reference
        )
    )
    revision = 0 if top is None else top + 1
    common = {
        "vsla_id": line.vsla_id,
        "cycle_id": line.cycle_id,
        "reference": line.reference,
        "kind": line.kind,
        "person_id": line.person_id,
        "meeting_id": line.meeting_id,
        "loan_id": line.loan_id,
        "channel": actor.channel,
        "recorded_by_id": actor.person_id,
    }
    if row is not None:
        session.add(
            LedgerEntry(
                **common,
                date=row.date,
                amount=-row.amount,
                share_count=-row.share_count if row.share_count is not None else None,
                revision=revision,
                reverses_id=row.id,
            )
        )
        revision += 1
    if line.amount > 0:
        session.add(
            LedgerEntry(
                **common,
                date=line.on,
                amount=line.amount,
                share_count=line.share_count,
                revision=revision,
                note=line.note,
            )
        )
    session.flush()
    return True
