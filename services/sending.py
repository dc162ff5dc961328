"""Sending the outbox: claim rows atomically, send one text to many numbers per API call,
record Africa's Talking's answer per row, retry what may succeed later, sweep up after crashes.

The guarantee (see README, "Sending SMS"): a row is sent at most once, except inside the window
between claiming it (`sending`, committed) and recording the answer. A worker that dies there
leaves the row in `sending`; the sweeper marks it `review` and never resends it on its own.
"""

from __future__ import annotations

import logging
import os
import socket
from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import (
    Integer,
    String,
    and_,
    bindparam,
    func,
    or_,
    select,
    update,
)
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session

from models import DeliveryReport, OutboundSms, Person, Priority, SmsEvent, SmsStatus, utcnow
from runtime.context import Context, enqueue_after_commit
from runtime.settings import Settings
from services.delivery_reports import (
    apply_pending,
    apply_report,
    pending_reports,
    record_report,
)
from services.gateways import Gateway, GatewayError, RecipientResult
from services.outbox import SEND_BATCH_JOB, add_events, among, queue_name
from services.pause import pause_bulk, paused
from services.people import opt_out_number
from services.quiet import quiet_until
from services.rate import limiter_for

log = logging.getLogger(__name__)

ACCEPTED = frozenset({100, 101, 102})
TRANSIENT = frozenset({500, 501, 502})
#: Where a row accepted in this call may already be when its early delivery report applies.
SENT_OR_AFTER = (SmsStatus.SENT,)
NO_BALANCE = 405
BLACKLISTED = 406


def worker_name() -> str:
    """Who claims a row: host and process id (kept on the row for `ikimina outbox`)."""
    return f"{socket.gethostname()}:{os.getpid()}"


@dataclass(frozen=True)
class Claimed:
    """A claimed row, as much as sending needs."""

    id: int
    phone: str
    text: str


def deliver(ctx: Context, ids: Sequence[int], gateway: Gateway) -> int:
    """Send the rows `ids` that are due and still queued, a batch at a time (claim, send,
    record); return how many AT accepted."""
    settings = ctx.settings
    size = settings.sms_batch_size
    ids = list(ids)
    sent = 0
    limiter = limiter_for(settings.redis_url)
    for start in range(0, len(ids), size):
        with ctx.db.session() as session:
            claimed = _claim(session, settings, ids[start : start + size], utcnow())
        for text, chunk in batches(claimed, size):
            limiter.take(len(chunk), settings.sms_rate_per_s)  # shared by every worker (Redis)
            try:
                outcome: list[RecipientResult] | GatewayError = gateway.send(
                    text, [c.phone for c in chunk]
                )
            except GatewayError as exc:
                log.warning("send of %d SMS failed: %s", len(chunk), exc.reason)
                outcome = exc
            with ctx.db.session() as session:
                sent += record(session, settings, [c.id for c in chunk], outcome)
            _local_reports(ctx, gateway, outcome)
    return sent


def _local_reports(
    ctx: Context, gateway: Gateway, outcome: list[RecipientResult] | GatewayError
) -> None:
    """The local gateway's delivery reports, recorded as if the network had posted them."""
    reports = getattr(gateway, "delivery_reports", None)
    if reports is None or isinstance(outcome, GatewayError):
        return
    with ctx.db.session() as session:
        for form in reports(outcome):
            record_report(session, form)


def _claim(session: Session, settings: Settings, ids: list[int], now: datetime) -> list[Claimed]:
    """Hold back bulk rows in quiet hours or while paused, cancel opted-out rows, and claim the
    rest: queued -> sending in one UPDATE, so two workers never claim the same row. Set-based:
    a few statements whatever the number of rows."""
    _hold_for_quiet_hours(session, settings, ids, now)
    table = OutboundSms.__table__
    due = or_(table.c.not_before.is_(None), table.c.not_before <= now)
    pick = select(table.c.id).where(
        among(session, table.c.id, ids), table.c.status == SmsStatus.QUEUED, due
    )
    if paused(session) is not None:
        pick = pick.where(table.c.priority == Priority.HIGH)
    if session.get_bind().dialect.name == "postgresql":
        pick = pick.with_for_update(skip_locked=True)
    rows = session.execute(
        update(table)
        .where(table.c.id.in_(pick.scalar_subquery()), table.c.status == SmsStatus.QUEUED)
        .values(
            status=SmsStatus.SENDING,
            claimed_at=now,
            claimed_by=worker_name(),
            attempts=table.c.attempts + 1,
            updated_at=now,
        )
        .returning(
            table.c.id,
            table.c.phone,
            table.c.text,
            table.c.kind,
            table.c.person_id,
            table.c.attempts,
        )
    ).all()
    if not rows:
        return []
    rows = sorted(rows, key=lambda r: r.id)
    out = _opted_out(session, rows)
    if out:
        session.execute(
            update(table)
            .where(among(session, table.c.id, sorted(out)))
            .values(status=SmsStatus.CANCELLED, updated_at=now)
        )
    add_events(
        session,
        [
            (r.id, SmsStatus.CANCELLED, "opted out")
            if r.id in out
            else (r.id, SmsStatus.SENDING, f"attempt {r.attempts}")
            for r in rows
        ],
        now,
    )
    return [Claimed(r.id, r.phone, r.text) for r in rows if r.id not in out]


