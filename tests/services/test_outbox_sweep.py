"""The sweeper's proof that a stuck SMS was sent: only a delivery report for its own number,
received after it was claimed, with no other SMS to that number in flight; anything less puts
it in `review` for staff (never resent on its own). Mutmut's survivors in `_evidence`."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from freezegun import freeze_time
from sqlalchemy import select

from models import DeliveryReport, OutboundSms, Priority, SmsStatus
from services.outbox import queue_sms
from services.sending import sweep

CLAIMED = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)
PHONE, OTHER = "+250788100001", "+250788100002"


def _stuck(context, *phones: str, claimed_at: datetime = CLAIMED) -> None:  # type: ignore[no-untyped-def]
    """Rows in `sending` as a worker that died after claiming them leaves them."""
    with context.db.session() as s:
        for n, phone in enumerate(phones):
            queue_sms(s, context.settings, phone, f"Text {n}", priority=Priority.HIGH)
    with context.db.session() as s:
        for n, row in enumerate(s.scalars(select(OutboundSms).order_by(OutboundSms.id))):
            row.status, row.claimed_at = SmsStatus.SENDING, claimed_at + timedelta(seconds=n)
            row.claimed_by = "host:42"


def _report(context, phone: str, received_at: datetime) -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        s.add(
            DeliveryReport(
                at_message_id="ATXid_1", status="Success", phone=phone, received_at=received_at
            )
        )


def _sweep(context) -> dict[str, int]:  # type: ignore[no-untyped-def]
    return sweep(context, now=CLAIMED + timedelta(seconds=context.settings.sms_claim_timeout_s + 5))


def _outcome(context) -> list[tuple[str, SmsStatus, str | None]]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        rows = s.scalars(select(OutboundSms).order_by(OutboundSms.id))
        return [(r.phone, r.status, r.failure_reason) for r in rows]


REVIEW = "worker host:42 stopped while sending"


@freeze_time(CLAIMED)
def test_a_report_received_the_second_it_was_claimed_proves_it_was_sent(context) -> None:
    _stuck(context, PHONE)
    _report(context, PHONE, CLAIMED)
    assert _sweep(context) == {"requeued": 0, "review": 0, "resolved": 1}
    assert _outcome(context) == [(PHONE, SmsStatus.DELIVERED, None)]


@freeze_time(CLAIMED)
def test_a_report_for_another_number_proves_nothing(context) -> None:
    _stuck(context, PHONE)
    _report(context, OTHER, CLAIMED + timedelta(seconds=3))
    assert _sweep(context) == {"requeued": 0, "review": 1, "resolved": 0}
    assert _outcome(context) == [(PHONE, SmsStatus.REVIEW, REVIEW)]


@freeze_time(CLAIMED)
def test_a_report_older_than_the_claim_proves_nothing(context) -> None:
    _stuck(context, PHONE)
    _report(context, PHONE, CLAIMED - timedelta(seconds=1))  # for an earlier SMS
    assert _sweep(context)["review"] == 1
    assert _outcome(context) == [(PHONE, SmsStatus.REVIEW, REVIEW)]


@freeze_time(CLAIMED)
def test_two_sms_in_flight_to_one_number_share_no_proof(context) -> None:
    _stuck(context, PHONE, PHONE)  # the second claimed a second after the first
    _report(context, PHONE, CLAIMED + timedelta(seconds=3))  # which one was it for?
    assert _sweep(context) == {"requeued": 0, "review": 1, "resolved": 1}
    assert _outcome(context) == [
        (PHONE, SmsStatus.REVIEW, REVIEW),
        (PHONE, SmsStatus.DELIVERED, None),  # nothing was claimed after it
    ]
