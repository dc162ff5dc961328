"""Group books: the record-keeper enters the weekly meeting member by member, each saved the
moment it is confirmed; the chairperson or treasurer confirms loans; officers see the group's
totals and who has not paid. Everything is behind the PIN.

The walk resumes from the data, not from the session: the hub always offers the next member
without an entry, so a dropped call goes on where it stopped.
"""

from __future__ import annotations

import hashlib
from datetime import date, timedelta
from typing import Any

from locales import N_
from locales.formatting import format_amount, format_date, format_money, to_local
from menus.engine import Again, Choice, Go, Item, Screen, Step, Visit
from models import (
    Attendance,
    Cycle,
    FineKind,
    LedgerKind,
    Loan,
    Meeting,
    Person,
    Vsla,
    VslaOffice,
)
from models.books import book_loans_owed
from services import book_loans, constitution, group_books, meetings, share_out
from services.book_ledger import Actor, BookError
from services.receipts import short_name

RECORDERS = {VslaOffice.SECRETARY, VslaOffice.CHAIRPERSON}
CONFIRMERS = {VslaOffice.CHAIRPERSON, VslaOffice.TREASURER}
CHAIRS, RECORD_KEEPERS = {VslaOffice.CHAIRPERSON}, {VslaOffice.SECRETARY}
EVERYONE = N_("Everyone is recorded.")
NOTHING_LAST = N_("Nothing last week: choose 2.")
CHANGED = N_("The meeting changed: continue here.")
UNKNOWN_NUMBER = N_("No member has this number.")
FINE_LABELS = {
    FineKind.LATE: N_("Late"),
    FineKind.ABSENT: N_("Absent"),
    FineKind.MISCONDUCT: N_("Misconduct"),
}
WEEKDAYS = (
    N_("Monday"),
    N_("Tuesday"),
    N_("Wednesday"),
    N_("Thursday"),
    N_("Friday"),
    N_("Saturday"),
    N_("Sunday"),
)


# -- helpers ---------------------------------------------------------------------------------


def offices(visit: Visit) -> set[VslaOffice]:
    if visit.person is None:
        return set()
    return constitution.offices(visit.db, visit.person)


def _holds(wanted: set[VslaOffice]):  # type: ignore[no-untyped-def]
    return lambda visit: bool(offices(visit) & wanted)


def holds_office(visit: Visit) -> bool:
    return bool(offices(visit))


def actor(visit: Visit) -> Actor:
    from models import Channel

    return Actor(visit.person.id if visit.person else None, Channel.USSD)


def today(visit: Visit) -> date:
    return to_local(visit.now, visit.settings.tz).date()


def group(visit: Visit) -> Vsla:
    assert visit.person is not None and visit.person.vsla is not None
    return visit.person.vsla


def meeting(visit: Visit) -> Meeting | None:
    return meetings.current(visit.db, group(visit).id)


def cycle(visit: Visit) -> Cycle:
    found = constitution.live(visit.db, group(visit).id)
    assert found is not None
    return found


def refusal(visit: Visit, error: BookError) -> Again:
    return Again(error.code, error.values)


def member(visit: Visit) -> Person:
    person = visit.db.get(Person, visit.data["pid"])
    assert person is not None
    return person


def number_of(visit: Visit, found: Meeting, person_id: int) -> int:
    return next(m.number for m in meetings.members(visit.db, found) if m.person_id == person_id)


def weekday(visit: Visit, day: date) -> str:
    return f"{visit.t(WEEKDAYS[day.weekday()])} {format_date(day)}"


# -- menu and opening ------------------------------------------------------------------------


def _record(visit: Visit) -> Step:
    return Go("bk_hub" if meeting(visit) is not None else "bk_open")


def _open_values(visit: Visit) -> dict[str, Any]:
    last = meetings.last(visit.db, group(visit).id)
    return {"last": format_date(last.held_on) if last else "-", "today": format_date(today(visit))}


def _open_on(visit: Visit, day: date) -> Step:
    try:
        meetings.open_(visit.db, visit.settings, group(visit), day, actor(visit))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_hub", replace=True)