def _hold_for_quiet_hours(
    session: Session, settings: Settings, ids: list[int], now: datetime
) -> None:
    until = quiet_until(now, settings)
    if until is None:
        return
    held = list(
        session.scalars(
            update(OutboundSms)
            .where(
                OutboundSms.id.in_(ids),
                OutboundSms.status == SmsStatus.QUEUED,
                OutboundSms.priority == Priority.BULK,
                OutboundSms.urgent.is_(False),
            )
            .values(not_before=until, updated_at=now)
            .returning(OutboundSms.id)
            .execution_options(synchronize_session=False)
        )
    )
    if held:
        enqueue_after_commit(session, SEND_BATCH_JOB, held, queue="bulk", at=until)


def _opted_out(session: Session, rows: Sequence[Any]) -> set[int]:
    """Rows to cancel because their person sent STOP: all but direct replies to something the
    person just sent (the STOP's own confirmation, a HELP), which they asked for."""
    rows = [r for r in rows if r.kind != "reply"]
    if not rows:
        return set()
    phones = {r.phone for r in rows}
    people = {r.person_id for r in rows if r.person_id is not None}
    out = session.execute(
        select(Person.id, Person.phone).where(
            Person.opted_out.is_(True),
            or_(
                among(session, Person.phone, sorted(phones)),
                among(session, Person.id, sorted(people)),
            ),
        )
    ).all()
    out_ids, out_phones = {p.id for p in out}, {p.phone for p in out}
    return {r.id for r in rows if r.person_id in out_ids or r.phone in out_phones}


def batches(claimed: Sequence[Claimed], size: int) -> Iterator[tuple[str, list[Claimed]]]:
    """Rows grouped by text, in chunks of at most `size` distinct numbers (AT answers per
    number, so a number appears once per call)."""
    by_text: dict[str, list[Claimed]] = defaultdict(list)
    for c in claimed:
        by_text[c.text].append(c)
    for text, rows in by_text.items():
        while rows:
            chunk: list[Claimed] = []
            phones: set[str] = set()
            rest: list[Claimed] = []
            for c in rows:
                if len(chunk) < size and c.phone not in phones:
                    chunk.append(c)
                    phones.add(c.phone)
                else:
                    rest.append(c)
            yield text, chunk
            rows = rest


def record(
    session: Session,
    settings: Settings,
    ids: list[int],
    outcome: list[RecipientResult] | GatewayError,
) -> int:
    """Write what became of each row of one call; return how many AT accepted. The accepted
    rows (nearly all) are marked sent in one UPDATE; the others row by row."""
    if isinstance(outcome, GatewayError):
        rows = _open_rows(session, ids)
        retry: list[tuple[OutboundSms, str]] = []
        for row in rows:
            if outcome.maybe_sent and not settings.sms_resend_on_timeout:
                _to_review(session, row, f"no answer, may have been sent: {outcome.reason}")
            elif outcome.transient:
                retry.append((row, outcome.reason))
            else:
                _fail(session, row, outcome.reason)
        _retry(session, settings, retry)
        return 0
    answers = {r.phone: r for r in outcome}
    table = OutboundSms.__table__
    open_ = session.execute(
        select(table.c.id, table.c.phone).where(
            among(session, table.c.id, ids),
            table.c.status.in_([SmsStatus.SENDING, SmsStatus.REVIEW]),
        )
    ).all()
    accepted = {
        r.id: answers[r.phone]
        for r in open_
        if r.phone in answers and answers[r.phone].status_code in ACCEPTED
    }
    sent = _mark_sent(session, accepted)
    rows = _open_rows(session, [r.id for r in open_ if r.id not in accepted])
    retry = []
    for row in rows:
        answer = answers.get(row.phone)
        if answer is None:
            _fail(session, row, "Africa's Talking's answer did not list this number")
        elif answer.status_code in TRANSIENT:
            retry.append((row, f"{answer.status_code} {answer.status}"))
        elif answer.status_code == NO_BALANCE:
            _no_balance(session, settings, row, answer, retry)
        else:
            _fail(session, row, f"{answer.status_code} {answer.status}", answer.status_code)
            if answer.status_code == BLACKLISTED:
                opt_out_number(session, row.phone, row.person_id)
    _retry(session, settings, retry)
    waiting = pending_reports(session, [a.message_id for a in accepted.values() if a.message_id])
    if waiting:
        rows = [*rows, *_open_rows(session, ids, SENT_OR_AFTER, at_message_ids=waiting)]
    apply_pending(session, rows)
    return sent


