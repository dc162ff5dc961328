"""Share-out (the "action audit") at the end of a cycle: draft -> approved by two officers ->
paid, then the next cycle opens with the same rules.

D, the distributable fund = the loan fund's cash + loans still owed (principal and charge):
savings, charges and fines of the cycle (and the social fund when the rules share it). Each
member's gross = their shares x D // S (one exact integer division); what they still owe is
deducted from it (approval is refused while anyone owes more than their gross); the remainder
R = D - sum of gross (fewer francs than members) stays in the group: it is carried into the
next cycle's loan fund, as the social fund is when it is not shared. No franc is unaccounted.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import delete, select
from sqlalchemy.orm import Session

from locales import N_, translate
from locales.formatting import format_amount, format_date
from models import (
    Cycle,
    CycleMember,
    CycleStatus,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    MeetingStatus,
    Person,
    ShareOut,
    ShareOutLine,
    ShareOutStatus,
    Vsla,
    VslaOffice,
    balances,
    utcnow,
)
from models.books import dues, loan_paid
from models.vsla import loans_owed
from models.vsla_rules import allocate, per_share, split_share_out
from runtime.settings import Settings
from services import constitution, group_books, meetings
from services.book_ledger import Actor, BookError, Line, post
from services.outbox import queue_sms
from services.receipts import group_name

NOT_READY = N_("Close the meeting and settle waiting loans first.")
DEBT_TOO_BIG = N_("{name} owes more than their share-out: collect it first.")
NOT_AN_APPROVER = N_("Only the chairperson, the treasurer or the secretary approve, once each.")
NOT_APPROVED = N_("Two officers must approve the share-out first.")
NOT_A_PAYER = N_("Only the chairperson or the treasurer pays out.")
APPROVERS = {VslaOffice.CHAIRPERSON, VslaOffice.TREASURER, VslaOffice.SECRETARY}
PAYERS = {VslaOffice.CHAIRPERSON, VslaOffice.TREASURER}

NOT_LISTED = meetings.NOT_LISTED
LOAN_WAITING = N_("{name} has a loan waiting for confirmation: settle it first.")
OWES_MORE = N_("{name} owes {debt} Frw, more than their savings {value} Frw: collect it first.")
LEFT = N_(
    "{group} {date}: you leave the group. {shares} shares = {value} Frw, loan -{debt}: "
    "you receive {payout} Frw. The social fund stays with the group."
)
HEAD = N_("{group} share-out {date}")
GROSS = N_("{shares} shares x {per_share} = {gross} Frw")
DEBT = N_("Loan -{debt}")
PAYOUT = N_("You receive {payout} Frw")
SOCIAL_STAYS = N_("Social fund {amount} stays in the group")


def draft(session: Session, vsla_id: int, day: date) -> ShareOut:
    """The cycle's share-out, recomputed while it is a draft."""
    cycle = constitution.live(session, vsla_id)
    if cycle is None:
        raise BookError(NOT_READY)
    found = session.scalar(select(ShareOut).where(ShareOut.cycle_id == cycle.id))
    if found is not None and found.status is not ShareOutStatus.DRAFT:
        return found
    if meetings.current(session, vsla_id) is not None or session.scalar(
        select(Loan.id).where(Loan.cycle_id == cycle.id, Loan.status == LoanStatus.PENDING)
    ):
        raise BookError(NOT_READY)
    fund = group_books.distributable(session, cycle.id, day)
    listed = constitution.sync_members(session, cycle, day)
    held = group_books.shares_by_member(session, cycle.id)
    shares = {m.person_id: held.get(m.person_id, 0) for m in listed}
    split = split_share_out(fund, shares)
    if found is None:
        found = ShareOut(
            cycle_id=cycle.id, held_on=day, distributable=0, total_shares=0, remainder=0
        )
        session.add(found)
        session.flush()
    found.held_on, found.distributable = day, fund
    found.total_shares, found.remainder, found.computed_at = (
        split.total_shares,
        split.remainder,
        utcnow(),
    )
    session.execute(delete(ShareOutLine).where(ShareOutLine.share_out_id == found.id))
    for member in listed:
        gross = split.gross[member.person_id]
        debt = balances(session, member.person_id, day).loan_owed
        session.add(
            ShareOutLine(
                share_out_id=found.id,
                person_id=member.person_id,
                number=member.number,
                shares=shares[member.person_id],
                gross=gross,
                debt=min(debt, gross),  # a larger debt blocks approval (see approve)
                payout=max(gross - debt, 0),
            )
        )
    session.flush()
    session.refresh(found)
    return found


def value_per_share(share_out: ShareOut) -> str:
    return per_share(share_out.distributable, share_out.total_shares)


