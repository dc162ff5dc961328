"""Inbound SMS jobs: run a stored message's command, alert on absence cases."""

from __future__ import annotations

from services import attendance
from sms.commands import INTERPRETER
from worker.process import context


def process_inbound(inbound_id: int) -> None:
    """Run the command in one stored inbound SMS and queue its reply; a message is run once
    (on an error the job fails, and RQ keeps it in its failed registry)."""
    INTERPRETER.run_stored(context(), inbound_id)


def alert_case(case_id: int) -> None:
    """Tell the field officers and the VTC director about a newly opened case."""
    ctx = context()
    with ctx.db.session() as session:
        attendance.alert_opened(session, ctx.settings, case_id)


def alert_open_cases() -> int:
    """Periodic: queue any alert still missing for an open case."""
    ctx = context()
    with ctx.db.session() as session:
        return attendance.alert_open_cases(session, ctx.settings)
