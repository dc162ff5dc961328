"""Savings groups (VSLAs) and their ledger; balances are derived, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    String,
    UniqueConstraint,
    case,
    func,
    or_,
    select,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Channel, CycleStatus, LedgerKind
from models.places import Sector

if TYPE_CHECKING:
    from models.people import Person


class Vsla(Base):
    """A Village Savings and Loan Association (ikimina)."""

    __tablename__ = "vslas"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    sector_id: Mapped[int] = mapped_column(ForeignKey("sectors.id"), index=True)
    meeting_day: Mapped[int | None]  # 0 = Monday ... 6 = Sunday
    meeting_time: Mapped[time | None]
    meeting_place: Mapped[str | None] = mapped_column(String(120))
    share_value: Mapped[int] = mapped_column(default=0)  # RWF

    sector: Mapped[Sector] = relationship()
    members: Mapped[list[Person]] = relationship(back_populates="vsla")


class LedgerEntry(Base):
    """One dated movement of money; `amount` is a whole number of RWF.

    Append-only for the group's own books: a correction is a reversal row (the negative of the
    row it `reverses`, next revision of the same `reference`) and, when something remains, a new
    row. Group-level rows (carry in/out) have no person.
    """

    __tablename__ = "ledger_entries"
    __table_args__ = (
        UniqueConstraint("vsla_id", "reference", "revision"),
        CheckConstraint(
            "(reverses_id IS NULL AND amount > 0) OR (reverses_id IS NOT NULL AND amount < 0)",
            name="sign",
        ),
        CheckConstraint("share_count IS NULL OR kind = 'shares'", name="share_count"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    date: Mapped[date]
    kind: Mapped[LedgerKind]
    amount: Mapped[int]
    due_date: Mapped[date | None]  # for an imported loan: when it must be repaid
    reference: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    cycle_id: Mapped[int | None] = mapped_column(ForeignKey("vsla_cycles.id"), index=True)
    meeting_id: Mapped[int | None] = mapped_column(ForeignKey("vsla_meetings.id"), index=True)
    loan_id: Mapped[int | None] = mapped_column(ForeignKey("vsla_loans.id"), index=True)
    share_count: Mapped[int | None]
    revision: Mapped[int] = mapped_column(default=0, server_default="0")
    reverses_id: Mapped[int | None] = mapped_column(ForeignKey("ledger_entries.id"), unique=True)
    channel: Mapped[Channel] = mapped_column(default=Channel.IMPORT, server_default="import")
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(String(200))  # why: a payout's or expense's reason

    vsla: Mapped[Vsla] = relationship()
    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])


@dataclass(frozen=True)
class Balances:
    """A member's money in the group's live cycle, in whole RWF, as the ledger says."""

    shares: int  # francs
    social_fund: int
    loans: int
    repaid: int
    fines: int
    next_due: date | None
    share_count: int = 0
    loan_owed: int = 0  # principal and charge still to repay, every loan
    next_amount: int = 0  # what is left on the next instalment
    as_of: date | None = None  # the group's last meeting (or last ledger date)

    @property
    def loan_outstanding(self) -> int:
        return self.loan_owed


@dataclass(frozen=True)
class LoanOwed:
    """One loan and what is still owed on it, in whole RWF."""

    entry_id: int
    amount: int
    due_date: date | None
    owed: int


def cycle_scope(session: Session, vsla_id: int | None) -> ColumnElement[bool]:
    """Which ledger rows belong to the group's live cycle: its own, and rows written before the
    group kept books (no cycle) while it is in its first cycle."""
    from models.books import Cycle

    live = session.execute(
        select(Cycle.id, Cycle.number).where(
            Cycle.vsla_id == vsla_id, Cycle.status == CycleStatus.OPEN
        )
    ).first()
    if live is None:
        return LedgerEntry.cycle_id.is_(None)
    if live.number == 1:
        return or_(LedgerEntry.cycle_id == live.id, LedgerEntry.cycle_id.is_(None))
    return LedgerEntry.cycle_id == live.id


def loans_owed(session: Session, person_id: int, repaid: int | None = None) -> list[LoanOwed]:
    """A member's imported loans (rows with no book loan), oldest due first, each with what is
    still owed: repayments (`repaid`, default the ledger's total) pay the oldest first."""
    legacy = LedgerEntry.loan_id.is_(None)
    if repaid is None:
        repaid = int(
            session.scalar(
                select(func.sum(LedgerEntry.amount)).where(
                    LedgerEntry.person_id == person_id,
                    LedgerEntry.kind == LedgerKind.REPAYMENT,
                    legacy,
                )
            )
            or 0
        )
    loans = session.execute(
        select(LedgerEntry.id, LedgerEntry.amount, LedgerEntry.due_date)
        .where(LedgerEntry.person_id == person_id, LedgerEntry.kind == LedgerKind.LOAN, legacy)
        .order_by(case((LedgerEntry.due_date.is_(None), 1), else_=0), LedgerEntry.date)
    )
    owed = []
    for entry_id, amount, due in loans:
        paid = min(repaid, amount)
        repaid -= paid
        owed.append(LoanOwed(entry_id, amount, due, amount - paid))
    return owed


def balances(session: Session, person_id: int, day: date | None = None) -> Balances:
    """Sum a member's ledger in the live cycle. A loan from the books counts its principal and
    charge still unpaid, with its next instalment; an imported loan is paid oldest first."""
    from models.books import book_loans_owed, last_meeting_day
    from models.people import Person

    vsla_id = session.scalar(select(Person.vsla_id).where(Person.id == person_id))
    scope = cycle_scope(session, vsla_id)
    sums = {kind: 0 for kind in LedgerKind}
    count = 0
    rows = session.execute(
        select(LedgerEntry.kind, func.sum(LedgerEntry.amount), func.sum(LedgerEntry.share_count))
        .where(LedgerEntry.person_id == person_id, scope)
        .group_by(LedgerEntry.kind)
    )
    for kind, total, shares in rows:
        sums[kind] = int(total or 0)
        count += int(shares or 0)
    # imported rows carry no count: whole shares at the group's share value
    untold = session.scalar(
        select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.person_id == person_id,
            LedgerEntry.kind == LedgerKind.SHARES,
            LedgerEntry.share_count.is_(None),
            scope,
        )
    )
    value = session.scalar(select(Vsla.share_value).where(Vsla.id == vsla_id)) or 0
    if untold and value > 0:
        count += int(untold) // value
    legacy_repaid = int(
        session.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.person_id == person_id,
                LedgerEntry.kind == LedgerKind.REPAYMENT,
                LedgerEntry.loan_id.is_(None),
                scope,
            )
        )
        or 0
    )
    unpaid = [loan for loan in loans_owed(session, person_id, legacy_repaid) if loan.owed]
    book = book_loans_owed(session, person_id, day or date.today())
    next_due = unpaid[0].due_date if unpaid else None
    next_amount = unpaid[0].owed if unpaid else 0
    for _loan, owed in book[:1]:
        if owed.next_due is not None and (next_due is None or owed.next_due < next_due):
            next_due, next_amount = owed.next_due, owed.next_amount
    return Balances(
        shares=sums[LedgerKind.SHARES],
        social_fund=sums[LedgerKind.SOCIAL_FUND] - sums[LedgerKind.SOCIAL_PAYOUT],
        loans=sums[LedgerKind.LOAN],
        repaid=sums[LedgerKind.REPAYMENT],
        fines=sums[LedgerKind.FINE],
        next_due=next_due,
        share_count=count,
        loan_owed=sum(loan.owed for loan in unpaid) + sum(owed.left for _, owed in book),
        next_amount=next_amount,
        as_of=last_meeting_day(session, vsla_id) if vsla_id is not None else None,
    )
