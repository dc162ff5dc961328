"""A loan from the group's books: a reminder 3 days before each instalment, an SMS to the
borrower the day after an unpaid one, a copy to the chairperson after 7 days, nothing once paid."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import select
from support import factories as make
from support.sms import texts_to

from models import Attendance, Channel, Loan, Person, VslaOffice
from services import book_loans, constitution, meetings
from services.book_ledger import Actor
from services.reminders import queue_due

KIGALI = ZoneInfo("Africa/Kigali")
BORROWER, CHAIR, SECRETARY = "+250788100301", "+250788100302", "+250788100303"
GIVEN = date(2026, 1, 5)  # a Monday; instalments due 02/02, 02/03, 30/03


def kigali(day: date, hour: int) -> datetime:
    return datetime.combine(day, time(hour), KIGALI).astimezone(UTC)


def _build(context) -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake", meeting_day=0, share_value=400)
        people = {}
        for phone, name, office in (
            (BORROWER, "Uwimana Jeanne", None),
            (CHAIR, "Mukamana Claire", VslaOffice.CHAIRPERSON),
            (SECRETARY, "Habimana Jean", VslaOffice.SECRETARY),
        ):
            people[phone] = make.person(s, phone, name, vsla=group)
            constitution.set_offices(s, people[phone], {office} if office else set())
        constitution.set_rules(
            s,
            group,
            {"starts_on": GIVEN, "planned_share_out_on": date(2026, 12, 21), "share_value": 400},
        )
        secretary = Actor(people[SECRETARY].id, Channel.USSD)
        meeting = meetings.open_(s, context.settings, group, GIVEN, secretary)
        for person in people.values():  # 6,000 Frw in the box
            meetings.record(
                s, meeting, person, meetings.EntryInput(Attendance.PRESENT, shares=5), secretary
            )
        loan = book_loans.request(
            s, context.settings, meeting, people[BORROWER], 5000, 3, secretary
        )
        book_loans.approve(
            s, context.settings, loan, people[CHAIR], Actor(people[CHAIR].id, Channel.USSD)
        )
        meetings.close(s, context.settings, meeting, secretary)


def _tick(context, day: date, hour: int) -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        queue_due(s, context.settings, kigali(day, hour))


def test_instalment_reminders_overdue_notices_and_the_chairpersons_copy(context) -> None:
    _build(context)
    first = GIVEN + timedelta(days=28)
    with context.db.session() as s:
        assert [i.due_on for i in s.scalar(select(Loan)).instalments] == [
            first,
            first + timedelta(days=28),
            first + timedelta(days=56),
        ]
    _tick(context, first - timedelta(days=3), 9)
    (reminder,) = texts_to(context, BORROWER, "reminder")
    assert "1,832 Frw" in reminder and "Twiyubake" in reminder
    _tick(context, first, 9)
    assert len(texts_to(context, BORROWER, "reminder")) == 1  # nothing new on the day itself
    _tick(context, first + timedelta(days=1), 9)
    overdue = texts_to(context, BORROWER, "reminder")[-1]
    assert overdue.startswith(
        "Uwimana Jeanne, ubwishyu bw'inguzanyo 1,832 Frw bwagombaga kuba 02/02/2026"
    )
    assert texts_to(context, CHAIR, "reminder") == []
    _tick(context, first + timedelta(days=7), 9)
    (copy,) = texts_to(context, CHAIR, "reminder")
    assert copy.startswith("Twiyubake: Uwimana Jeanne (+250788100301) ntarishyura 1,832 Frw")
    assert "5,500 Frw" in copy
    # she pays the first two instalments at the next meeting: no reminder for the second
    with context.db.session() as s:
        group_id = s.scalar(select(Person.vsla_id).where(Person.phone == BORROWER))
        secretary = s.scalar(select(Person).where(Person.phone == SECRETARY))
        borrower = s.scalar(select(Person).where(Person.phone == BORROWER))
        vsla = borrower.vsla
        meeting = meetings.open_(
            s, context.settings, vsla, first + timedelta(days=14), Actor(secretary.id, Channel.USSD)
        )
        meetings.record(
            s,
            meeting,
            borrower,
            meetings.EntryInput(Attendance.PRESENT, shares=1, repayment=3664),
            Actor(secretary.id, Channel.USSD),
        )
        meetings.close(s, context.settings, meeting, Actor(secretary.id, Channel.USSD))
        assert group_id == vsla.id
    sent = len(texts_to(context, BORROWER, "reminder"))
    second = first + timedelta(days=28)
    for day in (second - timedelta(days=3), second + timedelta(days=1), second + timedelta(days=7)):
        _tick(context, day, 9)
    assert len(texts_to(context, BORROWER, "reminder")) == sent
    assert len(texts_to(context, CHAIR, "reminder")) == 1
