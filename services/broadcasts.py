"""Broadcasts: one message (a text per language) to an audience, now or at a set time.

The core the CLI, the SMS `BC` command and the web console share:

- `preview(session, settings, audience, texts)`:
  who would get what, in how many segments, at what cost;
- `create(session, settings, audience, texts, send_at=..., urgent=...)`:
  validate, store, and fan out in the worker after commit (or at `send_at`);
- `counts(session, broadcast_id)`: how many of its SMS are in each state.

The fan-out walks the audience by id in pages and writes each page's outbox rows with one
`INSERT ... SELECT` (the rows never come into Python), with dedupe keys
`bc:{broadcast}:{person}`, so its memory stays flat and a re-run writes nothing twice.
Opted-out people are skipped, and checked again when each SMS is sent.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import String, cast, func, literal, or_, select
from sqlalchemy.orm import Session

from locales import DEFAULT_LANGUAGE, LANGUAGES
from models import (
    Broadcast,
    BroadcastStatus,
    Language,
    OutboundSms,
    Person,
    Priority,
    SmsStatus,
    utcnow,
)
from models.audience import Audience, BadAudience, parse, people, unknown_names
from runtime.context import Context, enqueue_after_commit
from runtime.settings import Settings
from services.gsm7 import encode
from services.outbox import encoded_cases, queue_selected

FAN_OUT_JOB = "worker.jobs.outbound.fan_out_broadcast"
#: People per page of the fan-out (one `INSERT ... SELECT` and one commit each).
FAN_OUT_PAGE = 5000
#: Send batches per send job of a broadcast (each job claims one batch at a time).
BATCHES_PER_JOB = 5


class BadBroadcast(ValueError):
    """A broadcast that cannot go out as asked; the message says what to change."""


@dataclass(frozen=True)
class LanguageShare:
    """The recipients who speak `language` and the text they get."""

    language: str
    recipients: int
    text_language: str  # the text they get: theirs, else rw, else any
    segments: int
    encoding: str


@dataclass(frozen=True)
class Preview:
    audience: str
    recipients: int  # not opted out
    opted_out: int
    languages: tuple[LanguageShare, ...]
    total_segments: int
    estimated_cost: float  # total_segments x SMS_COST_PER_SEGMENT
    unknown_names: tuple[str, ...]


def clean_texts(texts: dict[str, str | None]) -> dict[str, str]:
    """The non-empty texts by language; raise BadBroadcast for an unknown language or none."""
    cleaned = {lang.lower(): text.strip() for lang, text in texts.items() if text and text.strip()}
    unknown = sorted(set(cleaned) - set(LANGUAGES))
    if unknown:
        raise BadBroadcast(f"unknown language {unknown[0]!r}; use {', '.join(LANGUAGES)}")
    if not cleaned:
        raise BadBroadcast("give a text in at least one language (rw, en or fr)")
    return cleaned


def text_language(texts: dict[str, str], language: str) -> str:
    """Which text a person speaking `language` gets: theirs, else Kinyarwanda, else any."""
    for lang in (language, DEFAULT_LANGUAGE, *LANGUAGES):
        if lang in texts:
            return lang
    raise BadBroadcast("no text")


def _audience(expression: str) -> Audience:
    try:
        return parse(expression)
    except BadAudience as exc:
        raise BadBroadcast(str(exc)) from exc


def preview(session: Session, settings: Settings, audience: str, texts: dict[str, str]) -> Preview:
    """Recipients, per-language counts and segments, total segments and estimated cost."""
    parsed = _audience(audience)
    cleaned = clean_texts(texts)
    ids = people(parsed).with_only_columns(Person.id).order_by(None)
    counts = session.execute(
        select(Person.language, Person.opted_out, func.count())
        .where(Person.id.in_(ids))
        .group_by(Person.language, Person.opted_out)
    ).all()
    by_language: dict[str, int] = {}
    opted_out = 0
    for language, out, n in counts:
        if out:
            opted_out += n
        else:
            by_language[str(language)] = by_language.get(str(language), 0) + n
    shares = []
    for language in sorted(by_language, key=lambda lang: (lang not in LANGUAGES, lang)):
        used = text_language(cleaned, language)
        encoded = encode(cleaned[used])
        shares.append(
            LanguageShare(language, by_language[language], used, encoded.segments, encoded.encoding)
        )
    total = sum(s.recipients * s.segments for s in shares)
    return Preview(
        audience=str(parsed),
        recipients=sum(by_language.values()),
        opted_out=opted_out,
        languages=tuple(shares),
        total_segments=total,
        estimated_cost=total * settings.sms_cost_per_segment,
        unknown_names=tuple(unknown_names(session, parsed)),
    )


def draft(
    session: Session,
    settings: Settings,
    audience: str,
    texts: dict[str, str],
    *,
    send_at: datetime | None = None,
    urgent: bool = False,
    created_by_id: int | None = None,
) -> Broadcast:
    """Validate and store a broadcast that waits for `release` (the SMS `BC` command's
    confirmation step). Raise BadBroadcast for unknown names, no recipients or bad texts."""
    seen = preview(session, settings, audience, texts)
    if seen.unknown_names:
        raise BadBroadcast(f"no such {', '.join(seen.unknown_names)}")
    if not seen.recipients:
        raise BadBroadcast("nobody to send to in this audience")
    if send_at is not None and send_at.tzinfo is None:
        raise BadBroadcast("send_at needs a time zone")
    if send_at is not None and send_at <= utcnow():
        send_at = None
    broadcast = Broadcast(
        audience=seen.audience,
        texts=clean_texts(texts),
        urgent=urgent,
        scheduled_at=send_at,
        status=BroadcastStatus.DRAFT,
        created_by_id=created_by_id,
        recipients=seen.recipients,
    )
    session.add(broadcast)
    session.flush()
    return broadcast


def release(session: Session, broadcast: Broadcast) -> Broadcast:
    """Send a draft: the worker fans it out after commit (or at its `scheduled_at`)."""
    if broadcast.status is not BroadcastStatus.DRAFT:
        raise BadBroadcast(f"broadcast {broadcast.id} is {broadcast.status.value}, not a draft")
    broadcast.status = BroadcastStatus.SCHEDULED
    session.flush()
    at = (
        broadcast.scheduled_at
        if broadcast.scheduled_at and broadcast.scheduled_at > utcnow()
        else None
    )
    enqueue_after_commit(session, FAN_OUT_JOB, broadcast.id, queue="default", at=at)
    return broadcast


def create(
    session: Session,
    settings: Settings,
    audience: str,
    texts: dict[str, str],
    *,
    send_at: datetime | None = None,
    urgent: bool = False,
    created_by_id: int | None = None,
) -> Broadcast:
    """Store a broadcast and have the worker fan it out after commit (or at `send_at`, an
    aware datetime). Raise BadBroadcast for unknown names, no recipients or bad texts."""
    made = draft(
        session,
        settings,
        audience,
        texts,
        send_at=send_at,
        urgent=urgent,
        created_by_id=created_by_id,
    )
    return release(session, made)


def counts(session: Session, broadcast_id: int) -> dict[str, int]:
    """How many of the broadcast's SMS are in each state, plus `total`."""
    return counts_by_broadcast(session, [broadcast_id])[broadcast_id]


