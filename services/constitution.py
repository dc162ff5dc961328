"""A savings group's constitution (its rules for one cycle), its list and its officers."""

from __future__ import annotations

from datetime import date, timedelta
from typing import Any

from sqlalchemy import delete, func, select
from sqlalchemy.orm import Session

from locales import N_
from models import Cycle, CycleMember, CycleStatus, Meeting, Officer, Person, Vsla, VslaOffice
from services.book_ledger import BookError

#: The rules a cycle holds, as `set_rules` takes them.
RULES = (
    "starts_on",
    "planned_share_out_on",
    "share_value",
    "shares_min",
    "shares_max",
    "social_fund_per_meeting",
    "charge_mode",
    "charge_rate_bp",
    "max_loan_multiple",
    "term_limit_months",
    "social_fund_shared",
    "fine_late",
    "fine_absent",
    "fine_misconduct",
)
RULES_FIXED = N_("The rules are fixed for the cycle; change them at share-out.")
NOT_A_MEMBER = N_("Only a member of a group can hold an office in it.")


def live(session: Session, vsla_id: int) -> Cycle | None:
    """The group's open cycle, if its rules were ever set."""
    return session.scalar(
        select(Cycle).where(Cycle.vsla_id == vsla_id, Cycle.status == CycleStatus.OPEN)
    )


def has_meetings(session: Session, cycle: Cycle) -> bool:
    return bool(session.scalar(select(func.count(Meeting.id)).where(Meeting.cycle_id == cycle.id)))


def set_rules(session: Session, vsla: Vsla, rules: dict[str, Any]) -> Cycle:
    """Write the live cycle's rules (creating cycle 1); refused once it has a meeting."""
    cycle = live(session, vsla.id)
    if cycle is None:
        start = rules.get("starts_on") or date.today()
        cycle = Cycle(
            vsla_id=vsla.id,
            number=1,
            starts_on=start,
            planned_share_out_on=start + timedelta(days=364),
            share_value=vsla.share_value,
        )
        session.add(cycle)
    changed = {k: v for k, v in rules.items() if k in RULES and getattr(cycle, k, None) != v}
    if changed and cycle.id is not None and has_meetings(session, cycle):
        raise BookError(RULES_FIXED)
    for key, value in changed.items():
        setattr(cycle, key, value)
    vsla.share_value = cycle.share_value
    session.flush()
    return cycle


def sync_members(session: Session, cycle: Cycle, today: date) -> list[CycleMember]:
    """The cycle's list: people of the group not on it get the next numbers (by id); members
    who left the group get a leaving date. Returns the members still in, by number."""
    rows = list(session.scalars(select(CycleMember).where(CycleMember.cycle_id == cycle.id)))
    listed = {row.person_id: row for row in rows}
    people = session.scalars(
        select(Person.id).where(Person.vsla_id == cycle.vsla_id).order_by(Person.id)
    ).all()
    number = max((row.number for row in rows), default=0)
    for person_id in people:
        if person_id not in listed:
            number += 1
            row = CycleMember(
                cycle_id=cycle.id, person_id=person_id, number=number, joined_on=today
            )
            session.add(row)
            rows.append(row)
        elif listed[person_id].left_on is not None:
            listed[person_id].left_on = None
    inside = set(people)
    for row in rows:
        if row.person_id not in inside and row.left_on is None:
            row.left_on = today
    session.flush()
    return sorted((r for r in rows if r.left_on is None), key=lambda r: r.number)


def offices(session: Session, person: Person) -> set[VslaOffice]:
    """The offices `person` holds in their own group."""
    if person.vsla_id is None:
        return set()
    return set(
        session.scalars(
            select(Officer.office).where(
                Officer.vsla_id == person.vsla_id, Officer.person_id == person.id
            )
        )
    )


def officers(session: Session, vsla_id: int, *kinds: VslaOffice) -> list[Person]:
    """The people holding any of `kinds` in the group."""
    return list(
        session.scalars(
            select(Person)
            .join(Officer, Officer.person_id == Person.id)
            .where(Officer.vsla_id == vsla_id, Officer.office.in_(kinds))
            .order_by(Person.id)
            .distinct()
        )
    )


def set_offices(session: Session, person: Person, wanted: set[VslaOffice]) -> None:
    """Give `person` exactly the offices `wanted` in their group; one chairperson, secretary and
    treasurer per group (the previous holder steps down)."""
    if person.vsla_id is None:
        if wanted:
            raise BookError(NOT_A_MEMBER)
        return
    session.execute(
        delete(Officer).where(Officer.vsla_id == person.vsla_id, Officer.person_id == person.id)
    )
    single = {VslaOffice.CHAIRPERSON, VslaOffice.SECRETARY, VslaOffice.TREASURER}
    for office in sorted(wanted):
        if office in single:
            session.execute(
                delete(Officer).where(Officer.vsla_id == person.vsla_id, Officer.office == office)
            )
        session.add(Officer(vsla_id=person.vsla_id, office=office, person_id=person.id))
    session.flush()
