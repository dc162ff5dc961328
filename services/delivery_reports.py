"""Delivery reports: what Africa's Talking says became of a sent SMS.

Every report is stored. A report moves its SMS forward only: `sent` may become `delivered` or
`failed`, and those are final, so reports that come late, twice or out of order change nothing
they should not. A report for an id we do not know yet is kept unmatched and applied when the
send's answer records that id.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Mapping
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import DeliveryReport, OutboundSms, SmsEvent, SmsStatus, utcnow
from services.people import opt_out_number

log = logging.getLogger(__name__)

ON_THE_WAY = frozenset({"Sent", "Submitted", "Buffered"})
DELIVERED = frozenset({"Success"})
UNDELIVERED = frozenset({"Rejected", "Failed", "AbsentSubscriber", "Expired"})
FINAL = frozenset({SmsStatus.DELIVERED, SmsStatus.FAILED, SmsStatus.CANCELLED})
#: Rows a report may move: not yet answered, answered, or waiting for staff.
OPEN = frozenset({SmsStatus.QUEUED, SmsStatus.SENDING, SmsStatus.REVIEW, SmsStatus.SENT})


class BadReport(ValueError):
    """A delivery report without its `id` or `status`."""


def status_for(report_status: str) -> SmsStatus | None:
    """The outbox status an Africa's Talking delivery status means (None: unknown)."""
    if report_status in ON_THE_WAY:
        return SmsStatus.SENT
    if report_status in DELIVERED:
        return SmsStatus.DELIVERED
    if report_status in UNDELIVERED:
        return SmsStatus.FAILED
    return None


def record_report(session: Session, form: Mapping[str, Any]) -> DeliveryReport:
    """Store the report AT posted and apply it to its SMS, if we know the id."""
    at_id, status = (form.get("id") or "").strip(), (form.get("status") or "").strip()
    if not at_id or not status:
        raise BadReport("a delivery report needs id and status")
    retry = form.get("retryCount")
    if isinstance(retry, str):
        retry = retry.strip()
        retry = int(retry) if retry.isascii() and retry.isdigit() and len(retry) < 10 else None
    report = DeliveryReport(
        at_message_id=at_id[:100],
        status=status[:40],
        phone=(form.get("phoneNumber") or None),
        failure_reason=(form.get("failureReason") or None),
        network_code=(form.get("networkCode") or None),
        retry_count=retry,
    )
    session.add(report)
    row = session.scalar(
        select(OutboundSms).where(OutboundSms.at_message_id == report.at_message_id)
    )
    if row is None:
        log.warning("delivery report for unknown message id %s (%s)", at_id, status)
    else:
        apply_report(session, row, report)
    session.flush()
    return report


def apply_report(session: Session, row: OutboundSms, report: DeliveryReport) -> None:
    """Move `row` forward as `report` says; a final status is never overwritten."""
    report.matched = True
    target = status_for(report.status)
    if target is None or row.status not in OPEN:
        return
    if target is SmsStatus.SENT and row.status is SmsStatus.SENT:
        return
    if row.status is not SmsStatus.SENT and row.at_message_id is None:
        row.at_message_id = report.at_message_id  # evidence for a row stuck in `sending`
    now = utcnow()
    row.status = target
    row.sent_at = row.sent_at or now
    if target is SmsStatus.DELIVERED:
        row.delivered_at = now
    if target is SmsStatus.FAILED:
        row.failure_reason = report.failure_reason or report.status
        if report.failure_reason == "UserInBlackList":
            opt_out_number(session, row.phone, row.person_id)
    detail = f"delivery report: {report.status}"
    if report.failure_reason:
        detail += f" ({report.failure_reason})"
    row.events.append(SmsEvent(status=target.value, detail=detail))


def pending_reports(session: Session, message_ids: list[str]) -> set[str]:
    """Which of `message_ids` have a report that arrived before their send's answer."""
    if not message_ids:
        return set()
    return set(
        session.scalars(
            select(DeliveryReport.at_message_id).where(
                DeliveryReport.at_message_id.in_(message_ids), DeliveryReport.matched.is_(False)
            )
        )
    )


def apply_pending(session: Session, rows: Iterable[OutboundSms]) -> None:
    """Apply reports that arrived before their send's answer was recorded."""
    by_id = {row.at_message_id: row for row in rows if row.at_message_id}
    if not by_id:
        return
    pending = session.scalars(
        select(DeliveryReport)
        .where(DeliveryReport.at_message_id.in_(by_id), DeliveryReport.matched.is_(False))
        .order_by(DeliveryReport.id)
    )
    for report in pending:
        apply_report(session, by_id[report.at_message_id], report)
