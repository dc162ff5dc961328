"""The quiet-hours rule at its edges: the first minute is quiet, the end is not, a time with
no minutes, a bulk SMS planned for the night, the answer in UTC whatever the server's zone."""

from __future__ import annotations

import time
from datetime import UTC, datetime, timedelta

import pytest

from runtime.settings import Settings
from services.quiet import due_time, quiet_until

KIGALI = timedelta(hours=2)  # Kigali is UTC+2 all year


def _settings(start: str, end: str) -> Settings:
    return Settings.from_env({}, quiet_hours_start=start, quiet_hours_end=end)


def _at(day: int, hour: int, minute: int = 0) -> datetime:
    """A Kigali wall-clock time in December 2026, as UTC."""
    return datetime(2026, 12, day, hour, minute, tzinfo=UTC) - KIGALI


@pytest.mark.parametrize(
    ("window", "first", "last", "ends"),
    [
        (("21:00", "07:00"), _at(1, 21), _at(2, 6, 59), _at(2, 7)),  # over midnight
        (("13:00", "14:00"), _at(1, 13), _at(1, 13, 59), _at(1, 14)),  # within a day
    ],
)
def test_quiet_hours_hold_from_their_first_minute_to_just_before_their_end(
    window, first, last, ends
):
    quiet = _settings(*window)
    assert quiet_until(first - timedelta(minutes=1), quiet) is None
    assert quiet_until(first, quiet) == ends
    assert quiet_until(last, quiet) == ends
    assert quiet_until(ends, quiet) is None


def test_hours_without_minutes_are_whole_hours():
    night = _settings("21", "7")
    assert quiet_until(_at(1, 21, 0), night) == _at(2, 7)
    assert quiet_until(_at(2, 7, 0), night) is None


def test_a_bulk_sms_planned_for_the_night_waits_for_the_morning():
    night = _settings("21:00", "07:00")
    noon, evening = _at(1, 12), _at(1, 22)
    assert due_time(night, bulk=True, urgent=False, not_before=evening, now=noon) == _at(2, 7)
    assert due_time(night, bulk=True, urgent=False, not_before=_at(1, 15), now=noon) == _at(1, 15)
    assert due_time(night, bulk=True, urgent=False, not_before=None, now=evening) == _at(2, 7)
    assert due_time(night, bulk=True, urgent=True, not_before=evening, now=noon) == evening
    assert due_time(night, bulk=False, urgent=False, not_before=None, now=evening) is None


def test_the_end_of_the_quiet_hours_is_in_utc_whatever_the_servers_zone(monkeypatch):
    monkeypatch.setenv("TZ", "Africa/Kigali")
    time.tzset()
    try:
        until = quiet_until(_at(1, 22), _settings("21:00", "07:00"))
    finally:
        monkeypatch.undo()
        time.tzset()
    assert until is not None and until.utcoffset() == timedelta(0)
    assert until.isoformat() == "2026-12-02T05:00:00+00:00"


@pytest.mark.parametrize("value", ["21:00", "21"])
def test_settings_read_both_spellings(value):
    assert quiet_until(_at(1, 21, 30), _settings(value, "07:00")) == _at(2, 7)
