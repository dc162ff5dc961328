"""The transactional outbox: the one way ikimina sends an SMS.

`queue_sms` writes an `OutboundSms` row in the caller's transaction and enqueues the send job
only when that transaction commits, so an SMS exists exactly when the change that caused it does.
`queue_batch` does the same for many rows at once: one INSERT per chunk, rows whose dedupe key
exists are skipped, one send job per batch of recipients. `queue_selected` writes the rows a
SELECT yields without bringing them into Python (broadcast fan-out: `INSERT ... SELECT`). Staff put
failed or doubtful rows back in the queue (`requeue`) or drop them (`cancel`).

An SMS for a person whose phone others share starts with their first name ("Kuri Aline: ..."):
both ways of queueing name them, so every receipt, reminder, alert and broadcast does.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import datetime
from typing import Any

from sqlalchemy import (
    ColumnElement,
    Integer,
    Select,
    String,
    bindparam,
    case,
    func,
    insert,
    literal,
    select,
)
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, aliased

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
    fixed = _fixed(kind=kind, priority=priority, urgent=urgent, due=due, broadcast_id=broadcast_id)
    ids = sorted(_insert(session, messages, fixed))
    add_events(session, [(i, SmsStatus.QUEUED, None) for i in ids], utcnow())
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


def queue_selected(
    session: Session,
    settings: Settings,
    source: Select[Any],
    *,
    kind: str,
    priority: Priority = Priority.BULK,
    urgent: bool = False,
    broadcast_id: int | None = None,
    job_size: int | None = None,
) -> list[int]:
    """Record the SMS `source` selects, in one `INSERT ... SELECT`, and have them sent after
    commit; return the new ids. `source` selects `phone`, `person_id`, `text`, `encoding`,
    `segments` and `dedupe_key` (texts already GSM-7-encoded, see `encoded_cases`); rows
    whose dedupe key is already used are skipped. The few rows for people on a shared phone
    come into Python and are written as `queue_batch` writes them, naming the person. One send
    job per `job_size` ids (the batch size by default); each job still claims and sends at most
    a batch at a time."""
    table = OutboundSms.__table__
    due = _due(settings, priority, urgent, None)
    fixed = _fixed(kind=kind, priority=priority, urgent=urgent, due=due, broadcast_id=broadcast_id)
    names = ["phone", "person_id", "text", "encoding", "segments", "dedupe_key"]
    phone, person_id = source.selected_columns["phone"], source.selected_columns["person_id"]
    other = aliased(Person)
    shared = select(other.id).where(
        other.phone == phone, other.id != person_id
    ).exists() & person_id.is_not(None)
    named = _named(
        session,
        [
            Message(phone=r.phone, text=r.text, person_id=r.person_id, dedupe_key=r.dedupe_key)
            for r in session.execute(source.where(shared))
        ],
    )
    rows = source.where(~shared).with_only_columns(
        *(source.selected_columns[name] for name in names),
        *(literal(value, table.c[name].type) for name, value in fixed.items()),
    )
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(table)
        .from_select([*names, *fixed], rows)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(table.c.id)
    )
    ids = [*session.execute(stmt).scalars()]
    if named:
        ids += _insert(session, named, fixed)
    ids.sort()
    add_events(session, [(i, SmsStatus.QUEUED, None) for i in ids], fixed["created_at"])
    size = job_size or settings.sms_batch_size
    for start in range(0, len(ids), size):
        chunk = ids[start : start + size]
        enqueue_after_commit(session, SEND_BATCH_JOB, chunk, queue=queue_name(priority), at=due)
    return ids


def _fixed(
    *, kind: str, priority: Priority, urgent: bool, due: datetime | None, broadcast_id: int | None
) -> dict[str, Any]:
    """The columns every SMS of one batch shares."""
    now = utcnow()
    return {
        "kind": kind,
        "priority": priority,
        "urgent": urgent,
        "not_before": due,
        "status": SmsStatus.QUEUED,
        "attempts": 0,
        "created_at": now,
        "updated_at": now,
        "broadcast_id": broadcast_id,
    }


def _insert(session: Session, messages: Sequence[Message], fixed: dict[str, Any]) -> list[int]:
    """Write `messages` with the `fixed` columns in one INSERT, skipping used dedupe keys;
    return the new ids."""
    encodings: dict[str, Encoded] = {}
    rows = [
        {
            **fixed,
            "text": (e := encodings.setdefault(m.text, encode(m.text))).text,
            "encoding": e.encoding,
            "segments": e.segments,
            "phone": m.phone,
            "person_id": m.person_id,
            "dedupe_key": m.dedupe_key,
        }
        for m in messages
    ]
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    stmt = (
        dialect.insert(OutboundSms.__table__)
        .on_conflict_do_nothing(index_elements=["dedupe_key"])
        .returning(OutboundSms.__table__.c.id)
    )
    return list(session.execute(stmt, rows).scalars())


def among(session: Session, column: ColumnElement[Any], values: Sequence[Any]) -> Any:
    """`column IN values`: on PostgreSQL `= ANY(array)`, one parameter whatever the count (the
    same SQL text for every batch, so nothing is re-parsed), `IN (...)` elsewhere."""
    if session.get_bind().dialect.name == "postgresql":
        kind = Integer if isinstance(column.type, Integer) else String
        return column == func.any(bindparam(None, list(values), type_=ARRAY(kind)))
    return column.in_(values)


def add_events(
    session: Session, events: Sequence[tuple[int, SmsStatus, str | None]], at: datetime
) -> None:
    """Many rows' history steps (sms id, status, detail) in one statement: an INSERT from
    `unnest` of three arrays on PostgreSQL (the same SQL text whatever the count), an
    executemany elsewhere."""
    if not events:
        return
    table = SmsEvent.__table__
    if session.get_bind().dialect.name != "postgresql":
        rows = [{"sms_id": i, "status": st.value, "detail": d, "at": at} for i, st, d in events]
        session.execute(insert(table), rows)
        return
    given = (
        func.unnest(
            bindparam("sms_ids", [i for i, _st, _d in events], type_=ARRAY(Integer)),
            bindparam("statuses", [st.value for _i, st, _d in events], type_=ARRAY(String)),
            bindparam("details", [d for _i, _st, d in events], type_=ARRAY(String)),
        )
        .table_valued("sms_id", "status", "detail")
        .render_derived(name="event")
    )
    rows = select(given.c.sms_id, given.c.status, given.c.detail, literal(at, table.c.at.type))
    session.execute(insert(table).from_select(["sms_id", "status", "detail", "at"], rows))


def encoded_cases(
    key: ColumnElement[Any], texts: dict[Any, str], default: str
) -> dict[str, ColumnElement[Any]]:
    """`text`, `encoding` and `segments` columns that pick, by `key`, one of `texts` (the
    `default` text for other keys), each encoded once here, for `queue_selected`."""
    encoded = {value: encode(text) for value, text in texts.items()}
    fallback = encode(default)

    def pick(field: str) -> ColumnElement[Any]:
        whens = {value: getattr(e, field) for value, e in encoded.items()}
        return case(whens, value=key, else_=getattr(fallback, field))

    return {
        "text": pick("text").label("text"),
        "encoding": pick("encoding").label("encoding"),
        "segments": pick("segments").label("segments"),
    }


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