def _open_rows(
    session: Session,
    ids: list[int],
    statuses: Sequence[SmsStatus] = (SmsStatus.SENDING, SmsStatus.REVIEW),
    at_message_ids: set[str] | None = None,
) -> Sequence[OutboundSms]:
    if not ids:
        return []
    query = select(OutboundSms).where(OutboundSms.id.in_(ids), OutboundSms.status.in_(statuses))
    if at_message_ids is not None:
        query = query.where(OutboundSms.at_message_id.in_(at_message_ids))
    return session.scalars(query.order_by(OutboundSms.id)).all()


def _mark_sent(session: Session, accepted: dict[int, RecipientResult]) -> int:
    """Rows AT accepted, with their message ids and costs: one UPDATE (a VALUES list on
    PostgreSQL, executemany elsewhere) and one INSERT of their events."""
    if not accepted:
        return 0
    table, now = OutboundSms.__table__, utcnow()
    answers = [
        {"sid": i, "mid": a.message_id, "code": a.status_code, "cost": a.cost}
        for i, a in sorted(accepted.items())
    ]
    still_open = or_(table.c.status == SmsStatus.SENDING, table.c.status == SmsStatus.REVIEW)
    done = {"status": SmsStatus.SENT, "sent_at": now, "updated_at": now}
    if session.get_bind().dialect.name == "postgresql":  # one UPDATE from arrays
        given = (
            func.unnest(
                *(
                    bindparam(name, [a[name] for a in answers], type_=ARRAY(kind))
                    for name, kind in (("sid", Integer), ("mid", String), ("code", Integer))
                ),
                bindparam("cost", [a["cost"] for a in answers], type_=ARRAY(String)),
            )
            .table_valued("sid", "mid", "code", "cost")
            .render_derived(name="answer")
        )
        stmt = (
            update(table)
            .where(table.c.id == given.c.sid, still_open)
            .values(
                at_message_id=given.c.mid, at_status_code=given.c.code, cost=given.c.cost, **done
            )
        )
        session.execute(stmt)
    else:
        stmt = (
            update(table)
            .where(table.c.id == bindparam("sid"), still_open)
            .values(
                at_message_id=bindparam("mid"),
                at_status_code=bindparam("code"),
                cost=bindparam("cost"),
                **done,
            )
        )
        session.connection().execute(stmt, answers)
    add_events(
        session,
        [
            (i, SmsStatus.SENT, f"{a.status_code} {a.status} id={a.message_id} cost={a.cost}")
            for i, a in sorted(accepted.items())
        ],
        now,
    )
    return len(accepted)


def _sent(session: Session, row: OutboundSms, answer: RecipientResult) -> None:
    row.status = SmsStatus.SENT
    row.at_message_id = answer.message_id
    row.at_status_code = answer.status_code
    row.cost = answer.cost
    row.sent_at = utcnow()
    detail = f"{answer.status_code} {answer.status} id={answer.message_id} cost={answer.cost}"
    _event(session, row, SmsStatus.SENT, detail)


def _fail(session: Session, row: OutboundSms, reason: str, code: int | None = None) -> None:
    row.status = SmsStatus.FAILED
    row.failure_reason = reason[:300]
    row.at_status_code = code
    _event(session, row, SmsStatus.FAILED, reason)


def _to_review(session: Session, row: OutboundSms, reason: str) -> None:
    row.status = SmsStatus.REVIEW
    row.failure_reason = reason[:300]
    _event(session, row, SmsStatus.REVIEW, reason)


def _no_balance(
    session: Session,
    settings: Settings,
    row: OutboundSms,
    answer: RecipientResult,
    retry: list[tuple[OutboundSms, str]],
) -> None:
    reason = f"{answer.status_code} {answer.status}"
    if row.priority is Priority.HIGH:
        retry.append((row, reason))
    else:
        row.status = SmsStatus.QUEUED
        row.attempts -= 1  # not the message's fault: it waits for the top-up
        _event(session, row, SmsStatus.QUEUED, f"{reason}: waits until bulk sending resumes")
    if paused(session) is None:
        pause_bulk(session, settings, f"Africa's Talking answered {reason}")


