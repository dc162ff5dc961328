"""Inbound SMS jobs: run a stored message's command, alert on absence cases."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select

from models import InboundSms, InboundStatus, utcnow
from services import attendance
from sms.commands import INTERPRETER
from sms.inbound import PROCESS_JOB
from worker.process import context

#: An inbound SMS still `received` this long after it arrived lost its job (Redis was down).
STRANDED_AFTER = timedelta(seconds=10)


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


def sweep_inbound() -> int:
    """Periodic: queue again every inbound SMS still `received` after STRANDED_AFTER (its job
    was lost, e.g. Redis was down when it arrived). Running one twice is harmless: a message
    is run only while `received`."""
    ctx = context()
    with ctx.db.session() as session:
        ids = session.scalars(
            select(InboundSms.id)
            .where(
                InboundSms.status == InboundStatus.RECEIVED,
                InboundSms.received_at < utcnow() - STRANDED_AFTER,
            )
            .order_by(InboundSms.id)
            .limit(1000)
        ).all()
    for inbound_id in ids:
        ctx.runner.enqueue(PROCESS_JOB, inbound_id, queue="high")
    return len(ids)
