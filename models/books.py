"""A savings group's own books: the constitution per cycle, officers, the list, meetings and
their entries, loans with their instalments, disputes and share-outs.

Money is in whole francs. Money itself lives only in the ledger (`ledger_entries`); the rows here
say who, when and under which rules.
"""

from __future__ import annotations

from datetime import date, datetime

from sqlalchemy import (
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    UniqueConstraint,
    func,
    select,
    text,
)
from sqlalchemy.orm import Mapped, Session, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import (
    Attendance,
    Channel,
    ChargeMode,
    CycleStatus,
    DisputeStatus,
    FineKind,
    LedgerKind,
    LoanStatus,
    MeetingStatus,
    ShareOutStatus,
    VslaOffice,
)
from models.people import Person
from models.vsla_rules import Due, Owed, owed_on


class Cycle(Base):
    """One cycle of a group and its constitution: fixed from the first meeting to share-out."""

    __tablename__ = "vsla_cycles"
    __table_args__ = (
        UniqueConstraint("vsla_id", "number"),
        Index(
            "uq_vsla_cycles_live",
            "vsla_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
        CheckConstraint("share_value >= 0", name="share_value"),
        CheckConstraint(
            "shares_min >= 0 AND shares_min <= shares_max AND shares_max <= 10", name="shares"
        ),
        CheckConstraint("social_fund_per_meeting >= 0", name="social"),
        CheckConstraint("charge_rate_bp BETWEEN 0 AND 5000", name="charge"),
        CheckConstraint("max_loan_multiple BETWEEN 1 AND 10", name="multiple"),
        CheckConstraint("term_limit_months BETWEEN 1 AND 12", name="term"),
        CheckConstraint("planned_share_out_on > starts_on", name="dates"),
        CheckConstraint(
            "fine_late >= 0 AND fine_absent >= 0 AND fine_misconduct >= 0", name="fines"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    number: Mapped[int]
    status: Mapped[CycleStatus] = mapped_column(default=CycleStatus.OPEN)
    starts_on: Mapped[date]
    planned_share_out_on: Mapped[date]
    share_value: Mapped[int]
    shares_min: Mapped[int] = mapped_column(default=1)
    shares_max: Mapped[int] = mapped_column(default=5)
    social_fund_per_meeting: Mapped[int] = mapped_column(default=0)
    charge_mode: Mapped[ChargeMode] = mapped_column(default=ChargeMode.FLAT)
    charge_rate_bp: Mapped[int] = mapped_column(default=1000)  # 10% = 1000 basis points
    max_loan_multiple: Mapped[int] = mapped_column(default=3)
    term_limit_months: Mapped[int] = mapped_column(default=3)
    social_fund_shared: Mapped[bool] = mapped_column(default=False)
    fine_late: Mapped[int] = mapped_column(default=0)  # 0: no such fine
    fine_absent: Mapped[int] = mapped_column(default=0)
    fine_misconduct: Mapped[int] = mapped_column(default=0)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]

    def fine_rate(self, kind: FineKind) -> int:
        return {
            FineKind.LATE: self.fine_late,
            FineKind.ABSENT: self.fine_absent,
            FineKind.MISCONDUCT: self.fine_misconduct,
        }.get(kind, 0)


class Officer(Base):
    """A person's office in their savings group."""

    __tablename__ = "vsla_officers"

    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), primary_key=True)
    office: Mapped[VslaOffice] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True, index=True)

    person: Mapped[Person] = relationship()


