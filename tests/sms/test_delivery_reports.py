"""Africa's Talking posts delivery reports to POST /sms/delivery: late, twice, out of order."""

from __future__ import annotations

import pytest
from sqlalchemy import select
from support import factories as make

from models import DeliveryReport, OutboundSms, Person, SmsStatus
from services.outbox import queue_sms

PHONE = "+250788100001"
URL = "/sms/delivery?token=test-token"


def _sent(context, status: SmsStatus = SmsStatus.SENT) -> OutboundSms:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        row = queue_sms(s, context.settings, PHONE, "Inama ejo saa munani")
    found = _state(context, row.id)
    assert found.status is status
    return found


def _report(client, message_id: str, status: str, **extra: str):  # type: ignore[no-untyped-def]
    form = {"id": message_id, "status": status, "phoneNumber": PHONE, "networkCode": "63510"}
    return client.post(URL, data={**form, **extra})


def _state(context, sms_id: int) -> OutboundSms:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        row = s.get(OutboundSms, sms_id)
        assert row is not None
        s.expunge(row)
        return row


def test_a_delivery_report_marks_the_sms_delivered_and_is_stored(client, context) -> None:
    sms = _sent(context)
    response = _report(client, sms.at_message_id, "Success")
    assert response.status_code == 200
    row = _state(context, sms.id)
    assert row.status is SmsStatus.DELIVERED and row.delivered_at is not None
    with context.db.session() as s:
        (stored,) = s.scalars(select(DeliveryReport)).all()
        assert stored.matched and stored.network_code == "63510"


def test_the_same_report_twice_changes_nothing_more(client, context) -> None:
    sms = _sent(context)
    assert _report(client, sms.at_message_id, "Success").status_code == 200
    assert _report(client, sms.at_message_id, "Success").status_code == 200
    assert _state(context, sms.id).status is SmsStatus.DELIVERED
    with context.db.session() as s:
        assert len(s.scalars(select(DeliveryReport)).all()) == 2


def test_an_earlier_report_arriving_late_never_overwrites_a_final_status(client, context) -> None:
    sms = _sent(context)
    _report(client, sms.at_message_id, "Success")
    _report(client, sms.at_message_id, "Buffered")
    _report(client, sms.at_message_id, "Failed", failureReason="DeliveryFailure")
    assert _state(context, sms.id).status is SmsStatus.DELIVERED


def test_a_failure_report_keeps_the_reason_and_a_blacklist_opts_the_person_out(
    client, context
) -> None:
    with context.db.session() as s:
        make.person(s, PHONE)
    sms = _sent(context)
    _report(client, sms.at_message_id, "Submitted")
    assert _state(context, sms.id).status is SmsStatus.SENT
    _report(client, sms.at_message_id, "Rejected", failureReason="UserInBlackList")
    row = _state(context, sms.id)
    assert row.status is SmsStatus.FAILED and row.failure_reason == "UserInBlackList"
    with context.db.session() as s:
        assert s.scalar(select(Person.opted_out).where(Person.phone == PHONE)) is True


def test_an_unknown_id_is_stored_unmatched_and_answered_200(client, context) -> None:
    response = _report(client, "ATXid_unknown", "Success")
    assert response.status_code == 200
    with context.db.session() as s:
        (stored,) = s.scalars(select(DeliveryReport)).all()
        assert stored.at_message_id == "ATXid_unknown" and not stored.matched


@pytest.mark.inline_only  # it predicts the local gateway's message id
def test_a_report_that_beats_the_send_answer_is_applied_when_the_answer_is_recorded(
    client, context, monkeypatch
) -> None:
    import uuid

    fixed = uuid.UUID(int=7)
    monkeypatch.setattr("services.gateways.uuid.uuid4", lambda: fixed)
    assert _report(client, f"local-{fixed.hex}", "Success").status_code == 200
    _sent(context, SmsStatus.DELIVERED)


def test_without_the_token_the_callback_is_refused(client, context) -> None:
    sms = _sent(context)
    response = client.post("/sms/delivery", data={"id": sms.at_message_id, "status": "Success"})
    assert response.status_code == 403
    wrong = client.post("/sms/delivery?token=nope", data={"id": "x", "status": "Success"})
    assert wrong.status_code == 403
    assert _state(context, sms.id).status is SmsStatus.SENT


def test_a_report_without_id_is_a_clear_400(client) -> None:
    response = client.post(URL, data={"status": "Success"})
    assert response.status_code == 400
    assert b"id and status" in response.data