def counts_by_broadcast(
    session: Session, broadcast_ids: Iterable[int]
) -> dict[int, dict[str, int]]:
    """`counts` for each of several broadcasts, in one grouped query."""
    ids = set(broadcast_ids)
    found = {bid: dict.fromkeys((s.value for s in SmsStatus), 0) for bid in ids}
    if ids:
        rows = session.execute(
            select(OutboundSms.broadcast_id, OutboundSms.status, func.count())
            .where(OutboundSms.broadcast_id.in_(ids))
            .group_by(OutboundSms.broadcast_id, OutboundSms.status)
        ).all()
        for bid, status, n in rows:
            found[bid][SmsStatus(status).value] = n
    for counted in found.values():
        counted["total"] = sum(counted.values())
    return found


def fan_out(ctx: Context, broadcast_id: int) -> int:
    """Write one outbox row per recipient, page by page; return how many rows were new."""
    with ctx.db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        if broadcast is None or broadcast.status in (
            BroadcastStatus.DONE,
            BroadcastStatus.CANCELLED,
        ):
            return 0
        broadcast.status = BroadcastStatus.SENDING
        audience, texts, urgent = parse(broadcast.audience), broadcast.texts, broadcast.urgent
    audience_query = people(audience).where(Person.opted_out.is_(False))
    by_language = {lang: texts[text_language(texts, lang.value)] for lang in Language}
    columns = [
        Person.phone,
        Person.id.label("person_id"),
        *encoded_cases(
            Person.language, by_language, texts[text_language(texts, DEFAULT_LANGUAGE)]
        ).values(),
        (literal(f"bc:{broadcast_id}:") + cast(Person.id, String)).label("dedupe_key"),
    ]
    after, new = 0, 0
    while True:
        with ctx.db.session() as session:
            page = audience_query.where(Person.id > after)
            last = session.scalar(
                page.with_only_columns(Person.id).offset(FAN_OUT_PAGE - 1).limit(1)
            )
            if last is not None:
                page = page.where(Person.id <= last)
            new += len(
                queue_selected(
                    session,
                    ctx.settings,
                    page.with_only_columns(*columns).order_by(None),
                    kind="broadcast",
                    priority=Priority.BULK,
                    urgent=urgent,
                    broadcast_id=broadcast_id,
                    job_size=ctx.settings.sms_batch_size * BATCHES_PER_JOB,
                )
            )
        if last is None:
            break
        after = last
    with ctx.db.session() as session:
        broadcast = session.get(Broadcast, broadcast_id)
        assert broadcast is not None
        broadcast.status = BroadcastStatus.DONE
        broadcast.fanned_out_at = utcnow()
        broadcast.recipients = counts(session, broadcast_id)["total"]
    return new


def resume_stalled(ctx: Context, now: datetime | None = None) -> int:
    """Fan out again broadcasts whose fan-out job was lost (safe: dedupe keys)."""
    now = now or utcnow()
    stale = now - timedelta(seconds=ctx.settings.sms_claim_timeout_s)
    with ctx.db.session() as session:
        ids = session.scalars(
            select(Broadcast.id).where(
                Broadcast.status.in_([BroadcastStatus.SCHEDULED, BroadcastStatus.SENDING]),
                or_(
                    Broadcast.scheduled_at < stale,
                    Broadcast.scheduled_at.is_(None) & (Broadcast.created_at < stale),
                ),
            )
        ).all()
        for broadcast_id in ids:
            enqueue_after_commit(session, FAN_OUT_JOB, broadcast_id, queue="default")
    return len(ids)