def _retry(session: Session, settings: Settings, rows: list[tuple[OutboundSms, str]]) -> None:
    """Back to the queue with exponential backoff, or failed after the last attempt."""
    jobs: dict[tuple[str, datetime], list[int]] = defaultdict(list)
    now = utcnow()
    for row, reason in rows:
        if row.attempts >= settings.sms_max_attempts:
            _fail(session, row, f"gave up after {row.attempts} attempts: {reason}")
            continue
        delay = settings.sms_retry_base_s * 2 ** max(row.attempts - 1, 0)
        row.status = SmsStatus.QUEUED
        row.not_before = now + timedelta(seconds=delay)
        _event(session, row, SmsStatus.QUEUED, f"retry in {delay:.0f}s: {reason}")
        jobs[(queue_name(row.priority), row.not_before)].append(row.id)
    for (queue, at), ids in jobs.items():
        enqueue_after_commit(session, SEND_BATCH_JOB, ids, queue=queue, at=at)


def _event(session: Session, row: OutboundSms, status: SmsStatus, detail: str | None) -> None:
    session.add(SmsEvent(sms_id=row.id, status=status.value, detail=detail))


def sweep(ctx: Context, now: datetime | None = None) -> dict[str, int]:
    """Recover after lost jobs and crashed workers (periodic).

    Queued rows that are due but untouched for `sms_requeue_after_s` get a new send job (their
    job was lost, e.g. Redis was down at commit; a second job is harmless: claiming is atomic).
    Rows in `sending` for longer than `sms_claim_timeout_s` are marked `review`, unless a
    delivery report for their number proves they were sent.
    """
    now = now or utcnow()
    stale = now - timedelta(seconds=ctx.settings.sms_claim_timeout_s)
    lost = now - timedelta(seconds=ctx.settings.sms_requeue_after_s)
    counts = {"requeued": requeue_waiting(ctx, lost, now), "review": 0, "resolved": 0}
    with ctx.db.session() as session:
        stuck = session.scalars(
            select(OutboundSms)
            .where(OutboundSms.status == SmsStatus.SENDING, OutboundSms.claimed_at < stale)
            .order_by(OutboundSms.id)
        ).all()
        for row in stuck:
            report = _evidence(session, row)
            if report is not None:
                apply_report(session, row, report)
                counts["resolved"] += 1
            else:
                _to_review(session, row, f"worker {row.claimed_by} stopped while sending")
                counts["review"] += 1
    if counts["review"]:
        log.error("%d SMS may or may not have been sent: see `ikimina outbox`", counts["review"])
    return counts


def _evidence(session: Session, row: OutboundSms) -> DeliveryReport | None:
    """An unmatched delivery report for the row's number, received after it was claimed,
    when no other row to that number was in flight: proof AT sent it."""
    reports = session.scalars(
        select(DeliveryReport).where(
            DeliveryReport.matched.is_(False),
            DeliveryReport.phone == row.phone,
            DeliveryReport.received_at >= row.claimed_at,
        )
    ).all()
    others = session.scalar(
        select(OutboundSms.id)
        .where(
            OutboundSms.phone == row.phone,
            OutboundSms.id != row.id,
            OutboundSms.status.in_([SmsStatus.SENDING, SmsStatus.SENT, SmsStatus.REVIEW]),
            OutboundSms.claimed_at >= row.claimed_at,
        )
        .limit(1)
    )
    return reports[-1] if len(reports) >= 1 and others is None else None


def requeue_waiting(
    ctx: Context, older_than: datetime, now: datetime, only_bulk: bool = False
) -> int:
    """Give a new send job to due, queued rows last touched before `older_than` (keyset pages
    of `sms_batch_size`, so memory stays flat)."""
    size = ctx.settings.sms_batch_size
    after, total = 0, 0
    while True:
        with ctx.db.session() as session:
            if only_bulk:
                priorities = [Priority.BULK]
            elif paused(session) is not None:
                priorities = [Priority.HIGH]
            else:
                priorities = [Priority.HIGH, Priority.BULK]
            page = session.execute(
                select(OutboundSms.id, OutboundSms.priority)
                .where(
                    OutboundSms.id > after,
                    OutboundSms.status == SmsStatus.QUEUED,
                    OutboundSms.priority.in_(priorities),
                    OutboundSms.updated_at < older_than,
                    or_(OutboundSms.not_before.is_(None), OutboundSms.not_before <= now),
                )
                .order_by(OutboundSms.id)
                .limit(size)
            ).all()
            if not page:
                return total
            after = page[-1].id
            ids = [r.id for r in page]
            session.execute(
                update(OutboundSms)
                .where(and_(OutboundSms.id.in_(ids), OutboundSms.status == SmsStatus.QUEUED))
                .values(updated_at=now)
                .execution_options(synchronize_session=False)
            )
            for priority in {r.priority for r in page}:
                chunk = [r.id for r in page if r.priority is priority]
                enqueue_after_commit(session, SEND_BATCH_JOB, chunk, queue=queue_name(priority))
            total += len(ids)
