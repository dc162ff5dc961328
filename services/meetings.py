"""A group's weekly meeting in its books: open, record each member (saved at once), close with
the totals and receipts, reopen the last one to correct it.

Each member's entry is saved the moment it is confirmed, so a dropped session loses nothing:
`next_member` is the first one without an entry after the last one saved. Money goes to the
ledger as lines per member (`M{meeting}-P{person}-shares`...); a changed entry reverses and
rewrites only the lines that changed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from locales import N_
from models import (
    Attendance,
    Cycle,
    CycleMember,
    Dispute,
    DisputeStatus,
    FineKind,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    MeetingEntry,
    MeetingStatus,
    Person,
    Vsla,
    utcnow,
)
from models.books import book_loans_owed, dues, loan_paid
from models.vsla_rules import allocate
from runtime.settings import Settings
from services import book_ledger, constitution, receipts
from services.book_ledger import Actor, BookError, Line, post

#: Effect of each kind on (loan fund, social fund); reversals are negative amounts.
FUND_EFFECT = {
    LedgerKind.SHARES: (1, 0),
    LedgerKind.REPAYMENT: (1, 0),
    LedgerKind.SERVICE_CHARGE: (1, 0),
    LedgerKind.FINE: (1, 0),
    LedgerKind.CARRY_IN: (1, 0),
    LedgerKind.LOAN: (-1, 0),
    LedgerKind.SHARE_OUT: (-1, 0),
    LedgerKind.EXPENSE: (-1, 0),
    LedgerKind.CARRY_OUT: (-1, 0),
    LedgerKind.SOCIAL_FUND: (0, 1),
    LedgerKind.SOCIAL_CARRY_IN: (0, 1),
    LedgerKind.SOCIAL_PAYOUT: (0, -1),
    LedgerKind.SOCIAL_CARRY_OUT: (0, -1),
    LedgerKind.SOCIAL_TRANSFER: (1, -1),
}

NO_RULES = N_("The group's rules are not set. Call {help}.")
BAD_DATE = N_("The date must be after {last}.")
NOT_LAST = N_("Only the last meeting can be reopened.")
IS_OPEN = N_("A meeting is already open.")
IS_CLOSED = N_("The meeting of {date} is closed.")
BAD_SHARES = N_("Type 0 or {low} to {high}.")
BAD_SOCIAL = N_("Social fund: 0 or {amount} Frw times 1 to 4.")
OVER_OWED = N_("No more than {amount}.")
NO_LOAN = N_("No loan to repay.")
NOT_LISTED = N_("{name} is not on the group's list.")
NO_AMOUNT = N_("Write an amount above 0.")
SOCIAL_SHORT = N_("The social fund box has only {cash}.")
LOAN_SHORT = N_("The loan fund box has only {cash}.")
SOCIAL_HELP = N_("{group} {date}: the social fund gives you {amount} Frw.")


@dataclass(frozen=True)
class EntryInput:
    attendance: Attendance
    shares: int = 0
    social_fund: int = 0
    repayment: int = 0
    fine: int = 0
    fine_kind: FineKind | None = None


@dataclass(frozen=True)
class Saved:
    entry: MeetingEntry
    changed: bool


def current(session: Session, vsla_id: int) -> Meeting | None:
    """The group's open meeting."""
    return session.scalar(
        select(Meeting).where(Meeting.vsla_id == vsla_id, Meeting.status == MeetingStatus.OPEN)
    )


def last(session: Session, vsla_id: int) -> Meeting | None:
    """The group's latest meeting of its live cycle."""
    cycle = constitution.live(session, vsla_id)
    if cycle is None:
        return None
    return session.scalar(
        select(Meeting).where(Meeting.cycle_id == cycle.id).order_by(Meeting.number.desc()).limit(1)
    )


