"""Savings groups (VSLAs) and their ledger; balances are derived, never typed in."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String, UniqueConstraint, case, func, select
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import LedgerKind
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
    """One dated movement of money for one member; `amount` is a positive whole number of RWF."""

    __tablename__ = "ledger_entries"
    __table_args__ = (UniqueConstraint("vsla_id", "reference"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    date: Mapped[date]
    kind: Mapped[LedgerKind]
    amount: Mapped[int]
    due_date: Mapped[date | None]  # for a loan: when it must be repaid
    reference: Mapped[str] = mapped_column(String(80))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    vsla: Mapped[Vsla] = relationship()
    person: Mapped[Person] = relationship()


@dataclass(frozen=True)
class Balances:
    """A member's money, in whole RWF, as the ledger says."""

    shares: int
    social_fund: int
    loans: int
    repaid: int
    fines: int
    next_due: date | None

    @property
    def loan_outstanding(self) -> int:
        return max(self.loans - self.repaid, 0)


@dataclass(frozen=True)
class LoanOwed:
    """One loan and what is still owed on it, in whole RWF."""

    entry_id: int
    amount: int
    due_date: date | None
    owed: int


def loans_owed(session: Session, person_id: int, repaid: int | None = None) -> list[LoanOwed]:
    """A member's loans, oldest due first, each with what is still owed: repayments (`repaid`,
    default the ledger's total) pay off the oldest loans first."""
    if repaid is None:
        repaid = int(
            session.scalar(
                select(func.sum(LedgerEntry.amount)).where(
                    LedgerEntry.person_id == person_id, LedgerEntry.kind == LedgerKind.REPAYMENT
                )
            )
            or 0
        )
    loans = session.execute(
        select(LedgerEntry.id, LedgerEntry.amount, LedgerEntry.due_date)
        .where(LedgerEntry.person_id == person_id, LedgerEntry.kind == LedgerKind.LOAN)
        .order_by(case((LedgerEntry.due_date.is_(None), 1), else_=0), LedgerEntry.date)
    )
    owed = []
    for entry_id, amount, due in loans:
        paid = min(repaid, amount)
        repaid -= paid
        owed.append(LoanOwed(entry_id, amount, due, amount - paid))
    return owed


def balances(session: Session, person_id: int) -> Balances:
    """Sum a member's ledger; the next due date is that of the oldest loan not yet repaid."""
    sums = {kind: 0 for kind in LedgerKind}
    rows = session.execute(
        select(LedgerEntry.kind, func.sum(LedgerEntry.amount))
        .where(LedgerEntry.person_id == person_id)
        .group_by(LedgerEntry.kind)
    )
    for kind, total in rows:
        sums[kind] = int(total or 0)
    unpaid = [
        loan
        for loan in loans_owed(session, person_id, repaid=sums[LedgerKind.REPAYMENT])
        if loan.owed
    ]
    return Balances(
        shares=sums[LedgerKind.SHARES],
        social_fund=sums[LedgerKind.SOCIAL_FUND],
        loans=sums[LedgerKind.LOAN],
        repaid=sums[LedgerKind.REPAYMENT],
        fines=sums[LedgerKind.FINE],
        next_due=unpaid[0].due_date if unpaid else None,
    )