def _open_days(visit: Visit) -> list[Item]:
    last = meetings.last(visit.db, group(visit).id)
    now = today(visit)
    days = [now - timedelta(days=n) for n in range(1, 8)]
    days = [d for d in days if last is None or d > last.held_on]
    return [Item(weekday(visit, d), d.isoformat()) for d in days]


def _has_last(visit: Visit) -> bool:
    return meetings.last(visit.db, group(visit).id) is not None


def _reopen(visit: Visit) -> Step:
    last = meetings.last(visit.db, group(visit).id)
    if last is None:
        return Again()
    try:
        meetings.reopen(visit.db, visit.settings, last, actor(visit))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_hub", replace=True)


# -- the walk --------------------------------------------------------------------------------


def _hub_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    listed = meetings.members(visit.db, found)
    done = meetings.entries(visit.db, found)
    return {
        "date": format_date(found.held_on),
        "done": sum(1 for m in listed if m.person_id in done),
        "total": len(listed),
    }


def _hub_body(visit: Visit) -> str:
    found = meeting(visit)
    assert found is not None
    following = meetings.next_member(visit.db, found)
    if following is None:
        return visit.t(EVERYONE)
    name = visit.db.get(Person, following.person_id)
    assert name is not None
    return visit.t(N_("Next: {number} {name}"), number=following.number, name=short_name(name))


def goto_member(visit: Visit, person_id: int) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record", back_to="bk_hub")
    entry = meetings.entries(visit.db, found).get(person_id)
    data = {"pid": person_id, "ver": entry.version if entry else 0}
    return Go("bk_member", data=data, back_to="bk_hub")


def _continue(visit: Visit) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    following = meetings.next_member(visit.db, found)
    if following is None:
        return Again(EVERYONE)
    return goto_member(visit, following.person_id)


def _after_save(visit: Visit) -> Step:
    found = meeting(visit)
    following = meetings.next_member(visit.db, found) if found else None
    if following is None:
        return Go("bk_hub", back_to="bk_hub")
    return goto_member(visit, following.person_id)


