"""Who is on a phone: the one place that resolves a phone number to its people.

A household often shares one phone, so a number may belong to several people, each with their
own PIN, language and roles. Before the caller says who they are, a shared phone shows first
names only (never a surname, a balance or a role). SMS to a shared phone name the person they
are for (`addressed`), so whoever reads the phone passes it on.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence

from sqlalchemy import func, select
from sqlalchemy.orm import Session, joinedload

from locales import N_, language_or_default, translate
from models import Person
from services.gsm7 import encode

#: The prefix naming the person an SMS to a shared phone is for.
FOR_PERSON = N_("For {name}: {text}")
#: Its short form, used when the long one would cost a second SMS and the short one does not.
FOR_PERSON_SHORT = "{name}: {text}"


def people_on_phone(session: Session, phone: str) -> list[Person]:
    """Everyone registered with `phone`, oldest first (the order a shared phone lists them),
    with their roles, in one statement."""
    query = (
        select(Person)
        .where(Person.phone == phone)
        .options(joinedload(Person.role_rows))
        .order_by(Person.id)
    )
    return list(session.scalars(query).unique())


def person_on_phone(session: Session, phone: str, person_id: int) -> Person | None:
    """The person `person_id` if they still use `phone`, with their roles, else None."""
    query = (
        select(Person)
        .where(Person.id == person_id, Person.phone == phone)
        .options(joinedload(Person.role_rows))
    )
    return session.scalars(query).unique().one_or_none()


def chosen(people: Sequence[Person], person_id: object) -> Person | None:
    """The caller among `people`: the only one, or the one chosen (`person_id`), else None."""
    if len(people) == 1:
        return people[0]
    return next((p for p in people if p.id == person_id), None)


def shared_phones(session: Session, phones: Iterable[str]) -> set[str]:
    """The numbers among `phones` that more than one person uses."""
    wanted = sorted(set(phones))
    found: set[str] = set()
    for start in range(0, len(wanted), 500):
        part = wanted[start : start + 500]
        found |= set(
            session.scalars(
                select(Person.phone)
                .where(Person.phone.in_(part))
                .group_by(Person.phone)
                .having(func.count(Person.id) > 1)
            )
        )
    return found


def is_shared(session: Session, phone: str) -> bool:
    return bool(shared_phones(session, [phone]))


def others_on_phone(session: Session, person: Person) -> list[Person]:
    """The other people who use `person`'s phone."""
    return [p for p in people_on_phone(session, person.phone) if p.id != person.id]


def phone_language(people: Sequence[Person]) -> str | None:
    """The language to address a shared phone in before anyone is chosen: the one every
    person on it reads, or None (the default, Kinyarwanda) when they differ."""
    languages = {language_or_default(p.language) for p in people}
    return languages.pop() if len(languages) == 1 else None


def numbered_names(people: Sequence[Person]) -> str:
    """`1 Aline, 2 Eric`: the first names a shared phone's questions list."""
    return ", ".join(f"{n} {p.first_name}" for n, p in enumerate(people, 1))


def addressed(text: str, lang: str | None, first_name: str) -> str:
    """`text` for one person of a shared phone: as it is when it already names them (most
    reminders start with the name), else "For Aline: ..." in their language, or "Aline: ..."
    when only the short form keeps it to one SMS."""
    if re.search(rf"(?<!\w){re.escape(first_name)}(?!\w)", text, re.IGNORECASE):
        return text
    full = translate(lang, FOR_PERSON, name=first_name, text=text)
    if encode(full).segments <= 1:
        return full
    short = FOR_PERSON_SHORT.format(name=first_name, text=text)
    return short if encode(short).segments < encode(full).segments else full