def approvals(share_out: ShareOut) -> int:
    return sum(1 for x in (share_out.approved_by_1_id, share_out.approved_by_2_id) if x)


def may_approve(session: Session, share_out: ShareOut, officer: Person) -> bool:
    return (
        share_out.status is ShareOutStatus.DRAFT
        and bool(constitution.offices(session, officer) & APPROVERS)
        and officer.id not in (share_out.approved_by_1_id, share_out.approved_by_2_id)
    )


def approve(session: Session, share_out: ShareOut, officer: Person, day: date) -> ShareOut:
    if not may_approve(session, share_out, officer):
        raise BookError(NOT_AN_APPROVER)
    cycle = session.get(Cycle, share_out.cycle_id)
    assert cycle is not None
    share_out = draft(session, cycle.vsla_id, day)
    for line in share_out.lines:
        if balances(session, line.person_id, day).loan_owed > line.gross:
            raise BookError(DEBT_TOO_BIG, name=line.person.name)
    if share_out.approved_by_1_id is None:
        share_out.approved_by_1_id = officer.id
    else:
        share_out.approved_by_2_id = officer.id
        share_out.status = ShareOutStatus.APPROVED
    session.flush()
    return share_out


def _settle(session: Session, cycle: Cycle, person_id: int, day: date, actor: Actor) -> None:
    """Deduct a member's loan from their share-out: charge and principal rows, loan settled."""
    for loan in session.scalars(
        select(Loan).where(Loan.person_id == person_id, Loan.status == LoanStatus.ACTIVE)
    ):
        left = sum(d.total for d in dues(loan)) - loan_paid(session, loan.id)
        split = allocate(dues(loan), loan_paid(session, loan.id), left)
        for kind, part, tag in (
            (LedgerKind.SERVICE_CHARGE, split.charge, "charge"),
            (LedgerKind.REPAYMENT, split.principal, "repay"),
        ):
            post(
                session,
                Line(
                    cycle.vsla_id,
                    cycle.id,
                    f"L{loan.id}-settle-{tag}",
                    kind,
                    part,
                    day,
                    person_id=person_id,
                    loan_id=loan.id,
                ),
                actor,
            )
        loan.status = LoanStatus.SETTLED


def leave(
    session: Session, settings: Settings, person: Person, day: date, actor: Actor
) -> int:
    """A member leaves mid-cycle. Policy: they get back their savings at the share value (the
    cycle's income stays with those who stay and is shared out at the end), less what they
    still owe on their loans, which that money repays; their social fund stays with the group.
    Refused while they owe more than their savings or a loan of theirs waits for confirmation.
    Written as ledger rows (repayments, a `share_out` row of their savings), their offices
    end, they leave the list; they get the working by SMS. Returns the francs handed over."""
    cycle = constitution.live(session, person.vsla_id) if person.vsla_id else None
    member = (
        session.scalar(
            select(CycleMember).where(
                CycleMember.cycle_id == cycle.id,
                CycleMember.person_id == person.id,
                CycleMember.left_on.is_(None),
            )
        )
        if cycle is not None
        else None
    )
    if cycle is None or member is None:
        raise BookError(NOT_LISTED, name=person.name)
    if session.scalar(
        select(Loan.id).where(Loan.person_id == person.id, Loan.status == LoanStatus.PENDING)
    ):
        raise BookError(LOAN_WAITING, name=person.name)
    money = balances(session, person.id, day)
    if money.loan_owed > money.shares:
        raise BookError(
            OWES_MORE,
            name=person.name,
            debt=format_amount(money.loan_owed),
            value=format_amount(money.shares),
        )
    vsla = session.get(Vsla, cycle.vsla_id)
    assert vsla is not None
    where = {"vsla_id": vsla.id, "cycle_id": cycle.id, "on": day, "person_id": person.id}
    _settle(session, cycle, person.id, day, actor)
    legacy = sum(o.owed for o in loans_owed(session, person.id))
    post(
        session,
        Line(**where, reference=f"X{cycle.id}-P{person.id}-repay", kind=LedgerKind.REPAYMENT,
             amount=legacy),
        actor,
    )
    post(
        session,
        Line(**where, reference=f"X{cycle.id}-P{person.id}-refund", kind=LedgerKind.SHARE_OUT,
             amount=money.shares),
        actor,
    )
    constitution.set_offices(session, person, set())
    person.vsla_id = None
    member.left_on = day
    payout = money.shares - money.loan_owed
    queue_sms(
        session,
        settings,
        person.phone,
        translate(
            person.language,
            LEFT,
            group=group_name(vsla),
            date=format_date(day),
            shares=money.share_count,
            value=format_amount(money.shares),
            debt=format_amount(money.loan_owed),
            payout=format_amount(payout),
        ),
        person=person,
        kind="vsla_left",
        dedupe_key=f"left:{cycle.id}:{person.id}",
    )
    session.flush()
    return payout


