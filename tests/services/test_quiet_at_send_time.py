"""Bulk SMS that fall due in quiet hours after they were queued (a staff requeue, the end of a
bulk pause) are held at send time, and go out once the quiet hours end."""

from __future__ import annotations

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from support.sms import cli_env

from ikimina.cli import main
from models import OutboundSms, OutboxPause, Priority, SmsStatus, utcnow
from runtime.context import Context
from runtime.runners import InProcessRunner
from services.outbox import queue_sms
from worker.process import install

A = "+250788200001"


def _quiet_now(tz: str) -> tuple[str, str]:
    """Quiet hours from an hour ago to an hour from now (Kigali clock)."""
    local = utcnow().astimezone(ZoneInfo(tz))
    return (local - timedelta(hours=1)).strftime("%H:%M"), (local + timedelta(hours=1)).strftime(
        "%H:%M"
    )


@pytest.fixture
def at(at_settings):  # type: ignore[no-untyped-def]
    ctx = install(Context.build(at_settings, runner=InProcessRunner(eager=True)))
    yield ctx
    ctx.db.dispose()


def _env(ctx: Context, quiet: tuple[str, str]) -> dict[str, str]:
    return cli_env(ctx, QUIET_HOURS_START=quiet[0], QUIET_HOURS_END=quiet[1])


def _row(ctx: Context, sms_id: int) -> OutboundSms:
    with ctx.db.session() as s:
        return s.get(OutboundSms, sms_id)


def _failed_reminder(ctx: Context, standin) -> int:  # type: ignore[no-untyped-def]
    standin.config.codes[A] = 403  # never works: failed at once
    with ctx.db.session() as s:
        row = queue_sms(s, ctx.settings, A, "Inama ejo", kind="reminder", priority=Priority.BULK)
    standin.config.codes.clear()
    assert _row(ctx, row.id).status is SmsStatus.FAILED
    standin.requests.clear()
    return row.id


def test_a_bulk_sms_requeued_in_quiet_hours_waits_for_their_end(at, standin):
    quiet = _quiet_now(at.settings.tz)
    sms_id = _failed_reminder(at, standin)
    result = CliRunner().invoke(main, ["outbox", "--requeue", str(sms_id)], env=_env(at, quiet))
    assert result.exit_code == 0, result.output
    assert "Requeued 1 SMS." in result.output
    held = _row(at, sms_id)
    assert held.status is SmsStatus.QUEUED and standin.sent_to() == []
    assert held.not_before is not None and held.not_before > utcnow() + timedelta(minutes=50)

    sms_id = _failed_reminder(at, standin)  # by day the same requeue sends at once
    day = ("00:00", "00:00")
    result = CliRunner().invoke(main, ["outbox", "--requeue", str(sms_id)], env=_env(at, day))
    assert result.exit_code == 0, result.output
    assert _row(at, sms_id).status is SmsStatus.SENT and standin.sent_to() == [A]


def test_bulk_sms_resumed_in_quiet_hours_wait_for_their_end(at, standin):
    with at.db.session() as s:
        s.add(OutboxPause(queue="bulk", reason="405 no balance", since=utcnow()))
    with at.db.session() as s:
        row = queue_sms(s, at.settings, A, "Inama ejo", kind="reminder", priority=Priority.BULK)
    assert _row(at, row.id).status is SmsStatus.QUEUED and standin.sent_to() == []

    quiet = _quiet_now(at.settings.tz)
    result = CliRunner().invoke(main, ["outbox", "--resume-bulk"], env=_env(at, quiet))
    assert result.exit_code == 0, result.output
    assert "Bulk sending resumed." in result.output
    held = _row(at, row.id)
    assert held.status is SmsStatus.QUEUED and standin.sent_to() == []
    assert held.not_before is not None and held.not_before > utcnow() + timedelta(minutes=50)

    with at.db.session() as s:  # after the quiet hours: due, and the next resume sends it
        s.get(OutboundSms, row.id).not_before = utcnow() - timedelta(minutes=1)
    day = ("00:00", "00:00")
    result = CliRunner().invoke(main, ["outbox", "--resume-bulk"], env=_env(at, day))
    assert result.exit_code == 0, result.output
    assert _row(at, row.id).status is SmsStatus.SENT and standin.sent_to() == [A]
    with at.db.session() as s:
        assert s.scalars(select(OutboundSms.status)).all() == [SmsStatus.SENT]
