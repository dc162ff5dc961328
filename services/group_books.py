"""What a group's books say as a whole: the distributable fund, the funds' cash, loans out and
overdue, who has not paid, and what a member would get if the group shared out today."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Attendance,
    Cycle,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    Person,
    balances,
)
from models.books import last_meeting_day, loan_owed
from models.vsla_rules import per_share, split_share_out
from services import constitution, meetings
from services.receipts import short_name


@dataclass(frozen=True)
class GroupTotals:
    as_of: date | None
    loan_cash: int
    social_cash: int
    loans_out: int  # principal and charge still owed
    loans_count: int
    overdue: int
    overdue_count: int


def group_totals(session: Session, vsla_id: int, day: date) -> GroupTotals | None:
    cycle = constitution.live(session, vsla_id)
    if cycle is None:
        return None
    loan_cash, social_cash = meetings.cash(session, cycle.id)
    out = count = overdue = overdue_count = 0
    for loan in session.scalars(
        select(Loan).where(Loan.cycle_id == cycle.id, Loan.status == LoanStatus.ACTIVE)
    ):
        owed = loan_owed(session, loan, day)
        out, count = out + owed.left, count + 1
        if owed.overdue:
            overdue, overdue_count = overdue + owed.overdue, overdue_count + 1
    return GroupTotals(
        last_meeting_day(session, vsla_id),
        loan_cash,
        social_cash,
        out,
        count,
        overdue,
        overdue_count,
    )


def distributable(session: Session, cycle_id: int, day: date) -> int:
    """D = the loan fund's cash plus loans still owed (principal and charge): savings, charges
    earned and fines, less what was paid out (plus the social fund when the rules share it)."""
    loan_cash, social_cash = meetings.cash(session, cycle_id)
    owed = sum(
        loan_owed(session, loan, day).left
        for loan in session.scalars(
            select(Loan).where(Loan.cycle_id == cycle_id, Loan.status == LoanStatus.ACTIVE)
        )
    )
    found = session.get(Cycle, cycle_id)
    shared = social_cash if found is not None and found.social_fund_shared else 0
    return loan_cash + owed + shared


def shares_by_member(session: Session, cycle_id: int) -> dict[int, int]:
    rows = session.execute(
        select(LedgerEntry.person_id, func.sum(LedgerEntry.share_count))
        .where(LedgerEntry.cycle_id == cycle_id, LedgerEntry.kind == LedgerKind.SHARES)
        .group_by(LedgerEntry.person_id)
    )
    return {pid: int(n or 0) for pid, n in rows if pid is not None}


@dataclass(frozen=True)
class IfToday:
    shares: int
    per_share: str
    gross: int
    debt: int

    @property
    def payout(self) -> int:
        return max(self.gross - self.debt, 0)


def if_today(session: Session, person: Person, day: date) -> IfToday | None:
    """The member's share-out if the group shared out today."""
    if person.vsla_id is None:
        return None
    cycle = constitution.live(session, person.vsla_id)
    if cycle is None:
        return None
    fund = distributable(session, cycle.id, day)
    shares = shares_by_member(session, cycle.id)
    split = split_share_out(fund, shares)
    debt = balances(session, person.id, day).loan_owed
    return IfToday(
        shares.get(person.id, 0),
        per_share(fund, split.total_shares),
        split.gross.get(person.id, 0),
        debt,
    )


@dataclass(frozen=True)
class Unpaid:
    number: int
    name: str
    reasons: list[str]
    overdue: int


def unpaid(session: Session, meeting: Meeting, day: date) -> list[Unpaid]:
    """Members of the meeting who were absent, bought no shares or paid no social fund, and
    every borrower with something overdue; by list number."""
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    done = meetings.entries(session, meeting)
    found = []
    for member in meetings.members(session, meeting):
        entry = done.get(member.person_id)
        reasons = []
        if entry is None or entry.attendance is Attendance.ABSENT:
            reasons.append("absent")
        else:
            if not entry.shares:
                reasons.append("shares")
            if cycle.social_fund_per_meeting and not entry.social_fund:
                reasons.append("social")
        overdue = sum(
            loan_owed(session, loan, day).overdue
            for loan in session.scalars(
                select(Loan).where(
                    Loan.person_id == member.person_id, Loan.status == LoanStatus.ACTIVE
                )
            )
        )
        if reasons or overdue:
            person = session.get(Person, member.person_id)
            assert person is not None
            found.append(Unpaid(member.number, short_name(person), reasons, overdue))
    return found
