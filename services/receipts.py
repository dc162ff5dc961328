"""The SMS a group's books send: receipts after a meeting, corrections, loans, disputes.

Each fits one GSM-7 SMS in rw, en and fr at worst case (group names cut to 12 characters,
member names to 19); money and dates in house style (`2,400 Frw`, `21/12/2026`).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy.orm import Session

from locales import N_, translate
from locales.formatting import format_amount, format_date
from models import Loan, Meeting, MeetingEntry, Person, Priority, Vsla, VslaOffice, balances
from runtime.settings import Settings
from services import constitution
from services.book_ledger import Actor
from services.outbox import queue_sms

SHARES_LINE = N_("Shares +{count} = {total} ({value} Frw)")
SOCIAL_LINE = N_("Social fund +{amount} = {total}")
LOAN_PAID_LINE = N_("Loan -{repaid} = {left}")
LOAN_LINE = N_("Loan {left}")
FINE_LINE = N_("Fine {amount}")
WRONG_HINT = N_("Wrong? Reply WRONG")
CORRECTED = N_("{group} {date} CORRECTED")
REOPENED = N_("{group}: the meeting of {date} was reopened by {name} to correct it.")
LOAN_TO_CONFIRM = N_(
    "{group}: a loan of {amount} Frw to {name} waits for your confirmation. "
    "Dial {ussd} > Group books."
)
LOAN_GIVEN = N_(
    "{group} {date}: loan {amount} Frw + interest {charge} = {total} Frw. "
    "Pay {next} Frw by {due}. Confirmed by {name}."
)
LOAN_REFUSED = N_("{group}: the loan of {amount} Frw to {name} was refused by {officer}.")


def group_name(vsla: Vsla) -> str:
    return vsla.name[:12]


def short_name(person: Person) -> str:
    """A name that fits a screen or an SMS: 19 characters, else first name and an initial."""
    if len(person.name) <= 19:
        return person.name
    first, _, rest = person.name.partition(" ")
    return f"{first[:16]} {rest[:1]}." if rest else first[:19]


def receipt_text(
    session: Session, meeting: Meeting, entry: MeetingEntry, *, correction: bool
) -> str:
    """A member's receipt for one meeting, with their new totals."""
    person = session.get(Person, entry.person_id)
    vsla = session.get(Vsla, meeting.vsla_id)
    assert person is not None and vsla is not None
    lang = person.language
    mine = balances(session, person.id, day=meeting.held_on)
    head = f"{group_name(vsla)} {format_date(meeting.held_on)}"
    if correction:
        head = translate(lang, CORRECTED, group=group_name(vsla), date=format_date(meeting.held_on))
    lines = [
        head,
        translate(
            lang,
            SHARES_LINE,
            count=entry.shares,
            total=mine.share_count,
            value=format_amount(mine.shares),
        ),
        translate(
            lang,
            SOCIAL_LINE,
            amount=format_amount(entry.social_fund),
            total=format_amount(mine.social_fund),
        ),
    ]
    if entry.repayment or mine.loan_owed:
        left = format_amount(mine.loan_owed)
        if mine.loan_owed and mine.next_due is not None:
            left += f" ({format_date(mine.next_due)})"
        if entry.repayment:
            lines.append(
                translate(lang, LOAN_PAID_LINE, repaid=format_amount(entry.repayment), left=left)
            )
        else:
            lines.append(translate(lang, LOAN_LINE, left=left))
    if entry.fine:
        lines.append(translate(lang, FINE_LINE, amount=format_amount(entry.fine)))
    if not correction:
        lines.append(translate(lang, WRONG_HINT))
    return "\n".join(lines)


def send_receipt(
    session: Session, settings: Settings, meeting: Meeting, entry: MeetingEntry, *, correction: bool
) -> None:
    person = session.get(Person, entry.person_id)
    assert person is not None
    kind = "correction" if correction else "receipt"
    queue_sms(
        session,
        settings,
        person.phone,
        receipt_text(session, meeting, entry, correction=correction),
        person=person,
        kind=f"vsla_{kind}",
        priority=Priority.BULK,  # like reminders: held through quiet hours
        dedupe_key=f"{kind}:{meeting.id}:{person.id}:{entry.version}",
    )


def tell(
    session: Session,
    settings: Settings,
    people: list[Person],
    message: str,
    key: str,
    **values: object,
) -> None:
    for person in people:
        queue_sms(
            session,
            settings,
            person.phone,
            translate(person.language, message, **values),
            person=person,
            kind="vsla_notice",
            dedupe_key=f"{key}:{person.id}",
        )


def tell_reopened(session: Session, settings: Settings, meeting: Meeting, actor: Actor) -> None:
    """The chairperson hears that the last meeting was reopened, and by whom."""
    vsla = session.get(Vsla, meeting.vsla_id)
    who = session.get(Person, actor.person_id) if actor.person_id else None
    assert vsla is not None
    chairs = constitution.officers(session, vsla.id, VslaOffice.CHAIRPERSON)
    tell(
        session,
        settings,
        [c for c in chairs if c.id != actor.person_id],
        REOPENED,
        f"reopened:{meeting.id}:{meeting.reopened_times}",
        group=group_name(vsla),
        date=format_date(meeting.held_on),
        name=short_name(who) if who else "-",
    )


def tell_loan_to_confirm(session: Session, settings: Settings, loan: Loan) -> None:
    vsla = session.get(Vsla, loan.vsla_id)
    assert vsla is not None
    officers = constitution.officers(session, vsla.id, VslaOffice.CHAIRPERSON, VslaOffice.TREASURER)
    tell(
        session,
        settings,
        [o for o in officers if o.id not in (loan.person_id, loan.requested_by_id)],
        LOAN_TO_CONFIRM,
        f"loan-confirm:{loan.id}",
        group=group_name(vsla),
        amount=format_amount(loan.principal),
        name=short_name(loan.person),
        ussd=settings.ussd_service_code,
    )


def tell_loan_given(
    session: Session, settings: Settings, loan: Loan, officer: Person, first_due: date, first: int
) -> None:
    vsla = session.get(Vsla, loan.vsla_id)
    assert vsla is not None and loan.disbursed_on is not None
    tell(
        session,
        settings,
        [loan.person],
        LOAN_GIVEN,
        f"loan-given:{loan.id}",
        group=group_name(vsla),
        date=format_date(loan.disbursed_on),
        amount=format_amount(loan.principal),
        charge=format_amount(loan.charge),
        total=format_amount(loan.principal + loan.charge),
        next=format_amount(first),
        due=format_date(first_due),
        name=short_name(officer),
    )


def tell_loan_refused(session: Session, settings: Settings, loan: Loan, officer: Person) -> None:
    vsla = session.get(Vsla, loan.vsla_id)
    assert vsla is not None
    people = [loan.person] + ([loan.requested_by] if loan.requested_by else [])
    tell(
        session,
        settings,
        people,
        LOAN_REFUSED,
        f"loan-refused:{loan.id}",
        group=group_name(vsla),
        amount=format_amount(loan.principal),
        name=short_name(loan.person),
        officer=short_name(officer),
    )
