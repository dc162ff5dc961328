"""Staff and the proofs behind a PIN, through the console: record a member's national ID digits
(hashed), reset a forgotten PIN only after checking them (a one-time code by SMS, hidden on the
page), move a member to a new number (a code to that number; a number already someone's is
refused), and record the ID digits when enrolling a join request."""

from __future__ import annotations

from sqlalchemy import select
from support.console import post
from support.pins import ID_LAST4, code_in

from models import (
    ConfirmedHow,
    JoinRequest,
    OutboundSms,
    Person,
    PinReset,
    ResetPurpose,
    ResetStatus,
    StaffAccount,
    Vsla,
)
from models.pin_resets import id_matches

NEW_NUMBER = "+250788700123"


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def _sms(context, phone: str, kind: str) -> list[str]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        rows = s.scalars(
            select(OutboundSms).where(OutboundSms.phone == phone, OutboundSms.kind == kind)
        )
        return [row.text for row in rows]


def test_staff_reset_a_pin_only_after_checking_the_id_digits(
    context, staff_client, programme
) -> None:
    path = f"/console/people/{programme.member_id}"
    page = text(staff_client.get(path))
    assert "National ID, last 4 digits" in page and "Not recorded" in page
    post(staff_client, f"{path}/reset-pin", {"digits": ID_LAST4}, path)
    assert "Record the national ID&#39;s last 4 digits first." in text(staff_client.get(path))
    post(staff_client, f"{path}/id-digits", {"digits": "44a7"}, path)
    assert "Type the last 4 digits of the national ID, like 4417." in text(staff_client.get(path))
    post(staff_client, f"{path}/id-digits", {"digits": ID_LAST4}, path)
    page = text(staff_client.get(path))
    assert "National ID digits recorded for Uwase Aline." in page and "Recorded (hashed)" in page
    with context.db.session() as s:
        member = s.get(Person, programme.member_id)
        assert ID_LAST4 not in member.id_last4_hash
        assert id_matches(member, ID_LAST4, pepper=context.settings.pin_pepper)
        phone = member.phone

    post(staff_client, f"{path}/reset-pin", {"digits": "1234"}, path)
    page = text(staff_client.get(path))
    assert "Those are not the last 4 digits recorded for this person." in page
    assert _sms(context, phone, "pin_code") == []

    post(staff_client, f"{path}/reset-pin", {"digits": ID_LAST4}, path)
    page = text(staff_client.get(path))
    assert "PIN reset: Uwase Aline gets a one-time code by SMS." in page
    [sms] = _sms(context, phone, "pin_code")
    code = code_in(sms)
    assert code not in page, page[page.find("SMS sent to them") :][:1500]
    assert "******" in page, page[page.find("SMS sent to them") :][:1500]  # staff never read it
    with context.db.session() as s:
        reset = s.scalars(select(PinReset)).one()
        staff = s.scalars(select(StaffAccount)).one()
        assert (reset.purpose, reset.status, reset.confirmed_how) == (
            ResetPurpose.RESET,
            ResetStatus.SENT,
            ConfirmedHow.STAFF_ID,
        )
        assert (reset.asked_by_staff_id, reset.asked_by_id) == (staff.id, programme.leader_id)
    assert "PIN resets, first-PIN codes and phone changes" in page


def test_staff_move_a_member_to_a_new_number_confirmed_by_a_code(
    context, staff_client, programme
) -> None:
    path = f"/console/people/{programme.member_id}"
    post(staff_client, f"{path}/phone", {"phone": "0788100002"}, path)  # the leader's
    page = text(staff_client.get(path))
    assert "That number already belongs to someone in Ikimina. Call 0788000000." in page
    post(staff_client, f"{path}/phone", {"phone": "07887"}, path)
    assert "That is not a phone number. Type it like 0788123456." in text(staff_client.get(path))
    post(staff_client, f"{path}/phone", {"phone": "0788 700 123"}, path)
    page = text(staff_client.get(path))
    assert f"A code was sent to {NEW_NUMBER}: the number changes when that phone types it." in (
        page
    )
    [sms] = _sms(context, NEW_NUMBER, "phone_code")
    assert code_in(sms) not in page
    with context.db.session() as s:
        member = s.get(Person, programme.member_id)
        assert member.phone == "+250788100001"  # until the new phone types the code
        reset = s.scalars(select(PinReset)).one()
        assert (reset.purpose, reset.new_phone, reset.confirmed_how) == (
            ResetPurpose.PHONE,
            NEW_NUMBER,
            ConfirmedHow.STAFF,
        )


def test_enrolling_a_join_request_records_the_id_digits(context, staff_client, programme) -> None:
    page = "/console/join-requests"
    with context.db.session() as s:
        join = s.scalars(select(JoinRequest).order_by(JoinRequest.id)).first()
        group = s.scalars(select(Vsla)).first()
        join_id, group_id, phone = join.id, group.id, join.phone
    path = f"/console/join-requests/{join_id}/enrol"
    post(staff_client, path, {"vsla_id": str(group_id), "id_last4": "12"}, page)
    assert "Type the last 4 digits of the national ID, like 4417." in text(staff_client.get(page))
    with context.db.session() as s:  # refused: nothing enrolled
        assert s.scalar(select(Person).where(Person.phone == phone)) is None
    post(staff_client, path, {"vsla_id": str(group_id), "id_last4": ID_LAST4}, page)
    with context.db.session() as s:
        person = s.scalars(select(Person).where(Person.phone == phone)).one()
        assert id_matches(person, ID_LAST4, pepper=context.settings.pin_pepper)
