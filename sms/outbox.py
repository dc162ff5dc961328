"""The transactional outbox: the one way ikimina sends an SMS.

`queue_sms` writes an `OutboundSms` row in the caller's transaction and enqueues the send job
only when that transaction commits, so an SMS exists exactly when the change that caused it does.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import OutboundSms, Person, Priority, SmsEvent, SmsStatus
from sms.gsm7 import encode
from worker.context import enqueue_after_commit

SEND_JOB = "worker.jobs.outbound.send_sms"


def queue_sms(
    session: Session,
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
    the same key never produces a second SMS.
    """
    if dedupe_key is not None:
        existing = session.scalar(select(OutboundSms).where(OutboundSms.dedupe_key == dedupe_key))
        if existing is not None:
            return existing
    encoded = encode(text)
    row = OutboundSms(
        phone=phone,
        person_id=person.id if person is not None else None,
        text=encoded.text,
        kind=kind,
        priority=priority,
        urgent=urgent,
        dedupe_key=dedupe_key,
        broadcast_id=broadcast_id,
        encoding=encoded.encoding,
        segments=encoded.segments,
        not_before=not_before,
        status=SmsStatus.QUEUED,
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
    queue = "high" if priority is Priority.HIGH else "bulk"
    enqueue_after_commit(session, SEND_JOB, row.id, queue=queue, at=not_before)
    return row
