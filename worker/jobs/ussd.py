"""USSD analytics, written after the hop has been answered."""

from __future__ import annotations

from typing import Any

from services.ussd_sessions import RedisHops
from services.ussd_sessions import record_hop as store_hop
from worker.process import context


def record_hop(hop: dict[str, Any]) -> None:
    """Store one USSD hop and update its session (the engine describes the hop)."""
    with context().db.session() as db:
        store_hop(db, hop)


def store_hops() -> int:
    """Periodic: move the hops the web processes appended in Redis into the database."""
    ctx = context()
    if not ctx.settings.uses_redis:
        return 0
    return RedisHops(ctx.settings.redis_url).drain(ctx.db)