def cash(session: Session, cycle_id: int, meeting_id: int | None = None) -> tuple[int, int]:
    """Loan-fund and social-fund cash from the cycle's ledger (one meeting's rows if given)."""
    query = select(LedgerEntry.kind, func.sum(LedgerEntry.amount)).where(
        LedgerEntry.cycle_id == cycle_id
    )
    if meeting_id is not None:
        query = query.where(LedgerEntry.meeting_id == meeting_id)
    loan = social = 0
    for kind, total in session.execute(query.group_by(LedgerEntry.kind)):
        effect = FUND_EFFECT.get(kind, (0, 0))
        loan += effect[0] * int(total or 0)
        social += effect[1] * int(total or 0)
    return loan, social


def open_(session: Session, settings: Settings, vsla: Vsla, day: date, actor: Actor) -> Meeting:
    """Open the meeting of `day` (today or a recent past day after the last meeting)."""
    cycle = constitution.live(session, vsla.id)
    if cycle is None or cycle.share_value <= 0:
        raise BookError(NO_RULES, help=settings.help_phone)
    found = session.scalar(
        select(Meeting).where(Meeting.vsla_id == vsla.id, Meeting.held_on == day)
    )
    if found is not None and found.status is MeetingStatus.OPEN:
        return found  # the same request again (a replayed input)
    if current(session, vsla.id) is not None:
        raise BookError(IS_OPEN)
    previous = last(session, vsla.id)
    if (previous is not None and day <= previous.held_on) or day < cycle.starts_on:
        held = previous.held_on if previous is not None else cycle.starts_on
        raise BookError(BAD_DATE, last=held.strftime("%d/%m/%Y"))
    loan_cash, social_cash = cash(session, cycle.id)
    meeting = Meeting(
        vsla_id=vsla.id,
        cycle_id=cycle.id,
        number=(previous.number + 1) if previous is not None else 1,
        held_on=day,
        channel=actor.channel,
        opened_by_id=actor.person_id,
        opening_loan_cash=loan_cash,
        opening_social_cash=social_cash,
    )
    session.add(meeting)
    session.flush()
    constitution.sync_members(session, cycle, day)
    return meeting


def members(session: Session, meeting: Meeting) -> list[CycleMember]:
    """The list of the meeting's cycle, by number (members who left before it are out)."""
    rows = session.scalars(
        select(CycleMember)
        .where(CycleMember.cycle_id == meeting.cycle_id)
        .order_by(CycleMember.number)
    )
    return [r for r in rows if r.left_on is None or r.left_on > meeting.held_on]


def entries(session: Session, meeting: Meeting) -> dict[int, MeetingEntry]:
    """The meeting's entries by person."""
    rows = session.scalars(select(MeetingEntry).where(MeetingEntry.meeting_id == meeting.id))
    return {row.person_id: row for row in rows}


def next_member(session: Session, meeting: Meeting) -> CycleMember | None:
    """Where the walk goes on: the first member without an entry after the last one saved,
    wrapping to the lowest number; None when everyone is recorded."""
    listed = members(session, meeting)
    done = entries(session, meeting)
    waiting = [m for m in listed if m.person_id not in done]
    if not waiting:
        return None
    latest = max(done.values(), key=lambda e: (e.recorded_at, e.id), default=None)
    after = 0
    if latest is not None:
        after = next((m.number for m in listed if m.person_id == latest.person_id), 0)
    return next((m for m in waiting if m.number > after), waiting[0])


def previous_entry(session: Session, meeting: Meeting, person_id: int) -> MeetingEntry | None:
    """The member's entry at the meeting before this one in the cycle."""
    return session.scalar(
        select(MeetingEntry)
        .join(Meeting, Meeting.id == MeetingEntry.meeting_id)
        .where(
            Meeting.cycle_id == meeting.cycle_id,
            Meeting.number < meeting.number,
            MeetingEntry.person_id == person_id,
        )
        .order_by(Meeting.number.desc())
        .limit(1)
    )


def owed_now(session: Session, person_id: int, day: date) -> int:
    """What the member still owes on their book loan, after what is saved so far."""
    return sum(o.left for _loan, o in book_loans_owed(session, person_id, day))


