"""The bulk pause: when Africa's Talking answers 405 (no balance), bulk sending stops until
staff top up and resume (`ikimina outbox --resume-bulk`); replies keep trying. Staff are told
by SMS, once a day at most."""

from __future__ import annotations

import logging
from datetime import datetime
from zoneinfo import ZoneInfo

from sqlalchemy import delete, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from locales import N_, translate
from models import OutboxPause, Person, PersonRole, Priority, Role, utcnow
from runtime.settings import Settings
from services.outbox import queue_sms

log = logging.getLogger(__name__)

BULK = "bulk"
NO_BALANCE_ALERT = N_(
    "ikimina: the SMS balance is empty, bulk SMS are paused. Top up Africa's Talking, "
    "then run: ikimina outbox --resume-bulk"
)


def paused(session: Session, queue: str = BULK) -> OutboxPause | None:
    """The pause on `queue`, or None when it is sending."""
    return session.get(OutboxPause, queue)


def pause_bulk(session: Session, settings: Settings, reason: str) -> None:
    """Pause bulk sending (idempotent, safe from two workers at once) and alert staff."""
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    session.execute(
        dialect.insert(OutboxPause.__table__)
        .values(queue=BULK, reason=reason[:300], since=utcnow())
        .on_conflict_do_nothing(index_elements=["queue"])
    )
    log.error("bulk SMS paused: %s", reason)
    alert_staff(session, settings, NO_BALANCE_ALERT, key="no-balance")


def resume_bulk(session: Session) -> bool:
    """Lift the bulk pause; True if it was paused."""
    return bool(session.execute(delete(OutboxPause).where(OutboxPause.queue == BULK)).rowcount)


def alert_staff(session: Session, settings: Settings, message: str, *, key: str) -> None:
    """SMS `message` to every staff member in their language, at most once a day per `key`."""
    today = _today(settings)
    staff = session.scalars(
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.STAFF, Person.opted_out.is_(False))
        .order_by(Person.id)
    )
    for person in staff:
        queue_sms(
            session,
            settings,
            person.phone,
            translate(person.language, message),
            person=person,
            kind="alert",
            priority=Priority.HIGH,
            dedupe_key=f"alert:{key}:{today}:{person.id}",
        )


def _today(settings: Settings) -> str:
    return datetime.now(ZoneInfo(settings.tz)).date().isoformat()
