"""The transactional outbox: the one way ikimina sends an SMS.

`queue_sms` writes an `OutboundSms` row in the caller's transaction and enqueues the send job
only when that transaction commits, so an SMS exists exactly when the change that caused it does.
`queue_batch` does the same for many rows at once (broadcast fan-out): one INSERT per chunk,
rows whose dedupe key exists are skipped, one send job per batch of recipients. Staff put
failed or doubtful rows back in the queue (`requeue`) or drop them (`cancel`).

An SMS for a person whose phone others share starts with their first name ("Kuri Aline: ..."):
both ways of queueing name them, so every receipt, reminder, alert and broadcast does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import insert, select
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locales import language_or_default, translate
from models import OutboundSms, Person, Priority, SmsEvent, SmsStatus, utcnow
from models.people import first_name_of
from runtime.context import enqueue_after_commit
from runtime.settings import Settings
from services.gsm7 import Encoded, encode
from services.phones import addressed, is_shared, shared_phones
from services.quiet import due_time

SEND_JOB = "worker.jobs.outbound.send_sms"
SEND_BATCH_JOB = "worker.jobs.outbound.send_batch"
#: States staff may put back in the queue (or cancel, with queued).
REQUEUABLE = (SmsStatus.FAILED, SmsStatus.REVIEW, SmsStatus.CANCELLED)
CANCELLABLE = (SmsStatus.QUEUED, SmsStatus.FAILED, SmsStatus.REVIEW)


def queue_name(priority: Priority) -> str:
    """The RQ queue an SMS of `priority` goes on: replies on `high`, the rest on `bulk`."""
    return "high" if priority is Priority.HIGH else "bulk"


def queue_sms(
    session: Session,
    settings: Settings,
    phone: str,
    text: str,
    *,
    person: Person | None = None,
    kind: str = "reply",
    priority: Priority = Priority.HIGH,
    urgent: bool = False,
    dedupe_key: str | None = None,
    broadcast_id: int | None = None,
    not_before: datetime | None = None,
) -> OutboundSms:
    """Record one SMS to `phone` and have it sent after commit.

    With a `dedupe_key` already used, nothing new is written and the existing row is returned:
    the same key never produces a second SMS. A bulk, non-urgent SMS queued in quiet hours
    waits until they end.
    """
    if dedupe_key is not None:
        existing = session.scalar(select(OutboundSms).where(OutboundSms.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    if person is not None and person.phone == phone and is_shared(session, phone):
        text = addressed(text, language_or_default(person.language), person.first_name)
    due = _due(settings, priority, urgent, not_before)
    row = OutboundSms(
        **_columns(encode(text), priority=priority, urgent=urgent, not_before=due),
        phone=phone,
        person_id=person.id if person is not None else None,
        kind=kind,
        dedupe_key=dedupe_key,
        broadcast_id=broadcast_id,
    )
    row.events.append(SmsEvent(status=SmsStatus.QUEUED.value))
    if dedupe_key is None:
        session.add(row)
        session.flush()
    else:
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:
            return session.scalars(
                select(OutboundSms).where(OutboundSms.dedupe_key == dedupe_key)
            ).one()
    enqueue_after_commit(session, SEND_JOB, row.id, queue=queue_name(priority), at=due)
    return row


@dataclass(frozen=True)
class Message:
    """One SMS of a batch: to whom, what, and its dedupe key."""

    phone: str
    text: str
    person_id: int | None = None
    dedupe_key: str | None = None


def tell(
    session: Session,
    settings: Settings,
    person: Person,
    message: str,
    *,
    kind: str,
    priority: Priority,
    dedupe_key: str,
    **values: object,
) -> OutboundSms:
    """Queue `message` (a msgid) to `person` in their language, filled with `values`."""
    text = translate(language_or_default(person.language), message, **values)
    return queue_sms(
        session,
        settings,
        person.phone,
        text,
        person=person,
        kind=kind,
        priority=priority,
        dedupe_key=dedupe_key,
    )


def queue_batch(
    session: Session,
    settings: Settings,
    messages: Sequence[Message],
    *,
    kind: str,
    priority: Priority = Priority.BULK,
    urgent: bool = False,
    broadcast_id: int | None = None,
    not_before: datetime | None = None,
) -> list[int]:
    """Record many SMS in one INSERT and have them sent after commit; return the new ids.

    Messages whose dedupe key is already used are skipped (not returned), so running the same
    batch twice writes nothing the second time.
    """
    if not messages:
        return []
    messages = _named(session, messages)
    due = _due(settings, priority, urgent, not_before)
    encodings: dict[str, Encoded] = {}
    rows = [
        {
            **_columns(
                encodings.setdefault(m.text, encode(m.text)),
                priority=priority,
                urgent=urgent,
                not_before=due,
            ),
            "phone": m.phone,
            "person_id": m.person_id,
            "kind": kind,
            "dedupe_key": m.dedupe_key,
            "broadcast_id": broadcast_id,
        }
        for m in messages
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(OutboundSms.__table__)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboundSms.__table__.c.id)
    )
    ids = sorted(session.execute(stmt, rows).scalars())
    if ids:
        session.execute(
            insert(SmsEvent.__table__),
            [{"sms_id": i, "status": SmsStatus.QUEUED.value, "at": utcnow()} for i in ids],
        )
    size = settings.sms_batch_size
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        enqueue_after_commit(session, SEND_BATCH_JOB, chunk, queue=queue_name(priority), at=due)
    return ids


def _named(session: Session, messages: Sequence[Message]) -> Sequence[Message]:
    """The messages, those for a person on a shared phone naming them (one query each way)."""
    shared = shared_phones(session, (m.phone for m in messages if m.person_id is not None))
    if not shared:
        return messages
    ids = {m.person_id for m in messages if m.phone in shared}
    people = {
        p.id: p
        for p in session.execute(
            select(Person.id, Person.name, Person.language).where(Person.id.in_(ids))
        )
    }
    named = []
    for m in messages:
        p = people.get(m.person_id) if m.phone in shared else None
        if p is not None:
            lang = language_or_default(p.language)
            m = replace(m, text=addressed(m.text, lang, first_name_of(p.name)))
        named.append(m)
    return named


def _due(
    settings: Settings, priority: Priority, urgent: bool, not_before: datetime | None
) -> datetime | None:
    bulk = priority is not Priority.HIGH
    return due_time(settings, bulk=bulk, urgent=urgent, not_before=not_before, now=utcnow())


def _columns(
    encoded: Encoded, *, priority: Priority, urgent: bool, not_before: datetime | None
) -> dict[str, Any]:
    now = utcnow()
    return {
        "text": encoded.text,
        "encoding": encoded.encoding,
        "segments": encoded.segments,
        "priority": priority,
        "urgent": urgent,
        "not_before": not_before,
        "status": SmsStatus.QUEUED,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
    }


def requeue(session: Session, ids: Sequence[int]) -> int:
    """Put failed, review or cancelled rows `ids` back in the queue with fresh attempts (staff
    decided they should go); return how many were."""
    rows = session.scalars(
        select(OutboundSms).where(OutboundSms.id.in_(ids), OutboundSms.status.in_(REQUEUABLE))
    ).all()
    for row in rows:
        row.status, row.attempts, row.not_before, row.failure_reason = (
            SmsStatus.QUEUED,
            0,
            None,
            None,
        )
        row.events.append(SmsEvent(status=SmsStatus.QUEUED.value, detail="requeued by staff"))
        session.flush()
        enqueue_after_commit(session, SEND_JOB, row.id, queue=queue_name(row.priority))
    return len(rows)


def failed_ids(session: Session) -> list[int]:
    """Every failed row (for `ikimina outbox --requeue-failed`)."""
    return list(
        session.scalars(select(OutboundSms.id).where(OutboundSms.status == SmsStatus.FAILED))
    )


def cancel(session: Session, ids: Sequence[int]) -> int:
    """Never send rows `ids` (e.g. a review row the person did get); return how many."""
    rows = session.scalars(
        select(OutboundSms).where(OutboundSms.id.in_(ids), OutboundSms.status.in_(CANCELLABLE))
    ).all()
    for row in rows:
        row.status = SmsStatus.CANCELLED
        row.events.append(SmsEvent(status=SmsStatus.CANCELLED.value, detail="cancelled by staff"))
    return len(rows)