def check(cycle: Cycle, values: EntryInput, owed: int) -> None:
    """Refuse an entry that breaks the group's rules."""
    if values.shares and not cycle.shares_min <= values.shares <= cycle.shares_max:
        raise BookError(BAD_SHARES, low=max(cycle.shares_min, 1), high=cycle.shares_max)
    step = cycle.social_fund_per_meeting
    if values.social_fund and (
        not step or values.social_fund % step or not 1 <= values.social_fund // step <= 4
    ):
        raise BookError(BAD_SOCIAL, amount=f"{step:,}")
    if values.repayment > owed:
        if not owed:
            raise BookError(NO_LOAN)
        raise BookError(OVER_OWED, amount=f"{owed:,} Frw")


def _repayment_lines(
    session: Session, meeting: Meeting, person_id: int, amount: int, actor: Actor
) -> None:
    """(Re)write the member's repayment at this meeting as charge and principal lines,
    allocated after every other payment on the loan (oldest instalment first)."""
    loan = session.scalar(
        select(Loan)
        .where(
            Loan.person_id == person_id,
            Loan.cycle_id == meeting.cycle_id,
            Loan.status.in_((LoanStatus.ACTIVE, LoanStatus.REPAID)),
        )
        .order_by(Loan.id.desc())
        .limit(1)
    )
    if loan is None:
        return
    prefix = f"M{meeting.id}-P{person_id}"
    lines = {f"{prefix}-charge": LedgerKind.SERVICE_CHARGE, f"{prefix}-repay": LedgerKind.REPAYMENT}
    mine = 0
    for reference in lines:
        row = book_ledger.current(session, meeting.vsla_id, reference)
        mine += row.amount if row is not None else 0
    split = allocate(dues(loan), loan_paid(session, loan.id) - mine, amount)
    for (reference, kind), part in zip(lines.items(), (split.charge, split.principal), strict=True):
        line = Line(
            vsla_id=meeting.vsla_id,
            cycle_id=meeting.cycle_id,
            on=meeting.held_on,
            person_id=person_id,
            meeting_id=meeting.id,
            reference=reference,
            kind=kind,
            amount=part,
            loan_id=loan.id,
        )
        post(session, line, actor)
    left = sum(d.total for d in dues(loan)) - loan_paid(session, loan.id)
    loan.status = LoanStatus.REPAID if left == 0 else LoanStatus.ACTIVE


def record(
    session: Session, meeting: Meeting, person: Person, values: EntryInput, actor: Actor
) -> Saved:
    """Save one member's entry now; the same values again change nothing."""
    if meeting.status is not MeetingStatus.OPEN:
        raise BookError(IS_CLOSED, date=meeting.held_on.strftime("%d/%m/%Y"))
    cycle = session.get(Cycle, meeting.cycle_id)
    assert cycle is not None
    entry = entries(session, meeting).get(person.id)
    already = entry.repayment if entry is not None else 0
    check(cycle, values, owed_now(session, person.id, meeting.held_on) + already)
    fields = {
        "attendance": values.attendance,
        "shares": values.shares,
        "social_fund": values.social_fund,
        "repayment": values.repayment,
        "fine": values.fine,
        "fine_kind": values.fine_kind if values.fine else None,
    }
    if entry is not None and all(getattr(entry, k) == v for k, v in fields.items()):
        return Saved(entry, changed=False)
    if entry is None:
        entry = MeetingEntry(meeting_id=meeting.id, person_id=person.id, version=1, **fields)
        session.add(entry)
    else:
        for key, value in fields.items():
            setattr(entry, key, value)
        entry.version += 1
    entry.recorded_by_id, entry.channel, entry.recorded_at = (
        actor.person_id,
        actor.channel,
        utcnow(),
    )
    prefix = f"M{meeting.id}-P{person.id}"
    base = {"vsla_id": meeting.vsla_id, "cycle_id": meeting.cycle_id, "on": meeting.held_on}
    base |= {"person_id": person.id, "meeting_id": meeting.id}
    post(
        session,
        Line(
            **base,
            reference=f"{prefix}-shares",
            kind=LedgerKind.SHARES,
            amount=values.shares * cycle.share_value,
            share_count=values.shares or None,
        ),
        actor,
    )
    post(
        session,
        Line(
            **base,
            reference=f"{prefix}-social",
            kind=LedgerKind.SOCIAL_FUND,
            amount=values.social_fund,
        ),
        actor,
    )
    post(
        session,
        Line(**base, reference=f"{prefix}-fine", kind=LedgerKind.FINE, amount=values.fine),
        actor,
    )
    if values.repayment != already:
        _repayment_lines(session, meeting, person.id, values.repayment, actor)
    session.flush()
    return Saved(entry, changed=True)


