"""Every journey's screens, and the engine that serves them."""

from __future__ import annotations

from menus.engine import Engine, Screen
from menus.hop_log import hop_log_for
from menus.journeys import (
    books,
    field,
    home,
    join,
    leader,
    member,
    pin,
    resets,
    trainer,
    tvet,
)
from menus.store import SessionStore, store_for
from runtime.context import Context

SCREENS: list[Screen] = [
    *home.SCREENS,
    *pin.SCREENS,
    *member.SCREENS,
    *join.SCREENS,
    *trainer.SCREENS,
    *leader.SCREENS,
    *books.SCREENS,
    *field.SCREENS,
    *tvet.SCREENS,
    *resets.SCREENS,
]


def build_engine(context: Context, store: SessionStore | None = None) -> Engine:
    """The engine for `context`: sessions in Redis when REDIS_URL is set, in process otherwise."""
    settings = context.settings
    store = store if store is not None else store_for(settings.redis_url, context.db)
    hop_log = hop_log_for(settings.redis_url, context.runner, context.db)
    return Engine(settings, context.db, store, hop_log, SCREENS)
