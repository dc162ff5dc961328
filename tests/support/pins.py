"""The proofs behind a PIN, for the tests: record a person's national ID digits (as an import,
the console or the enrolling field officer does), choose a first PIN through the real screens,
and read a one-time code from the SMS that carried it."""

from __future__ import annotations

import re

from sqlalchemy import select

from models import Person
from models.pin_resets import set_id_last4
from services.pin_resets import record_id_digits

#: The last 4 digits of the national ID the tests record for a member.
ID_LAST4 = "4417"
#: The pepper of the tests' settings (tests/conftest.py), for data built without them.
TEST_PEPPER = "test-pepper"


def give_id(person: Person, digits: str = ID_LAST4) -> None:
    """Record `digits` as `person`'s ID proof, in a session being built (the tests' pepper)."""
    set_id_last4(person, digits, pepper=TEST_PEPPER)


def record_id(context, *phones: str, digits: str = ID_LAST4) -> None:  # type: ignore[no-untyped-def]
    """Record `digits` as the ID proof of the people with `phones` (hashed, as everywhere)."""
    with context.db.session() as s:
        for phone in phones:
            person = s.scalars(select(Person).where(Person.phone == phone)).one()
            record_id_digits(context.settings, person, digits)


def first_pin(caller, pin: str = "4821", proof: str = ID_LAST4) -> str:  # type: ignore[no-untyped-def]
    """On the first-PIN screen: give the proof, then the new PIN twice; the screen after."""
    caller.press(proof)
    caller.press(pin)
    return caller.press(pin)


def code_in(text: str) -> str:
    """The 6-digit one-time code in an SMS."""
    found = re.search(r"\b(\d{6})\b", text)
    assert found is not None, text
    return found.group(1)
