"""A person's own settings, each changed in one place whoever asks: the person by SMS (STOP,
START, LANG) or USSD (Language), staff in the console or the CLI, Africa's Talking (a number
on its blacklist).
"""

from __future__ import annotations

from sqlalchemy import or_, select
from sqlalchemy.orm import Session

from models import Language, Person, utcnow


def set_opted_out(person: Person, opted_out: bool) -> None:
    """Stop (or resume) reminders and broadcasts to `person`; replies to them still go out.
    The time of opting out is kept, and only changes when the choice does."""
    if person.opted_out != opted_out:
        person.opted_out = opted_out
        person.opted_out_at = utcnow() if opted_out else None


def opt_out_number(session: Session, phone: str, person_id: int | None = None) -> None:
    """Opt out whoever has `phone` (or is `person_id`): the network refuses to deliver to them."""
    who = [Person.phone == phone]
    if person_id is not None:
        who.append(Person.id == person_id)
    for person in session.scalars(select(Person).where(or_(*who))):
        set_opted_out(person, True)


def set_language(person: Person, language: Language | str) -> None:
    """The language of `person`'s USSD screens and SMS from now on."""
    person.language = Language(language)


def unlock_pin(person: Person) -> None:
    """Staff lift a PIN lock: the member may try again (their PIN is kept)."""
    person.pin_failures = 0
    person.pin_locked_until = None
