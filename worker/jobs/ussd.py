"""USSD analytics, written after the hop has been answered."""

from __future__ import annotations

from typing import Any

from menus.analytics import record_hop as store_hop
from menus.hop_log import RedisHops
from worker.context import current


def record_hop(hop: dict[str, Any]) -> None:
    """Store one USSD hop and update its session (the engine describes the hop)."""
    with current().db.session() as db:
        store_hop(db, hop)


def store_hops() -> int:
    """Periodic: move the hops the web processes appended in Redis into the database."""
    context = current()
    if not context.settings.uses_redis:
        return 0
    return RedisHops(context.settings.redis_url).drain(context.db)