@dataclass(frozen=True)
class Totals:
    share_count: int
    shares: int
    social_fund: int
    repaid: int
    loans_out: int
    fines: int
    social_payouts: int
    expenses: int
    loan_cash: int  # what should be in the loan fund box
    social_cash: int
    unrecorded: int
    pending_loans: int


def totals(session: Session, meeting: Meeting) -> Totals:
    sums: dict[LedgerKind, int] = {}
    count = 0
    rows = session.execute(
        select(LedgerEntry.kind, func.sum(LedgerEntry.amount), func.sum(LedgerEntry.share_count))
        .where(LedgerEntry.meeting_id == meeting.id)
        .group_by(LedgerEntry.kind)
    )
    for kind, total, shares in rows:
        sums[kind] = int(total or 0)
        count += int(shares or 0)
    loan_moves, social_moves = cash(session, meeting.cycle_id, meeting.id)
    pending = session.scalar(
        select(func.count(Loan.id)).where(
            Loan.meeting_id == meeting.id, Loan.status == LoanStatus.PENDING
        )
    )
    done = entries(session, meeting)
    return Totals(
        share_count=count,
        shares=sums.get(LedgerKind.SHARES, 0),
        social_fund=sums.get(LedgerKind.SOCIAL_FUND, 0),
        repaid=sums.get(LedgerKind.REPAYMENT, 0) + sums.get(LedgerKind.SERVICE_CHARGE, 0),
        loans_out=sums.get(LedgerKind.LOAN, 0),
        fines=sums.get(LedgerKind.FINE, 0),
        social_payouts=sums.get(LedgerKind.SOCIAL_PAYOUT, 0),
        expenses=sums.get(LedgerKind.EXPENSE, 0),
        loan_cash=meeting.opening_loan_cash + loan_moves,
        social_cash=meeting.opening_social_cash + social_moves,
        unrecorded=sum(1 for m in members(session, meeting) if m.person_id not in done),
        pending_loans=int(pending or 0),
    )


def close(session: Session, settings: Settings, meeting: Meeting, actor: Actor) -> int:
    """Close the meeting: members not recorded are absent, unconfirmed loans are cancelled, the
    cash is kept, and every entry new or changed since the last close gets its SMS. Returns how
    many SMS were queued."""
    if meeting.status is MeetingStatus.CLOSED:
        return 0
    done = entries(session, meeting)
    for member in members(session, meeting):
        if member.person_id not in done:
            session.add(
                MeetingEntry(
                    meeting_id=meeting.id,
                    person_id=member.person_id,
                    attendance=Attendance.ABSENT,
                    version=1,
                    receipted_version=1,
                    recorded_by_id=actor.person_id,
                    channel=actor.channel,
                )
            )
    for loan in session.scalars(
        select(Loan).where(Loan.meeting_id == meeting.id, Loan.status == LoanStatus.PENDING)
    ):
        loan.status = LoanStatus.CANCELLED
    session.flush()
    figures = totals(session, meeting)
    meeting.closing_loan_cash, meeting.closing_social_cash = figures.loan_cash, figures.social_cash
    meeting.status, meeting.closed_at = MeetingStatus.CLOSED, utcnow()
    sent = 0
    for entry in entries(session, meeting).values():
        if entry.receipted_version >= entry.version:
            continue
        correction = entry.receipted_version > 0
        if entry.attendance is not Attendance.ABSENT or correction:
            receipts.send_receipt(session, settings, meeting, entry, correction=correction)
            sent += 1
        entry.receipted_version = entry.version
        if correction:
            for dispute in session.scalars(
                select(Dispute).where(
                    Dispute.meeting_id == meeting.id,
                    Dispute.person_id == entry.person_id,
                    Dispute.status == DisputeStatus.OPEN,
                )
            ):
                dispute.status, dispute.resolved_at = DisputeStatus.CORRECTED, utcnow()
    session.flush()
    return sent


