"""Loans from a group's loan fund: requested by the record-keeper at a meeting, paid out only
when a second officer (chairperson or treasurer) confirms from their own phone.

The rules, in order (each refusal names its reason): rules set and meeting open; the member is
on the list and not absent; one loan at a time; at least 100 Frw; at most the group's multiple
of the member's savings this cycle; at most the cash in the loan box; a term of 1 to the limit
in months; the last instalment due on or before the planned share-out.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from locales import N_
from models import (
    Attendance,
    Cycle,
    Instalment,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    MeetingStatus,
    Person,
    VslaOffice,
    loans_owed,
    utcnow,
)
from models.vsla_rules import MONTH_DAYS, Due, schedule
from runtime.settings import Settings
from services import constitution, meetings, receipts
from services.book_ledger import Actor, BookError, Line, post

ABSENT = N_("Absent today: no loan.")
HAS_LOAN = N_("Already has a loan ({owed} left).")
TOO_SMALL = N_("At least 100 Frw.")
OVER_SAVINGS = N_("More than {n} x savings: {max} at most.")
OVER_CASH = N_("The loan fund has only {cash}.")
TERM = N_("1 to {limit} months.")
AFTER_SHARE_OUT = N_("Ends after share-out ({date}). Fewer months.")
NOT_YOURS = N_("You cannot confirm a loan you entered or your own.")
NOT_PENDING = N_("This loan is no longer waiting.")
MINIMUM = 100


@dataclass(frozen=True)
class Quote:
    principal: int
    charge: int
    dues: list[Due]

    @property
    def total(self) -> int:
        return self.principal + self.charge


def savings(session: Session, cycle_id: int, person_id: int) -> int:
    """The member's shares in francs this cycle (today's saved shares count)."""
    return int(
        session.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.cycle_id == cycle_id,
                LedgerEntry.person_id == person_id,
                LedgerEntry.kind == LedgerKind.SHARES,
            )
        )
        or 0
    )


def available(session: Session, meeting: Meeting) -> int:
    """Cash in the loan box now, less loans of this meeting waiting for confirmation."""
    loan_cash, _social = meetings.cash(session, meeting.cycle_id)
    pending = session.scalar(
        select(func.sum(Loan.principal)).where(
            Loan.meeting_id == meeting.id, Loan.status == LoanStatus.PENDING
        )
    )
    return loan_cash - int(pending or 0)


def ceiling(session: Session, meeting: Meeting, person: Person) -> int:
    """The most the member may borrow now."""
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    by_savings = cycle.max_loan_multiple * savings(session, cycle.id, person.id)
    return max(min(by_savings, available(session, meeting)), 0)


def check_member(session: Session, meeting: Meeting, person: Person) -> None:
    """Rules about who may borrow (before the amount is asked)."""
    if meeting.status is not MeetingStatus.OPEN:
        raise BookError(meetings.IS_CLOSED, date=meeting.held_on.strftime("%d/%m/%Y"))
    entry = meetings.entries(session, meeting).get(person.id)
    if entry is not None and entry.attendance is Attendance.ABSENT:
        raise BookError(ABSENT)
    live = session.scalar(
        select(Loan).where(
            Loan.person_id == person.id,
            Loan.status.in_((LoanStatus.PENDING, LoanStatus.ACTIVE)),
        )
    )
    legacy = sum(loan.owed for loan in loans_owed(session, person.id))
    if live is not None or legacy:
        owed = legacy + (meetings.owed_now(session, person.id, meeting.held_on) if live else 0)
        if live is not None and live.status is LoanStatus.PENDING:
            owed = live.principal + live.charge
        raise BookError(HAS_LOAN, owed=f"{owed:,} Frw")


def check_amount(session: Session, meeting: Meeting, person: Person, principal: int) -> None:
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    if principal < MINIMUM:
        raise BookError(TOO_SMALL)
    most = cycle.max_loan_multiple * savings(session, cycle.id, person.id)
    if principal > most:
        raise BookError(OVER_SAVINGS, n=cycle.max_loan_multiple, max=f"{most:,} Frw")
    cash = available(session, meeting)
    if principal > cash:
        raise BookError(OVER_CASH, cash=f"{max(cash, 0):,} Frw")


def quote(session: Session, meeting: Meeting, principal: int, term: int) -> Quote:
    """The loan's charge and instalments under the cycle's rules; refused when the term is too
    long or ends after the planned share-out."""
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    if not 1 <= term <= cycle.term_limit_months:
        raise BookError(TERM, limit=cycle.term_limit_months)
    if meeting.held_on + timedelta(days=MONTH_DAYS * term) > cycle.planned_share_out_on:
        raise BookError(AFTER_SHARE_OUT, date=cycle.planned_share_out_on.strftime("%d/%m/%Y"))
    dues = schedule(principal, term, cycle.charge_mode.value, cycle.charge_rate_bp, meeting.held_on)
    return Quote(principal, sum(d.charge for d in dues), dues)


def request(
    session: Session,
    settings: Settings,
    meeting: Meeting,
    person: Person,
    principal: int,
    term: int,
    actor: Actor,
) -> Loan:
    """Write the loan as pending and text the officers who can confirm it."""
    check_member(session, meeting, person)
    check_amount(session, meeting, person, principal)
    terms = quote(session, meeting, principal, term)
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    loan = Loan(
        vsla_id=meeting.vsla_id,
        cycle_id=meeting.cycle_id,
        person_id=person.id,
        meeting_id=meeting.id,
        principal=principal,
        charge=terms.charge,
        charge_mode=cycle.charge_mode,
        charge_rate_bp=cycle.charge_rate_bp,
        term_months=term,
        requested_on=meeting.held_on,
        due_on=terms.dues[-1].due_on,
        requested_by_id=actor.person_id,
        channel=actor.channel,
    )
    session.add(loan)
    session.flush()
    receipts.tell_loan_to_confirm(session, settings, loan)
    return loan


def pending(session: Session, meeting: Meeting) -> list[Loan]:
    return list(
        session.scalars(
            select(Loan)
            .where(Loan.meeting_id == meeting.id, Loan.status == LoanStatus.PENDING)
            .order_by(Loan.id)
        )
    )


def may_confirm(session: Session, loan: Loan, officer: Person) -> bool:
    held = constitution.offices(session, officer)
    return (
        bool(held & {VslaOffice.CHAIRPERSON, VslaOffice.TREASURER})
        and officer.vsla_id == loan.vsla_id
        and officer.id not in (loan.person_id, loan.requested_by_id)
    )


def approve(
    session: Session, settings: Settings, loan: Loan, officer: Person, actor: Actor
) -> Loan:
    """The second key: the loan is paid out at its meeting, its schedule is written."""
    if loan.status is LoanStatus.ACTIVE and loan.approved_by_id == officer.id:
        return loan  # the same confirmation again
    if loan.status is not LoanStatus.PENDING:
        raise BookError(NOT_PENDING)
    if not may_confirm(session, loan, officer):
        raise BookError(NOT_YOURS)
    meeting = session.get(Meeting, loan.meeting_id)
    assert meeting is not None
    terms = quote(session, meeting, loan.principal, loan.term_months)
    loan.status, loan.approved_by_id, loan.approved_at = LoanStatus.ACTIVE, officer.id, utcnow()
    loan.disbursed_on = meeting.held_on
    for due in terms.dues:
        session.add(
            Instalment(
                loan_id=loan.id,
                number=due.number,
                due_on=due.due_on,
                principal=due.principal,
                charge=due.charge,
            )
        )
    post(
        session,
        Line(
            vsla_id=loan.vsla_id,
            cycle_id=loan.cycle_id,
            reference=f"L{loan.id}-loan",
            kind=LedgerKind.LOAN,
            amount=loan.principal,
            on=meeting.held_on,
            person_id=loan.person_id,
            meeting_id=meeting.id,
            loan_id=loan.id,
        ),
        actor,
    )
    session.flush()
    session.refresh(loan)
    first = terms.dues[0]
    receipts.tell_loan_given(session, settings, loan, officer, first.due_on, first.total)
    return loan


def reject(session: Session, settings: Settings, loan: Loan, officer: Person) -> Loan:
    if loan.status is not LoanStatus.PENDING:
        raise BookError(NOT_PENDING)
    if not may_confirm(session, loan, officer):
        raise BookError(NOT_YOURS)
    loan.status = LoanStatus.REJECTED
    session.flush()
    receipts.tell_loan_refused(session, settings, loan, officer)
    return loan
