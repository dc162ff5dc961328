"""A household's one phone: Uwase Aline (rw) and Mugisha Eric (en) share +250788100050. Dialling
from it first asks who is calling (first names only), then each reads only their own balances
behind their own PIN, in their own language."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from support import factories as make
from support.pins import first_pin, give_id

from locales import translate
from locales.formatting import format_money
from models import Language, LedgerKind, Person, Role

SHARED = "+250788100050"
WHO_RW = "CON Ni nde uhamagara? Hitamo izina ryawe:\n1. Aline\n2. Eric"
ALINE_ID, ERIC_ID = "4417", "9052"  # each their own proof for a first PIN


@pytest.fixture
def household(context):  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake")
        aline = make.person(s, SHARED, "Uwase Aline", vsla=group)
        eric = make.person(s, SHARED, "Mugisha Eric", language=Language.EN, vsla=group)
        give_id(aline, ALINE_ID)
        give_id(eric, ERIC_ID)
        earlier = date.today() - timedelta(days=30)
        make.ledger(s, aline, LedgerKind.SHARES, 15000, earlier)
        make.ledger(s, aline, LedgerKind.SOCIAL_FUND, 2000, earlier)
        make.ledger(s, eric, LedgerKind.SHARES, 3000, earlier)
        make.ledger(s, eric, LedgerKind.SOCIAL_FUND, 500, earlier)
    return context


def _pin_hashes(context) -> dict[str, str | None]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        people = s.scalars(select(Person).where(Person.phone == SHARED))
        return {p.first_name: p.pin_hash for p in people}


def test_two_people_on_one_phone_each_read_only_their_own_balances(household, phone) -> None:
    caller = phone(SHARED)
    assert caller.dial() == WHO_RW  # nothing but first names before a PIN
    assert caller.press("2").startswith("CON Ikimina. Choose:\n1. My savings")  # Eric's English
    caller.choose("My savings")
    assert "Wrong ID digits" in caller.press(ALINE_ID)  # the other's proof does not open it
    shown = first_pin(caller, "4821", ERIC_ID)
    assert "Your PIN is saved." in shown
    assert format_money(3000) in shown and format_money(500) in shown
    assert format_money(15000) not in shown and format_money(2000) not in shown

    assert caller.dial() == WHO_RW
    assert caller.press("1").startswith("CON Ikimina. Hitamo:")  # Aline's Kinyarwanda
    caller.choose(translate("rw", "My savings"))
    shown = first_pin(caller, "5930", ALINE_ID)
    assert format_money(15000) in shown and format_money(2000) in shown
    assert format_money(3000) not in shown

    hashes = _pin_hashes(household)
    assert hashes["Aline"] and hashes["Eric"] and hashes["Aline"] != hashes["Eric"]

    # Eric's PIN does not open Aline's balances
    caller.dial()
    caller.press("1")
    caller.choose(translate("rw", "My savings"))
    wrong = caller.press("4821")
    assert wrong.startswith("CON " + translate("rw", "Wrong PIN. Tries left: {n}.", n=2))
    assert format_money(3000) not in wrong and format_money(15000) not in wrong


def test_the_who_screen_keeps_the_keys_and_speaks_the_shared_language(
    household, phone, context
) -> None:
    caller = phone(SHARED)
    caller.dial()
    assert caller.press("0") == WHO_RW  # back on the first screen stays there
    assert caller.press("00") == WHO_RW
    assert caller.press("3") == "CON Igisubizo kitari cyo.\n" + WHO_RW.removeprefix("CON ")
    with context.db.session() as s:  # both read English now: the question is in English
        for person in s.scalars(select(Person).where(Person.phone == SHARED)):
            person.language = Language.EN
    assert caller.dial() == "CON Who is calling? Choose your name:\n1. Aline\n2. Eric"


def test_a_dropped_session_is_offered_back_only_to_the_person_who_dropped_it(
    household, phone
) -> None:
    caller = phone(SHARED)
    caller.dial()
    caller.press("2")
    caller.choose("Language")  # Eric drops the call here
    assert caller.dial() == WHO_RW
    assert caller.press("2").startswith("CON Welcome back.")
    caller.choose("Continue where you stopped")
    assert caller.screen.startswith("CON Choose your language:")

    # dropped there again; now Aline dials: Eric's screens are not offered to her
    assert caller.dial() == WHO_RW
    assert caller.press("1").startswith("CON Ikimina. Hitamo:")


def test_a_staff_role_on_one_person_does_not_show_to_the_other(household, phone, context) -> None:
    with context.db.session() as s:
        eric = s.scalar(select(Person).where(Person.name == "Mugisha Eric"))
        eric.set_roles({Role.MEMBER, Role.TRAINER})
    caller = phone(SHARED)
    caller.dial()
    assert "Report absence" in caller.press("2")
    caller.dial()
    assert translate("rw", "Report absence") not in caller.press("1")
