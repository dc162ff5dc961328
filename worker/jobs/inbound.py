"""Inbound SMS jobs: run a stored message's command, alert on absence cases, remind trainers."""

from __future__ import annotations

import logging
from datetime import date

from sqlalchemy import select

from locales.formatting import to_local
from models import AbsenceCase, CaseStatus, InboundSms, InboundStatus, utcnow
from sms import attendance
from sms.commands import INTERPRETER
from worker.context import current

log = logging.getLogger(__name__)


def process_inbound(inbound_id: int) -> None:
    """Run the command in one stored inbound SMS and queue its reply; a message is run once.

    On an error the message is marked failed with the error, a registered sender is asked to
    send it again later, and the job fails (RQ keeps it in its failed registry).
    """
    ctx = current()
    try:
        with ctx.db.session() as session:
            inbound = session.get(InboundSms, inbound_id, with_for_update=True)
            if inbound is None or inbound.status is not InboundStatus.RECEIVED:
                return
            handled = INTERPRETER.handle(session, inbound, ctx.settings)
            inbound.command = handled.command
            inbound.status = InboundStatus.PROCESSED
            inbound.processed_at = utcnow()
    except Exception as exc:
        log.exception("inbound SMS %s failed", inbound_id)
        with ctx.db.session() as session:
            inbound = session.get(InboundSms, inbound_id)
            if inbound is not None:
                inbound.command = INTERPRETER.command_name(inbound.text)
                inbound.status = InboundStatus.FAILED
                inbound.error = f"{type(exc).__name__}: {exc}"[:2000]
                inbound.processed_at = utcnow()
                INTERPRETER.apologise(session, inbound, ctx.settings)
        raise


def alert_case(case_id: int) -> None:
    """Tell the field officers and the VTC director about a newly opened case."""
    with current().db.session() as session:
        case = session.get(AbsenceCase, case_id)
        if case is not None and case.status is CaseStatus.OPEN:
            attendance.alert_case(session, case)


def alert_open_cases() -> int:
    """Queue any alert still missing for an open case (safe to repeat: one SMS per recipient).

    Covers an alert job lost between the case's commit and its enqueue."""
    with current().db.session() as session:
        cases = session.scalars(select(AbsenceCase).where(AbsenceCase.status == CaseStatus.OPEN))
        return sum(len(attendance.alert_case(session, case)) for case in cases)


def remind_missing_reports(today: str | None = None) -> int:
    """The weekly reminder to trainers who sent no attendance report this week (Kigali dates)."""
    ctx = current()
    day = date.fromisoformat(today) if today else to_local(utcnow(), ctx.settings.tz).date()
    with ctx.db.session() as session:
        return len(attendance.remind_missing_reports(session, day))
