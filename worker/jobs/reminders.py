"""The reminders job: run by the scheduler every 15 minutes (see worker/schedule.py)."""

from __future__ import annotations

from models import utcnow
from worker.context import current
from worker.reminders import queue_due


def queue_due_reminders() -> int:
    """Queue every reminder whose time has come; safe to run twice, or twice at once."""
    ctx = current()
    with ctx.db.session() as session:
        return queue_due(session, ctx.settings, utcnow())