class CycleMember(Base):
    """A member's number in the cycle's book: the number the record-keeper types."""

    __tablename__ = "vsla_cycle_members"
    __table_args__ = (
        UniqueConstraint("cycle_id", "number"),
        UniqueConstraint("cycle_id", "person_id"),
        CheckConstraint("number >= 1", name="number"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("vsla_cycles.id"))
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    number: Mapped[int]
    joined_on: Mapped[date]
    left_on: Mapped[date | None]

    person: Mapped[Person] = relationship()


class Meeting(Base):
    """One weekly meeting; its cash "should be" figures are kept apart per box."""

    __tablename__ = "vsla_meetings"
    __table_args__ = (
        UniqueConstraint("vsla_id", "held_on"),
        UniqueConstraint("cycle_id", "number"),
        Index(
            "uq_vsla_meetings_open",
            "vsla_id",
            unique=True,
            sqlite_where=text("status = 'open'"),
            postgresql_where=text("status = 'open'"),
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("vsla_cycles.id"), index=True)
    number: Mapped[int]
    held_on: Mapped[date]
    status: Mapped[MeetingStatus] = mapped_column(default=MeetingStatus.OPEN)
    channel: Mapped[Channel]
    opened_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    reopened_times: Mapped[int] = mapped_column(default=0)
    opening_loan_cash: Mapped[int] = mapped_column(default=0)
    opening_social_cash: Mapped[int] = mapped_column(default=0)
    closing_loan_cash: Mapped[int | None]
    closing_social_cash: Mapped[int | None]

    cycle: Mapped[Cycle] = relationship()


class MeetingEntry(Base):
    """What one member brought to one meeting, in its latest form (history is in the ledger)."""

    __tablename__ = "vsla_meeting_entries"
    __table_args__ = (
        UniqueConstraint("meeting_id", "person_id"),
        CheckConstraint(
            "shares >= 0 AND social_fund >= 0 AND repayment >= 0 AND fine >= 0", name="amounts"
        ),
        CheckConstraint(
            "(fine = 0 AND fine_kind IS NULL) OR (fine > 0 AND fine_kind IS NOT NULL)",
            name="fine",
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("vsla_meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    attendance: Mapped[Attendance]
    shares: Mapped[int] = mapped_column(default=0)  # a count of shares
    social_fund: Mapped[int] = mapped_column(default=0)
    repayment: Mapped[int] = mapped_column(default=0)
    fine: Mapped[int] = mapped_column(default=0)
    fine_kind: Mapped[FineKind | None]
    version: Mapped[int] = mapped_column(default=1)  # bumped on every changed save
    receipted_version: Mapped[int] = mapped_column(default=0)
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[Channel]
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])


class Loan(Base):
    """A loan from the loan fund: requested by the record-keeper, paid out once a second officer
    confirms it. The charge is fixed at the request; paid amounts come from the ledger."""

    __tablename__ = "vsla_loans"
    __table_args__ = (
        Index(
            "uq_vsla_loans_one_live",
            "person_id",
            unique=True,
            sqlite_where=text("status IN ('pending', 'active')"),
            postgresql_where=text("status IN ('pending', 'active')"),
        ),
        CheckConstraint("principal > 0 AND charge >= 0", name="money"),
        CheckConstraint("term_months BETWEEN 1 AND 12", name="term"),
        CheckConstraint(
            "approved_by_id IS NULL OR approved_by_id <> requested_by_id", name="two_keys"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("vsla_cycles.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("vsla_meetings.id"), index=True)
    status: Mapped[LoanStatus] = mapped_column(default=LoanStatus.PENDING)
    principal: Mapped[int]
    charge: Mapped[int]
    charge_mode: Mapped[ChargeMode]
    charge_rate_bp: Mapped[int]
    term_months: Mapped[int]
    requested_on: Mapped[date]
    disbursed_on: Mapped[date | None]
    due_on: Mapped[date]
    requested_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_at: Mapped[datetime | None]
    channel: Mapped[Channel]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    requested_by: Mapped[Person | None] = relationship(foreign_keys=[requested_by_id])
    instalments: Mapped[list[Instalment]] = relationship(order_by="Instalment.number")


class Instalment(Base):
    """One due date of a loan: its part of the principal and of the charge."""

    __tablename__ = "vsla_instalments"
    __table_args__ = (
        UniqueConstraint("loan_id", "number"),
        CheckConstraint("principal >= 0 AND charge >= 0", name="money"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    loan_id: Mapped[int] = mapped_column(ForeignKey("vsla_loans.id"), index=True)
    number: Mapped[int]
    due_on: Mapped[date]
    principal: Mapped[int]
    charge: Mapped[int]

    loan: Mapped[Loan] = relationship(back_populates="instalments")


class Dispute(Base):
    """A member's word that a receipt is wrong (SIBYO / WRONG / FAUX)."""

    __tablename__ = "vsla_disputes"

    id: Mapped[int] = mapped_column(primary_key=True)
    vsla_id: Mapped[int] = mapped_column(ForeignKey("vslas.id"), index=True)
    meeting_id: Mapped[int] = mapped_column(ForeignKey("vsla_meetings.id"), index=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"))
    text: Mapped[str] = mapped_column(String(160), default="")
    status: Mapped[DisputeStatus] = mapped_column(default=DisputeStatus.OPEN, index=True)
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    resolved_at: Mapped[datetime | None]
    note: Mapped[str | None] = mapped_column(String(200))

    person: Mapped[Person] = relationship()
    meeting: Mapped[Meeting] = relationship()


class ShareOut(Base):
    """The end of a cycle: the distributable fund split by shares, approved by two officers."""

    __tablename__ = "vsla_share_outs"
    __table_args__ = (
        CheckConstraint(
            "approved_by_2_id IS NULL OR approved_by_2_id <> approved_by_1_id", name="two_keys"
        ),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    cycle_id: Mapped[int] = mapped_column(ForeignKey("vsla_cycles.id"), unique=True)
    status: Mapped[ShareOutStatus] = mapped_column(default=ShareOutStatus.DRAFT)
    held_on: Mapped[date]
    distributable: Mapped[int]
    total_shares: Mapped[int]
    remainder: Mapped[int]
    computed_at: Mapped[datetime] = mapped_column(default=utcnow)
    approved_by_1_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    approved_by_2_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    paid_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    paid_at: Mapped[datetime | None]

    lines: Mapped[list[ShareOutLine]] = relationship(order_by="ShareOutLine.number")


class ShareOutLine(Base):
    """One member's share-out: gross by shares, less what they still owe."""

    __tablename__ = "vsla_share_out_lines"
    __table_args__ = (CheckConstraint("payout = gross - debt AND payout >= 0", name="payout"),)

    share_out_id: Mapped[int] = mapped_column(ForeignKey("vsla_share_outs.id"), primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), primary_key=True)
    number: Mapped[int]
    shares: Mapped[int]
    gross: Mapped[int]
    debt: Mapped[int]
    payout: Mapped[int]

    person: Mapped[Person] = relationship()


def dues(loan: Loan) -> list[Due]:
    return [Due(i.number, i.due_on, i.principal, i.charge) for i in loan.instalments]


def loan_paid(session: Session, loan_id: int) -> int:
    """Charge and principal paid on a book loan so far (reversals included)."""
    from models.vsla import LedgerEntry

    return int(
        session.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.loan_id == loan_id,
                LedgerEntry.kind.in_((LedgerKind.REPAYMENT, LedgerKind.SERVICE_CHARGE)),
            )
        )
        or 0
    )


def loan_owed(session: Session, loan: Loan, day: date) -> Owed:
    return owed_on(dues(loan), loan_paid(session, loan.id), day)


def book_loans_owed(session: Session, person_id: int, day: date) -> list[tuple[Loan, Owed]]:
    """A member's active book loans (at most one) with what is owed on `day`."""
    loans = session.scalars(
        select(Loan).where(Loan.person_id == person_id, Loan.status == LoanStatus.ACTIVE)
    )
    return [(loan, loan_owed(session, loan, day)) for loan in loans]


def last_meeting_day(session: Session, vsla_id: int) -> date | None:
    """The day of the group's last meeting in its books, else its last ledger date."""
    from models.vsla import LedgerEntry

    held = session.scalar(select(func.max(Meeting.held_on)).where(Meeting.vsla_id == vsla_id))
    if held is not None:
        return held
    return session.scalar(select(func.max(LedgerEntry.date)).where(LedgerEntry.vsla_id == vsla_id))
