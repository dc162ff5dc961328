"""USSD analytics: every session and hop (input masked), and Africa's Talking's end report.

With Redis, the web processes append hops to a list (`RedisHops.add`, one RPUSH) and the
periodic job stores them in batches (`RedisHops.drain`).
"""

from __future__ import annotations

import json
import logging
from datetime import datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from models import UssdHop, UssdSession
from runtime.database import Database

log = logging.getLogger(__name__)

HOPS_KEY = "ikimina:ussd:hops"
#: At most this many hops wait in Redis (the oldest are dropped beyond it: analytics only).
MAX_WAITING_HOPS = 50_000
#: Hops that could not be stored wait here for a look (the newest 1,000).
BAD_HOPS_SUFFIX = ":bad"
MAX_BAD_HOPS = 1_000
HOP_FIELDS = {
    "session_id": str,
    "phone": str,
    "service_code": str,
    "network_code": str,
    "language": str,
    "n": int,
    "input": str,
    "screen": str,
    "ended": bool,
    "elapsed_ms": (int, float),
    "at": str,
}
LIMITS = {
    "session_id": 100,
    "phone": 40,
    "service_code": 40,
    "network_code": 10,
    "language": 5,
    "input": 200,
    "screen": 40,
}


def session_row(db: Session, session_id: str, phone: str, **fields: Any) -> UssdSession:
    """The session's row, made on first sight (two writers racing both end with one row)."""
    row = db.scalar(select(UssdSession).where(UssdSession.session_id == session_id))
    if row is not None:
        return row
    try:
        with db.begin_nested():
            row = UssdSession(session_id=session_id, phone=phone, **fields)
            db.add(row)
            db.flush()
    except IntegrityError:
        row = db.scalars(select(UssdSession).where(UssdSession.session_id == session_id)).one()
    return row


def record_hop(db: Session, hop: dict[str, Any]) -> None:
    """Store one hop (as the engine describes it) and bring its session up to date."""
    record_hops(db, [hop])


def record_hops(db: Session, hops: list[dict[str, Any]]) -> None:
    """Store hops (in the order they were answered) and bring their sessions up to date."""
    ids = {hop["session_id"] for hop in hops}
    known = {
        row.session_id: row
        for row in db.scalars(select(UssdSession).where(UssdSession.session_id.in_(ids)))
    }
    for hop in hops:
        at = datetime.fromisoformat(hop["at"])
        session = known.get(hop["session_id"])
        if session is None:
            session = known[hop["session_id"]] = session_row(
                db,
                hop["session_id"],
                hop["phone"],
                service_code=hop["service_code"] or None,
                network_code=hop["network_code"] or None,
                started_at=at,
                last_hop_at=at,
            )
        session.language = hop["language"]
        session.hops = max(session.hops or 0, hop["n"])
        if at >= session.last_hop_at:
            session.last_hop_at = at
            session.last_screen = hop["screen"]
        if hop["ended"]:
            session.ended_at = at
        db.add(
            UssdHop(
                session_pk=session.id,
                n=hop["n"],
                input=hop["input"][-200:],
                screen=hop["screen"],
                ended=hop["ended"],
                elapsed_ms=hop["elapsed_ms"],
                at=at,
            )
        )


def record_end(
    db: Session,
    session_id: str,
    phone: str,
    *,
    status: str,
    cost: str | None,
    duration_ms: int | None,
    hops: int | None,
    error: str | None,
    ended_at: datetime | None,
) -> UssdSession:
    """Africa's Talking's end-of-session notification: status, cost, duration, hops, error."""
    session = session_row(db, session_id, phone)
    session.status = status or None
    session.cost = cost
    session.duration_ms = duration_ms
    session.hops = max(session.hops or 0, hops or 0)
    session.error = error
    if ended_at is not None and session.ended_at is None:
        session.ended_at = ended_at
    return session


class RedisHops:
    """Hops appended to a Redis list, stored in the database by `drain` in batches.

    `drain` stores a batch, commits, then trims it from the list, under a lock so two runs
    never store the same hops. A crash between the commit and the trim stores that batch
    twice (at least once, never lost).
    """

    def __init__(self, url: str, key: str = HOPS_KEY) -> None:
        from redis import Redis

        self.redis = Redis.from_url(url, socket_timeout=5)
        self.key = key

    def add(self, hop: dict[str, Any]) -> None:
        """Append `hop`; the list is capped at MAX_WAITING_HOPS (one round trip)."""
        pipe = self.redis.pipeline(transaction=False)
        pipe.rpush(self.key, json.dumps(hop))
        pipe.ltrim(self.key, -MAX_WAITING_HOPS, -1)
        pipe.execute()

    def drain(self, db: Database, batch: int = 500) -> int:
        """Move every waiting hop into the database; how many were stored. A hop that cannot
        be read or stored is set aside (`...:bad`), so it never blocks the ones after it."""
        lock = self.redis.lock(self.key + ":lock", timeout=300)
        if not lock.acquire(blocking=False):
            return 0  # another run is draining
        stored = 0
        try:
            while raws := self.redis.lrange(self.key, 0, batch - 1):
                hops, bad = _readable(raws)
                stored += self._store(db, hops, bad)
                if bad:
                    self._set_aside(bad)
                self.redis.ltrim(self.key, len(raws), -1)
        finally:
            lock.release()
        return stored

    def _store(self, db: Database, hops: list[dict[str, Any]], bad: list[bytes]) -> int:
        """Store `hops` in one transaction, or one by one when the batch fails."""
        try:
            with db.session() as session:
                record_hops(session, hops)
            return len(hops)
        except Exception:  # noqa: BLE001 - find the hop at fault, keep the others
            log.warning("ussd hops: a batch of %d failed; storing one by one", len(hops))
        stored = 0
        for hop in hops:
            try:
                with db.session() as session:
                    record_hops(session, [hop])
                stored += 1
            except Exception:  # noqa: BLE001
                log.exception("ussd hops: one hop set aside")
                bad.append(json.dumps(hop).encode())
        return stored

    def _set_aside(self, bad: list[bytes]) -> None:
        pipe = self.redis.pipeline(transaction=False)
        pipe.rpush(self.key + BAD_HOPS_SUFFIX, *bad)
        pipe.ltrim(self.key + BAD_HOPS_SUFFIX, -MAX_BAD_HOPS, -1)
        pipe.execute()


def _readable(raws: list[bytes]) -> tuple[list[dict[str, Any]], list[bytes]]:
    """The hops that parse and have every field, cleaned (NUL bytes, lengths); the others."""
    hops, bad = [], []
    for raw in raws:
        try:
            hop = json.loads(raw)
            clean = {}
            for name, kind in HOP_FIELDS.items():
                value = hop[name]
                if not isinstance(value, kind):
                    raise TypeError(name)
                if isinstance(value, str):
                    value = value.replace("\x00", "")[: LIMITS.get(name, 64)]
                clean[name] = value
            datetime.fromisoformat(clean["at"])
            if not clean["session_id"]:
                raise ValueError("session_id")
            hops.append(clean)
        except (ValueError, TypeError, KeyError):
            bad.append(raw)
    return hops, bad
