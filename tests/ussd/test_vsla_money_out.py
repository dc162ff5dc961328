"""The record-keeper writes social-fund help and group expenses at the meeting, by USSD, from
the close screen where the boxes' cash is shown (through /ussd as Africa's Talking calls it)."""

from __future__ import annotations

from datetime import date

from freezegun import freeze_time
from sqlalchemy import select
from support import factories as make
from support.sms import texts_to
from support.ussd import Phone

from locales import translate
from menus.engine import _session_key
from models import Attendance, Channel, LedgerEntry, LedgerKind, Meeting, VslaOffice
from models.enums import Language
from models.pins import set_pin
from services import constitution, meetings
from services.book_ledger import Actor

DAY = date(2026, 1, 5)
SECRETARY, MEMBER = "+250788100702", "+250788100703"
PIN = "2580"


def test_the_secretary_records_social_fund_help_and_an_expense_by_ussd(context, client) -> None:
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake", meeting_day=0, share_value=200)
        people = [
            make.person(s, phone, name, vsla=group, language=lang)
            for phone, name, lang in (
                ("+250788100701", "Mukamana Claire", Language.RW),
                (SECRETARY, "Habimana Jean", Language.EN),
                (MEMBER, "Uwimana Jeanne", Language.RW),
            )
        ]
        constitution.set_offices(s, people[1], {VslaOffice.SECRETARY})
        set_pin(people[1], PIN, pepper=context.settings.pin_pepper)
        rules = {
            "starts_on": DAY,
            "planned_share_out_on": date(2026, 6, 1),
            "share_value": 200,
            "social_fund_per_meeting": 100,
        }
        constitution.set_rules(s, group, rules)
        actor = Actor(people[1].id, Channel.USSD)
        meeting = meetings.open_(s, context.settings, group, DAY, actor)
        for person, shares in zip(people, (5, 4, 3), strict=True):
            entry = meetings.EntryInput(Attendance.PRESENT, shares=shares, social_fund=100)
            meetings.record(s, meeting, person, entry, actor)
    secretary = Phone(client, SECRETARY)

    def say(label: str) -> str:
        secretary.page_to(f". {translate('en', label)}")
        return secretary.choose(translate("en", label))

    with freeze_time("2026-01-05 08:00:00"):
        secretary.dial()
        say("Group books")
        secretary.press(PIN)
        say("Record the meeting")
        say("Close the meeting")
        say("Money out")
        say("Social fund help")
        assert "Uwimana J" in secretary.press("3") and "In the box: 300 Frw." in secretary.screen
        secretary.press("400")
        assert "The social fund box has only 300 Frw." in say("Confirm")
        secretary.press("0")
        assert secretary.press("200").startswith("CON Uwimana J")
        say("Confirm")
        screen = "\n".join(secretary.page_to("Social fund box"))
        assert "Social fund help: 200" in screen and "Social fund box: 100 Frw" in screen
        say("Money out")
        say("Group expense")
        assert "Group expense. In the box: 2,400 Frw." in secretary.screen
        secretary.press("500")
        say("Confirm")
        screen = "\n".join(secretary.page_to("Social fund box"))
        assert "Expenses: 500" in screen and "Loan fund box: 1,900 Frw" in screen
        # the session store loses this call's state: the engine replays every input from the
        # start, the two confirmations included, and nothing is written twice
        engine = client.application.extensions["ussd_engine"]
        key = _session_key("*384*1234#", secretary.number, secretary.session_id)
        engine.store.write(deletes=[key])
        assert "Loan fund box: 1,900 Frw" in "\n".join(secretary.page_to("Loan fund box"))
        say("Confirm and close")
        assert secretary.ended
    assert texts_to(context, MEMBER, "vsla_notice") == [
        "Twiyubake 05/01/2026: ikigega cy'ingoboka kiguhaye 200 Frw."
    ]
    with context.db.session() as s:
        held = s.scalar(select(Meeting))
        assert (held.closing_loan_cash, held.closing_social_cash) == (1_900, 100)
        rows = s.execute(
            select(LedgerEntry.kind, LedgerEntry.amount, LedgerEntry.channel)
            .where(LedgerEntry.kind.in_([LedgerKind.SOCIAL_PAYOUT, LedgerKind.EXPENSE]))
            .order_by(LedgerEntry.id)
        ).all()
    assert rows == [
        (LedgerKind.SOCIAL_PAYOUT, 200, Channel.USSD),
        (LedgerKind.EXPENSE, 500, Channel.USSD),
    ]
