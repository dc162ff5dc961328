"""The TVET job: run daily at 05:00 Kigali (see worker/schedule.py)."""

from __future__ import annotations

from datetime import date
from zoneinfo import ZoneInfo

from models import utcnow
from services.tvet import graduate_ended
from worker.process import context


def graduate_ended_intakes(today: str | None = None) -> int:
    """Graduate the active trainees of every intake that ended before `today` (ISO; default:
    today in Kigali); each graduate is texted once. Safe to run twice."""
    ctx = context()
    now = utcnow()
    day = date.fromisoformat(today) if today else now.astimezone(ZoneInfo(ctx.settings.tz)).date()
    with ctx.db.session() as session:
        count = graduate_ended(session, ctx.settings, day, now)
        session.commit()
    return count
