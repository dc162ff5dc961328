"""The reminder engine: runs every rule of `services.reminder_rules`, whatever it reminds of.

Once only: each SMS carries a dedupe key per rule, object, date and person (the outbox never
writes a key twice), and each occasion is claimed by a `ReminderOccasion` row written in the
same transaction, so a second run, or a second scheduler, skips it.
Quiet hours (`services.quiet`): a send time inside them (21:00-07:00 Kigali by default) moves
to their end; the SMS then waits with `not_before`. A reminder that would arrive at or after its
event is dropped. People who opted out are never queued (the send job checks again at send time).
"""

from __future__ import annotations

import logging
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locales import language_or_default, translate
from locales.formatting import short
from models import Person, Priority, ReminderOccasion
from runtime.settings import Settings
from services.outbox import queue_sms
from services.quiet import out_of_quiet_hours
from services.reminder_rules import AT_ONCE, RULES, Occasion, Rule

log = logging.getLogger(__name__)

#: `OutboundSms.kind` of every reminder.
KIND = "reminder"


def _too_late(rule: Rule, occasion: Occasion, moment: datetime) -> bool:
    """A reminder ahead of its event that would arrive at or after it is pointless."""
    return rule.timing != AT_ONCE and moment >= occasion.at


def audience(rule: Rule, subject: Any) -> Select[tuple[Person]]:
    """The people `rule` reminds of `subject`, less those who opted out."""
    return rule.audience(subject).where(Person.opted_out.is_(False))


def due(
    session: Session,
    settings: Settings,
    start: datetime,
    end: datetime,
    rules: tuple[Rule, ...] = RULES,
) -> Iterator[tuple[Rule, Occasion, datetime]]:
    """Each (rule, occasion, send time) whose send time falls in (start, end]."""
    tz = ZoneInfo(settings.tz)
    for rule in rules:
        if rule.source is None:
            continue
        for occasion in rule.source(session, start, end + rule.timing.lead_max, settings):
            planned = out_of_quiet_hours(rule.timing.send_at(occasion.at, tz), settings)
            if start < planned <= end and not _too_late(rule, occasion, planned):
                yield rule, occasion, planned


def deliver(
    session: Session,
    settings: Settings,
    rule: Rule,
    occasion: Occasion,
    planned: datetime,
    now: datetime,
) -> int | None:
    """Queue `rule`'s SMS about `occasion` to its audience, in each person's language.

    Claims the occasion first: None when another run already has. Returns how many SMS were
    queued; those due in quiet hours wait for their end (`not_before`).
    """
    claim = ReminderOccasion(rule=rule.name, occasion=occasion.key, planned_at=planned)
    try:
        with session.begin_nested():
            session.add(claim)
            session.flush()
    except IntegrityError:
        return None
    release = out_of_quiet_hours(max(planned, now), settings)
    if _too_late(rule, occasion, release):
        log.info("reminder %s %s: too late, dropped", rule.name, occasion.key)
        return 0
    tz = ZoneInfo(settings.tz)
    values: dict[str, dict[str, object]] = {}
    for person in session.scalars(audience(rule, occasion.subject)):
        lang = language_or_default(person.language)
        if lang not in values:
            values[lang] = rule.values(occasion.subject, lang, tz)
        queue_sms(
            session,
            settings,
            person.phone,
            translate(lang, rule.message, name=short(person.name, 20), **values[lang]),
            person=person,
            kind=KIND,
            priority=Priority.BULK,
            dedupe_key=f"{KIND}:{rule.name}:{occasion.key}:{person.id}",
            not_before=release if release > now else None,
        )
        claim.recipients += 1
    return claim.recipients


def queue_due(
    session: Session, settings: Settings, now: datetime, rules: tuple[Rule, ...] = RULES
) -> int:
    """Queue every reminder due by `now` and not yet queued, catching up on those missed
    for up to `reminder_catch_up_hours`; commits once per occasion. Returns the SMS queued."""
    start = now - timedelta(hours=settings.reminder_catch_up_hours)
    plan = list(due(session, settings, start, now, rules))
    done = set(
        session.execute(
            select(ReminderOccasion.rule, ReminderOccasion.occasion).where(
                ReminderOccasion.planned_at > start
            )
        )
    )
    session.commit()
    queued = 0
    for rule, occasion, planned in plan:
        if (rule.name, occasion.key) in done:
            continue
        queued += deliver(session, settings, rule, occasion, planned, now) or 0
        session.commit()
    return queued


@dataclass(frozen=True)
class Upcoming:
    """A reminder that will go out: for `ikimina reminders --next`."""

    at: datetime
    rule: str
    label: str
    people: int


def upcoming(
    session: Session, settings: Settings, now: datetime, until: datetime
) -> list[Upcoming]:
    """The reminders due after `now` up to `until`, soonest first, with their audience size."""
    rows = [
        Upcoming(
            planned,
            rule.name,
            occasion.label,
            session.scalar(
                select(func.count()).select_from(audience(rule, occasion.subject).subquery())
            )
            or 0,
        )
        for rule, occasion, planned in due(session, settings, now, until)
    ]
    return sorted(rows, key=lambda row: (row.at, row.rule, row.label))