def reopen(session: Session, settings: Settings, meeting: Meeting, actor: Actor) -> Meeting:
    """Reopen the cycle's last meeting to correct it (no other meeting open)."""
    latest = last(session, meeting.vsla_id)
    if latest is None or latest.id != meeting.id:
        raise BookError(NOT_LAST)
    if meeting.status is MeetingStatus.OPEN:
        return meeting
    if current(session, meeting.vsla_id) is not None:
        raise BookError(IS_OPEN)
    meeting.status, meeting.closed_at = MeetingStatus.OPEN, None
    meeting.reopened_times += 1
    session.flush()
    receipts.tell_reopened(session, settings, meeting, actor)
    return meeting


def check_spend(
    session: Session, meeting: Meeting, kind: LedgerKind, amount: int, person: Person | None
) -> None:
    """Refuse money out of a closed meeting, of nothing, or of more than its box holds."""
    if meeting.status is not MeetingStatus.OPEN:
        raise BookError(IS_CLOSED, date=meeting.held_on.strftime("%d/%m/%Y"))
    if amount <= 0:
        raise BookError(NO_AMOUNT)
    loan_cash, social_cash = cash(session, meeting.cycle_id)
    if kind is LedgerKind.SOCIAL_PAYOUT:
        listed = {m.person_id for m in members(session, meeting)}
        if person is None or person.id not in listed:
            raise BookError(NOT_LISTED, name=person.name if person else "-")
        if amount > social_cash:
            raise BookError(SOCIAL_SHORT, cash=f"{social_cash:,} Frw")
    elif kind is LedgerKind.EXPENSE:
        if amount > loan_cash:
            raise BookError(LOAN_SHORT, cash=f"{loan_cash:,} Frw")
    else:
        raise ValueError(kind)


def spend(
    session: Session,
    settings: Settings,
    meeting: Meeting,
    kind: LedgerKind,
    amount: int,
    actor: Actor,
    person: Person | None = None,
    note: str = "",
    key: str = "",
) -> None:
    """Money out at an open meeting: social-fund help to a member (`SOCIAL_PAYOUT`, texted to
    them) or a group expense from the loan fund (`EXPENSE`), never more than the box holds.
    `key` names the request (a USSD input's place): the same key again writes nothing."""
    if key:
        reference = f"M{meeting.id}-{kind.value}-{key}"
        if book_ledger.current(session, meeting.vsla_id, reference) is not None:
            return  # a replayed input
    check_spend(session, meeting, kind, amount, person)
    if kind is LedgerKind.EXPENSE:
        person = None
    if not key:
        done = session.scalar(
            select(func.count(func.distinct(LedgerEntry.reference))).where(
                LedgerEntry.meeting_id == meeting.id, LedgerEntry.kind == kind
            )
        )
        reference = f"M{meeting.id}-{kind.value}-{int(done or 0) + 1}"
    line = Line(
        meeting.vsla_id,
        meeting.cycle_id,
        reference,
        kind,
        amount,
        meeting.held_on,
        person_id=person.id if person else None,
        meeting_id=meeting.id,
        note=note.strip()[:200] or None,
    )
    post(session, line, actor)
    if person is not None:
        receipts.tell(
            session,
            settings,
            [person],
            SOCIAL_HELP,
            reference,
            group=receipts.group_name(session.get(Vsla, meeting.vsla_id)),
            date=meeting.held_on.strftime("%d/%m/%Y"),
            amount=f"{amount:,}",
        )
