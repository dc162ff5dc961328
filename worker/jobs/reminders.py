"""The reminders job: run by the scheduler every 15 minutes (see worker/schedule.py)."""

from __future__ import annotations

from models import utcnow
from services.reminders import queue_due
from worker.process import context


def queue_due_reminders() -> int:
    """Queue every reminder whose time has come; safe to run twice, or twice at once."""
    ctx = context()
    with ctx.db.session() as session:
        return queue_due(session, ctx.settings, utcnow())