def _pick_number(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    wanted = [m for m in meetings.members(visit.db, found) if str(m.number) == token.strip()]
    if not wanted:
        return Again(UNKNOWN_NUMBER)
    return goto_member(visit, wanted[0].person_id)


def _pick_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    return {"count": len(meetings.members(visit.db, found)) if found else 0}


def _pick_body(visit: Visit) -> str:
    found = meeting(visit)
    if found is None:
        return ""
    done = meetings.entries(visit.db, found)
    parts = []
    for m in meetings.members(visit.db, found):
        person = visit.db.get(Person, m.person_id)
        assert person is not None
        first, _, rest = person.name.partition(" ")
        short = f"{first[:10]} {rest[:1]}." if rest else first[:12]
        parts.append(f"{m.number} {short}{'*' if m.person_id in done else ''}")
    return "\n".join(parts)


def _entry_line(visit: Visit, shares: int, social: int, repaid: int) -> str:
    line = visit.t(
        N_("{shares} shares, social {social}"), shares=shares, social=format_amount(social)
    )
    if repaid:
        line += visit.t(N_(", repaid {amount}"), amount=format_amount(repaid))
    return line


def _member_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    return {
        "number": number_of(visit, found, person.id),
        "total": len(meetings.members(visit.db, found)),
        "name": short_name(person),
    }


def _member_body(visit: Visit) -> str:
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    entry = meetings.entries(visit.db, found).get(person.id)
    if entry is not None:
        if entry.attendance is Attendance.ABSENT:
            return visit.t(N_("Recorded: absent"))
        line = _entry_line(visit, entry.shares, entry.social_fund, entry.repayment)
        return visit.t(N_("Recorded: {line}"), line=line)
    before = meetings.previous_entry(visit.db, found, person.id)
    if before is None or before.attendance is Attendance.ABSENT:
        return ""
    line = _entry_line(visit, before.shares, before.social_fund, before.repayment)
    return visit.t(N_("Last week: {line}"), line=line)


def _save(visit: Visit, values: meetings.EntryInput) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record", back_to="bk_hub")
    person = member(visit)
    entry = meetings.entries(visit.db, found).get(person.id)
    if (entry.version if entry else 0) != visit.data.get("ver", 0):
        return Go("bk_hub", back_to="bk_hub", notice=CHANGED)
    try:
        meetings.record(visit.db, found, person, values, actor(visit))
    except BookError as error:
        return refusal(visit, error)
    return _after_save(visit)


def _same(visit: Visit) -> Step:
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    before = meetings.previous_entry(visit.db, found, person.id)
    if before is None or before.attendance is Attendance.ABSENT:
        return Again(NOTHING_LAST)
    already = meetings.entries(visit.db, found).get(person.id)
    owed = meetings.owed_now(visit.db, person.id, found.held_on)
    owed += already.repayment if already else 0
    values = meetings.EntryInput(
        Attendance.PRESENT,
        shares=before.shares,
        social_fund=before.social_fund,
        repayment=min(before.repayment, owed),
    )
    return _save(visit, values)


def _absent_no(visit: Visit) -> Step:
    return _save(visit, meetings.EntryInput(Attendance.ABSENT))


def _present(visit: Visit) -> Step:
    return Go("bk_shares", data={"att": Attendance.PRESENT.value})


def _represented(visit: Visit) -> Step:
    return Go("bk_shares", data={"att": Attendance.REPRESENTED.value})


def _shares_values(visit: Visit) -> dict[str, Any]:
    rules = cycle(visit)
    return {
        "number": _member_values(visit)["number"],
        "name": short_name(member(visit)),
        "low": max(rules.shares_min, 1),
        "high": rules.shares_max,
        "value": format_money(rules.share_value),
    }


def _owed(visit: Visit) -> int:
    """What the member owes before this meeting's repayment."""
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    entry = meetings.entries(visit.db, found).get(person.id)
    already = entry.repayment if entry is not None else 0
    return meetings.owed_now(visit.db, person.id, found.held_on) + already


def _after_social(visit: Visit, data: dict[str, Any]) -> Step:
    if _owed(visit) > 0:
        return Go("bk_repay", data=data)
    return Go("bk_fine", data={**data, "repay": 0})


def _shares(visit: Visit, token: str) -> Step:
    rules = cycle(visit)
    if not token.isdigit() or (
        int(token) and not rules.shares_min <= int(token) <= rules.shares_max
    ):
        return Again(
            meetings.BAD_SHARES, {"low": max(rules.shares_min, 1), "high": rules.shares_max}
        )
    if rules.social_fund_per_meeting:
        return Go("bk_social", data={"shares": int(token)})
    return _after_social(visit, {"shares": int(token), "social": 0})


def _social_values(visit: Visit) -> dict[str, Any]:
    return {"amount": format_money(cycle(visit).social_fund_per_meeting)}


def _social(paid: bool):  # type: ignore[no-untyped-def]
    def choose(visit: Visit) -> Step:
        return _after_social(visit, {"social": cycle(visit).social_fund_per_meeting if paid else 0})

    return choose


def _repay_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    owed = _owed(visit)
    loans = book_loans_owed(visit.db, person.id, found.held_on)
    due, amount = (loans[0][1].next_due, loans[0][1].next_amount) if loans else (None, owed)
    return {
        "left": format_money(owed),
        "due_amount": format_money(amount),
        "due": format_date(due) if due else "-",
    }


def _repay(visit: Visit, token: str) -> Step:
    amount = token.replace(",", "")
    if not amount.isdigit():
        return Again()
    owed = _owed(visit)
    if int(amount) > owed:
        return Again(meetings.OVER_OWED, {"amount": format_money(owed)})
    return Go("bk_fine", data={"repay": int(amount)})


def _fine_choices(kind: FineKind) -> Choice:
    def choose(visit: Visit) -> Step:
        return Go("bk_confirm", data={"fine": cycle(visit).fine_rate(kind), "fkind": kind.value})

    return Choice(FINE_LABELS[kind], choose, show=lambda visit: cycle(visit).fine_rate(kind) > 0)


def _fine_amount(visit: Visit, token: str) -> Step:
    amount = token.replace(",", "")
    if not amount.isdigit():
        return Again()
    kind = FineKind.OTHER.value if int(amount) else None
    return Go("bk_confirm", data={"fine": int(amount), "fkind": kind})


def _confirm_values(visit: Visit) -> dict[str, Any]:
    data, rules = visit.data, cycle(visit)
    shares = data.get("shares", 0)
    total = shares * rules.share_value + data.get("social", 0) + data.get("repay", 0)
    total += data.get("fine", 0)
    return {
        "number": _member_values(visit)["number"],
        "name": short_name(member(visit)),
        "shares": shares,
        "value": format_amount(shares * rules.share_value),
        "social": format_amount(data.get("social", 0)),
        "repaid": format_amount(data.get("repay", 0)),
        "fine": format_amount(data.get("fine", 0)),
        "total": format_money(total),
    }


def _confirm(visit: Visit) -> Step:
    data = visit.data
    kind = data.get("fkind")
    values = meetings.EntryInput(
        Attendance(data.get("att", Attendance.PRESENT.value)),
        shares=data.get("shares", 0),
        social_fund=data.get("social", 0),
        repayment=data.get("repay", 0),
        fine=data.get("fine", 0),
        fine_kind=FineKind(kind) if kind else None,
    )
    return _save(visit, values)


# -- loans -----------------------------------------------------------------------------------


def _loan_who(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    wanted = [m for m in meetings.members(visit.db, found) if str(m.number) == token.strip()]
    if not wanted:
        return Again(UNKNOWN_NUMBER)
    person = visit.db.get(Person, wanted[0].person_id)
    assert person is not None
    try:
        book_loans.check_member(visit.db, found, person)
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_loan_amount", data={"pid": person.id})


def _loan_amount_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    person = member(visit)
    return {
        "name": short_name(person),
        "savings": format_money(book_loans.savings(visit.db, found.cycle_id, person.id)),
        "max": format_money(book_loans.ceiling(visit.db, found, person)),
    }


def _loan_amount(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    assert found is not None
    amount = token.replace(",", "")
    if not amount.isdigit():
        return Again()
    try:
        book_loans.check_amount(visit.db, found, member(visit), int(amount))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_loan_term", data={"amount": int(amount)})


def _loan_term(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    assert found is not None
    if not token.isdigit():
        return Again()
    try:
        book_loans.quote(visit.db, found, visit.data["amount"], int(token))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_loan_confirm", data={"term": int(token)})


def _loan_confirm_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    terms = book_loans.quote(visit.db, found, visit.data["amount"], visit.data["term"])
    return {
        "name": short_name(member(visit)),
        "amount": format_amount(terms.principal),
        "charge": format_amount(terms.charge),
        "total": format_money(terms.total),
        "count": len(terms.dues),
        "last": format_date(terms.dues[-1].due_on),
    }


def _loan_request(visit: Visit) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    try:
        book_loans.request(
            visit.db,
            visit.settings,
            found,
            member(visit),
            visit.data["amount"],
            visit.data["term"],
            actor(visit),
        )
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_loan_sent", replace=True)


def _waiting(visit: Visit) -> list[Loan]:
    found = meeting(visit)
    return book_loans.pending(visit.db, found) if found is not None else []


def _approve_items(visit: Visit) -> list[Item]:
    return [
        Item(f"{short_name(loan.person)} {format_money(loan.principal)}", loan.id)
        for loan in _waiting(visit)
    ]


def _approve_list_text(visit: Visit) -> str:
    return "" if _waiting(visit) else visit.t(N_("No loan is waiting."))


def _approve_values(visit: Visit) -> dict[str, Any]:
    loan = visit.db.get(Loan, visit.data["loan"])
    assert loan is not None
    return {
        "date": format_date(loan.requested_on),
        "name": short_name(loan.person),
        "amount": format_money(loan.principal),
        "charge": format_amount(loan.charge),
        "months": loan.term_months,
        "by": short_name(loan.requested_by) if loan.requested_by else "-",
    }


def _decide(approve: bool):  # type: ignore[no-untyped-def]
    def choose(visit: Visit) -> Step:
        loan = visit.db.get(Loan, visit.data["loan"])
        assert loan is not None and visit.person is not None
        try:
            if approve:
                book_loans.approve(visit.db, visit.settings, loan, visit.person, actor(visit))
            else:
                book_loans.reject(visit.db, visit.settings, loan, visit.person)
        except BookError as error:
            return refusal(visit, error)
        return Go("bk_approved" if approve else "bk_refused", data={"pid": loan.person_id})

    return choose


# -- close -----------------------------------------------------------------------------------


def _close_body(visit: Visit) -> str:
    found = meeting(visit)
    assert found is not None
    figures = meetings.totals(visit.db, found)
    lines = [
        visit.t(N_("Close the meeting?")),
        visit.t(N_("Shares: {amount}"), amount=format_amount(figures.shares)),
        visit.t(N_("Social fund: {amount}"), amount=format_amount(figures.social_fund)),
        visit.t(N_("Repaid: {amount}"), amount=format_amount(figures.repaid)),
        visit.t(N_("Loans out: {amount}"), amount=format_amount(figures.loans_out)),
        visit.t(N_("Fines: {amount}"), amount=format_amount(figures.fines)),
        *(
            visit.t(label, amount=format_amount(amount))
            for label, amount in (
                (N_("Social fund help: {amount}"), figures.social_payouts),
                (N_("Expenses: {amount}"), figures.expenses),
            )
            if amount
        ),
        visit.t(N_("Loan fund box: {amount}"), amount=format_money(figures.loan_cash)),
        visit.t(N_("Social fund box: {amount}"), amount=format_money(figures.social_cash)),
    ]
    if figures.unrecorded:
        lines.append(visit.t(N_("{count} not recorded: marked absent."), count=figures.unrecorded))
    if figures.pending_loans:
        lines.append(
            visit.t(N_("{count} unconfirmed loan(s) cancelled."), count=figures.pending_loans)
        )
    return "\n".join(lines)


def _out_who(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    wanted = [m for m in meetings.members(visit.db, found) if str(m.number) == token.strip()]
    if not wanted:
        return Again(UNKNOWN_NUMBER)
    return Go("bk_out_amount", data={"pid": wanted[0].person_id})


def _out_values(visit: Visit) -> dict[str, Any]:
    found = meeting(visit)
    assert found is not None
    loan_cash, social_cash = meetings.cash(visit.db, found.cycle_id)
    if visit.data.get("pid"):
        return {"what": short_name(member(visit)), "cash": format_money(social_cash)}
    return {"what": visit.t(N_("Group expense")), "cash": format_money(loan_cash)}


def _out_kind(visit: Visit) -> LedgerKind:
    return LedgerKind.SOCIAL_PAYOUT if visit.data.get("pid") else LedgerKind.EXPENSE


def _out_person(visit: Visit) -> Person | None:
    return member(visit) if visit.data.get("pid") else None


def _out_amount(visit: Visit, token: str) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    amount = token.replace(",", "").strip()
    if not amount.isdigit() or not int(amount):
        return Again(meetings.NO_AMOUNT)
    # the box is checked on confirming: a replayed input must meet the same checks as before
    return Go("bk_out_confirm", data={"amount": int(amount)})


def _out_confirm(visit: Visit) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    kind, amount = _out_kind(visit), visit.data["amount"]
    digest = hashlib.sha1(visit.session_id.encode()).hexdigest()[:12]
    try:
        meetings.spend(
            visit.db,
            visit.settings,
            found,
            kind,
            amount,
            actor(visit),
            _out_person(visit),
            key=f"u{digest}-{visit.position}",  # a replayed input writes nothing again
        )
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_close", back_to="bk_close")


def _close(visit: Visit) -> Step:
    found = meeting(visit)
    if found is None:
        return Go("bk_record")
    sent = meetings.close(visit.db, visit.settings, found, actor(visit))
    return Go("bk_closed", data={"sent": sent, "held": format_date(found.held_on)}, replace=True)


# -- what officers see -----------------------------------------------------------------------


def _totals_body(visit: Visit) -> str:
    figures = group_books.group_totals(visit.db, group(visit).id, today(visit))
    if figures is None:
        return visit.t(
            N_("The group's rules are not set. Call {help}."), help=visit.settings.help_phone
        )
    return "\n".join(
        [
            visit.t(N_("As of {date}:"), date=format_date(figures.as_of) if figures.as_of else "-"),
            visit.t(N_("Loan fund cash: {amount}"), amount=format_money(figures.loan_cash)),
            visit.t(
                N_("Loans out: {amount} ({count})"),
                amount=format_amount(figures.loans_out),
                count=figures.loans_count,
            ),
            visit.t(
                N_("Overdue: {amount} ({count})"),
                amount=format_amount(figures.overdue),
                count=figures.overdue_count,
            ),
            visit.t(N_("Social fund: {amount}"), amount=format_money(figures.social_cash)),
        ]
    )


def _unpaid_body(visit: Visit) -> str:
    found = meetings.last(visit.db, group(visit).id)
    if found is None:
        return visit.t(N_("No meeting yet."))
    lines = [visit.t(N_("Meeting {date}:"), date=format_date(found.held_on))]
    words = {
        "absent": N_("absent"),
        "shares": N_("no shares"),
        "social": N_("no social fund"),
    }
    for row in group_books.unpaid(visit.db, found, today(visit)):
        reasons = [visit.t(words[w]) for w in row.reasons]
        if row.overdue:
            reasons.append(visit.t(N_("{amount} overdue"), amount=format_amount(row.overdue)))
        lines.append(f"{row.number} {row.name}: {', '.join(reasons)}")
    if len(lines) == 1:
        lines.append(visit.t(N_("Everyone has paid.")))
    return "\n".join(lines)


# -- share-out -------------------------------------------------------------------------------


def _share_out(visit: Visit):  # type: ignore[no-untyped-def]
    try:
        return share_out.draft(visit.db, group(visit).id, today(visit))
    except BookError:
        return None


def _share_out_redirect(visit: Visit) -> Step:
    return Go("bk_shareout" if _share_out(visit) is not None else "bk_shareout_wait")


def _share_out_values(visit: Visit) -> dict[str, Any]:
    found = _share_out(visit)
    assert found is not None
    return {
        "date": format_date(found.held_on),
        "fund": format_money(found.distributable),
        "shares": found.total_shares,
        "per_share": share_out.value_per_share(found),
        "left": format_money(found.remainder),
        "count": share_out.approvals(found),
    }


def _may_approve(visit: Visit) -> bool:
    found = _share_out(visit)
    return (
        found is not None
        and visit.person is not None
        and share_out.may_approve(visit.db, found, visit.person)
    )


def _may_pay(visit: Visit) -> bool:
    from models import ShareOutStatus

    found = _share_out(visit)
    return (
        found is not None
        and found.status is ShareOutStatus.APPROVED
        and bool(offices(visit) & share_out.PAYERS)
    )


def _approve_share_out(visit: Visit) -> Step:
    found = _share_out(visit)
    assert found is not None and visit.person is not None
    try:
        share_out.approve(visit.db, found, visit.person, today(visit))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_shareout", replace=True)


def _pay_share_out(visit: Visit) -> Step:
    found = _share_out(visit)
    assert found is not None and visit.person is not None
    try:
        share_out.pay(visit.db, visit.settings, found, visit.person, actor(visit))
    except BookError as error:
        return refusal(visit, error)
    return Go("bk_shareout_paid", replace=True)


SCREENS = [
    Screen(
        "bk_menu",
        text=N_("{group}:"),
        values=lambda visit: {"group": group(visit).name[:16]},
        choices=(
            Choice(N_("Record the meeting"), "bk_record", show=_holds(RECORDERS)),
            Choice(N_("Confirm loans"), "bk_approve_list", show=_holds(CONFIRMERS)),
            Choice(N_("Group totals"), "bk_totals"),
            Choice(N_("Who has not paid"), "bk_unpaid"),
            Choice(N_("Share-out"), "bk_shareout_go", show=_holds(share_out.APPROVERS)),
            Choice(N_("PIN reset for a member"), "bk_reset", show=_holds(CHAIRS)),
            Choice(N_("First PIN code"), "bk_first", show=_holds(RECORD_KEEPERS)),
        ),
        guarded=True,
    ),
    Screen("bk_record", redirect=_record, guarded=True),
    Screen(
        "bk_open",
        text=N_("No meeting is open (last: {last}). Today is {today}."),
        values=_open_values,
        choices=(
            Choice(N_("Open today's meeting"), lambda visit: _open_on(visit, today(visit))),
            Choice(N_("Another date"), "bk_open_day"),
            Choice(N_("Reopen the last one"), "bk_reopen", show=_has_last),
        ),
        guarded=True,
    ),
    Screen(
        "bk_open_day",
        text=N_("Which day was the meeting?"),
        items=_open_days,
        pick=lambda visit, value: _open_on(visit, date.fromisoformat(value)),
        guarded=True,
    ),
    Screen(
        "bk_reopen",
        text=N_(
            "Reopen the meeting of {date}? Every change will be texted to the members it touches."
        ),
        values=lambda visit: {"date": _open_values(visit)["last"]},
        choices=(Choice(N_("Confirm"), _reopen),),
        guarded=True,
    ),
    Screen(
        "bk_hub",
        text=N_("Meeting {date}: {done}/{total} recorded."),
        values=_hub_values,
        body=_hub_body,
        choices=(
            Choice(N_("Continue"), _continue),
            Choice(N_("Choose a member"), "bk_pick"),
            Choice(N_("New loan"), "bk_loan_who"),
            Choice(N_("Close the meeting"), "bk_close"),
        ),
        guarded=True,
    ),
    Screen(
        "bk_pick",
        text=N_("Type the member's number (1-{count}). * = recorded"),
        values=_pick_values,
        body=_pick_body,
        entry=_pick_number,
        guarded=True,
    ),
    Screen(
        "bk_member",
        text=N_("{number}/{total} {name}"),
        values=_member_values,
        body=_member_body,
        choices=(
            Choice(N_("Same as last week"), _same),
            Choice(N_("Present: enter"), _present),
            Choice(N_("Absent"), "bk_absent"),
        ),
        guarded=True,
    ),
    Screen(
        "bk_absent",
        text=N_("{number} {name} is absent. Did they send money?"),
        values=_member_values,
        choices=(Choice(N_("No"), _absent_no), Choice(N_("Yes: enter"), _represented)),
        guarded=True,
    ),
    Screen(
        "bk_shares",
        text=N_("{number} {name}\nShares bought? Type 0 or {low} to {high}. One share = {value}"),
        values=_shares_values,
        entry=_shares,
        guarded=True,
    ),
    Screen(
        "bk_social",
        text=N_("Social fund: {amount}?"),
        values=_social_values,
        choices=(Choice(N_("Paid"), _social(True)), Choice(N_("Not paid"), _social(False))),
        guarded=True,
    ),
    Screen(
        "bk_repay",
        text=N_("Loan left: {left}. Due: {due_amount} by {due}.\nHow much repaid? 0 if nothing"),
        values=_repay_values,
        entry=_repay,
        guarded=True,
    ),
    Screen(
        "bk_fine",
        text=N_("Fine?"),
        choices=(
            Choice(N_("No fine"), lambda visit: Go("bk_confirm", data={"fine": 0, "fkind": None})),
            *(_fine_choices(kind) for kind in FINE_LABELS),
            Choice(N_("Other"), "bk_fine_amount"),
        ),
        guarded=True,
    ),
    Screen(
        "bk_fine_amount",
        text=N_("How much is the fine? Type the amount"),
        entry=_fine_amount,
        guarded=True,
    ),
    Screen(
        "bk_confirm",
        text=N_(
            "{number} {name}: {shares} shares ({value}), social {social}, repaid {repaid}, "
            "fine {fine}. Total: {total}"
        ),
        values=_confirm_values,
        choices=(Choice(N_("Confirm"), _confirm), Choice(N_("Change"), "bk_shares")),
        guarded=True,
    ),
    Screen(
        "bk_loan_who",
        text=N_("New loan. Type the member's number (1-{count}):"),
        values=_pick_values,
        entry=_loan_who,
        guarded=True,
    ),
    Screen(
        "bk_loan_amount",
        text=N_("{name}: savings {savings}. Can borrow up to {max}.\nType the amount:"),
        values=_loan_amount_values,
        entry=_loan_amount,
        guarded=True,
    ),
    Screen(
        "bk_loan_term",
        text=N_("Repaid over how many months? Type 1 to {limit}"),
        values=lambda visit: {"limit": cycle(visit).term_limit_months},
        entry=_loan_term,
        guarded=True,
    ),
    Screen(
        "bk_loan_confirm",
        text=N_(
            "{name}: {amount} + interest {charge} = {total}. {count} payment(s), last on {last}."
        ),
        values=_loan_confirm_values,
        choices=(Choice(N_("Confirm"), _loan_request),),
        guarded=True,
    ),
    Screen(
        "bk_loan_sent",
        text=N_(
            "Saved. The chairperson or the treasurer must confirm it on their own phone. "
            "We sent them an SMS."
        ),
        choices=(Choice(N_("Continue"), lambda visit: Go("bk_hub", back_to="bk_hub")),),
        guarded=True,
    ),
    Screen(
        "bk_approve_list",
        text=N_("Loans to confirm:"),
        body=_approve_list_text,
        items=_approve_items,
        pick=lambda visit, value: Go("bk_approve", data={"loan": value}),
        guarded=True,
    ),
    Screen(
        "bk_approve",
        text=N_("{date} {name}: {amount} + interest {charge}, months {months}. Entered by {by}."),
        values=_approve_values,
        choices=(
            Choice(N_("Confirm, money given"), _decide(True)),
            Choice(N_("Refuse"), _decide(False)),
        ),
        guarded=True,
    ),
    Screen(
        "bk_approved",
        text=N_("Confirmed. {name} gets an SMS."),
        values=lambda visit: {"name": short_name(member(visit))},
        end=True,
    ),
    Screen(
        "bk_refused",
        text=N_("Refused. {name} gets an SMS."),
        values=lambda visit: {"name": short_name(member(visit))},
        end=True,
    ),
    Screen(
        "bk_close",
        body=_close_body,
        choices=(
            Choice(N_("Confirm and close"), _close),
            Choice(N_("Money out"), "bk_out"),
        ),
        guarded=True,
    ),
    Screen(
        "bk_out",
        text=N_("Money out:"),
        choices=(
            Choice(N_("Social fund help"), "bk_out_who"),
            Choice(N_("Group expense"), lambda visit: Go("bk_out_amount", data={"pid": None})),
        ),
        guarded=True,
    ),
    Screen(
        "bk_out_who",
        text=N_("Social fund help. Type the member's number (1-{count}):"),
        values=_pick_values,
        entry=_out_who,
        guarded=True,
    ),
    Screen(
        "bk_out_amount",
        text=N_("{what}. In the box: {cash}.\nType the amount:"),
        values=_out_values,
        entry=_out_amount,
        guarded=True,
    ),
    Screen(
        "bk_out_confirm",
        text=N_("{what}: {amount}."),
        values=lambda visit: {**_out_values(visit), "amount": format_money(visit.data["amount"])},
        choices=(Choice(N_("Confirm"), _out_confirm),),
        guarded=True,
    ),
    Screen(
        "bk_closed",
        text=N_("Meeting {date} is closed. {count} members are sent their receipt by SMS."),
        values=lambda visit: {
            "date": visit.data.get("held", ""),
            "count": visit.data.get("sent", 0),
        },
        end=True,
    ),
    Screen("bk_totals", body=_totals_body, guarded=True, sms=True),
    Screen("bk_unpaid", body=_unpaid_body, guarded=True),
    Screen("bk_shareout_go", redirect=_share_out_redirect, guarded=True),
    Screen(
        "bk_shareout_wait",
        text=N_("Close the meeting and settle waiting loans first."),
        guarded=True,
    ),
    Screen(
        "bk_shareout",
        text=N_(
            "Share-out {date}: {fund} for {shares} shares. 1 share = {per_share} Frw. "
            "Stays in the group: {left}. Approved: {count}/2"
        ),
        values=_share_out_values,
        choices=(
            Choice(N_("Approve"), _approve_share_out, show=_may_approve),
            Choice(N_("Pay out"), _pay_share_out, show=_may_pay),
        ),
        guarded=True,
    ),
    Screen(
        "bk_shareout_paid",
        text=N_("Paid out. Every member gets an SMS; the next cycle is open."),
        end=True,
    ),
]
