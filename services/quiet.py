"""Quiet hours: no reminders or broadcasts at night (21:00-07:00 Kigali) unless urgent.

The one implementation: the outbox, the sender and the reminders all ask this module.
"""

from __future__ import annotations

from datetime import UTC, datetime, time, timedelta
from zoneinfo import ZoneInfo

from runtime.settings import Settings


def _clock(value: str) -> time:
    hours, _, minutes = value.partition(":")
    return time(int(hours), int(minutes or 0))


def quiet_until(moment: datetime, settings: Settings) -> datetime | None:
    """When quiet hours that hold at `moment` end (UTC), or None outside quiet hours."""
    local = moment.astimezone(ZoneInfo(settings.tz))
    start, end = _clock(settings.quiet_hours_start), _clock(settings.quiet_hours_end)
    now = local.time()
    quiet = (start <= now or now < end) if start > end else (start <= now < end)
    if not quiet:
        return None
    day = local.date() if now < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo).astimezone(UTC)


def out_of_quiet_hours(moment: datetime, settings: Settings) -> datetime:
    """`moment`, or the end of the quiet hours it falls in."""
    return quiet_until(moment, settings) or moment


def due_time(
    settings: Settings,
    *,
    bulk: bool,
    urgent: bool,
    not_before: datetime | None,
    now: datetime,
) -> datetime | None:
    """When an SMS may go: replies and urgent messages at `not_before` (None: now); bulk
    messages no earlier than the end of the quiet hours they would fall in."""
    if not bulk or urgent:
        return not_before
    moment = max(not_before, now) if not_before else now
    return quiet_until(moment, settings) or not_before