def pay(
    session: Session, settings: Settings, share_out: ShareOut, officer: Person, actor: Actor
) -> Cycle:
    """Hand out the money: ledger rows for every payout, the remainder and the social fund
    carried, the cycle closed and the next one opened with the same rules; each member gets
    an SMS with their working."""
    if share_out.status is not ShareOutStatus.APPROVED:
        raise BookError(NOT_APPROVED)
    if not constitution.offices(session, officer) & PAYERS:
        raise BookError(NOT_A_PAYER)
    cycle = session.get(Cycle, share_out.cycle_id)
    vsla = session.get(Vsla, cycle.vsla_id) if cycle else None
    assert cycle is not None and vsla is not None
    day = share_out.held_on
    _loan_cash, social = meetings.cash(session, cycle.id)
    group = {"vsla_id": vsla.id, "cycle_id": cycle.id, "on": day}
    if cycle.social_fund_shared and social:
        post(
            session,
            Line(
                **group,
                reference=f"S{share_out.id}-social",
                kind=LedgerKind.SOCIAL_TRANSFER,
                amount=social,
            ),
            actor,
        )
    for line in share_out.lines:
        if line.debt:
            _settle(session, cycle, line.person_id, day, actor)
        post(
            session,
            Line(
                **group,
                reference=f"S{share_out.id}-P{line.person_id}-payout",
                kind=LedgerKind.SHARE_OUT,
                amount=line.gross,  # the debt part repays the loan (settled above)
                person_id=line.person_id,
            ),
            actor,
        )
    post(
        session,
        Line(
            **group,
            reference=f"S{share_out.id}-carry",
            kind=LedgerKind.CARRY_OUT,
            amount=share_out.remainder,
        ),
        actor,
    )
    kept = 0 if cycle.social_fund_shared else social
    post(
        session,
        Line(
            **group,
            reference=f"S{share_out.id}-social-carry",
            kind=LedgerKind.SOCIAL_CARRY_OUT,
            amount=kept,
        ),
        actor,
    )
    share_out.status, share_out.paid_by_id, share_out.paid_at = (
        ShareOutStatus.PAID,
        officer.id,
        utcnow(),
    )
    cycle.status, cycle.closed_at = CycleStatus.CLOSED, utcnow()
    session.flush()
    rules = {k: getattr(cycle, k) for k in constitution.RULES}
    rules["starts_on"] = day + timedelta(days=7)
    rules["planned_share_out_on"] = rules["starts_on"] + timedelta(days=364)
    nxt = Cycle(vsla_id=vsla.id, number=cycle.number + 1, **rules)
    session.add(nxt)
    session.flush()
    constitution.sync_members(session, nxt, day)
    start = {"vsla_id": vsla.id, "cycle_id": nxt.id, "on": nxt.starts_on}
    post(
        session,
        Line(
            **start,
            reference=f"C{nxt.id}-carry-in",
            kind=LedgerKind.CARRY_IN,
            amount=share_out.remainder,
        ),
        actor,
    )
    post(
        session,
        Line(
            **start, reference=f"C{nxt.id}-social-in", kind=LedgerKind.SOCIAL_CARRY_IN, amount=kept
        ),
        actor,
    )
    for line in share_out.lines:
        person = line.person
        lang = person.language
        lines = [
            translate(lang, HEAD, group=group_name(vsla), date=format_date(day)),
            translate(
                lang,
                GROSS,
                shares=line.shares,
                per_share=value_per_share(share_out),
                gross=format_amount(line.gross),
            ),
        ]
        if line.debt:
            lines.append(translate(lang, DEBT, debt=format_amount(line.debt)))
        lines.append(translate(lang, PAYOUT, payout=format_amount(line.payout)))
        if kept:
            lines.append(translate(lang, SOCIAL_STAYS, amount=format_amount(kept)))
        queue_sms(
            session,
            settings,
            person.phone,
            "\n".join(lines),
            person=person,
            kind="vsla_share_out",
            dedupe_key=f"share-out:{share_out.id}:{person.id}",
        )
    session.flush()
    return nxt


def open_share_out(session: Session, vsla_id: int) -> ShareOut | None:
    cycle = constitution.live(session, vsla_id)
    if cycle is None:
        return None
    return session.scalar(select(ShareOut).where(ShareOut.cycle_id == cycle.id))


def meetings_closed(session: Session, cycle_id: int) -> bool:
    return not session.scalar(
        select(Meeting.id).where(Meeting.cycle_id == cycle_id, Meeting.status == MeetingStatus.OPEN)
    )
