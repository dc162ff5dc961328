"""A staff broadcast by SMS is sent only on `YES` followed by the staff member's PIN, so a
forged callback or a stolen phone cannot broadcast; the PIN is never stored in clear."""

from __future__ import annotations

from sqlalchemy import select
from support import factories as f
from support.sms import last_reply, post_sms

from models import Broadcast, BroadcastStatus, InboundSms, Language, Person, Role
from models.pins import set_pin

STAFF = "+250788100031"


def _staff(context, pin: str | None = "4827") -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        person = f.person(s, STAFF, "Gatete Eric", roles=(Role.STAFF,), language=Language.EN)
        if pin:
            set_pin(person, pin, pepper=context.settings.pin_pepper)


def _statuses(context) -> list[BroadcastStatus]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return [b.status for b in s.scalars(select(Broadcast).order_by(Broadcast.id))]


def test_yes_without_or_with_a_wrong_pin_sends_nothing_and_the_right_pin_sends(
    client, context, world
):
    _staff(context)
    post_sms(client, STAFF, "BC role:trainer Training moved to Friday")
    assert "YES" in last_reply(context, STAFF) and "PIN" in last_reply(context, STAFF)
    post_sms(client, STAFF, "YES")
    assert "PIN" in last_reply(context, STAFF)
    post_sms(client, STAFF, "YES 1111")
    assert "PIN" in last_reply(context, STAFF)
    assert _statuses(context) == [BroadcastStatus.DRAFT]
    post_sms(client, STAFF, "YES 4827")
    assert last_reply(context, STAFF).startswith("Sending to 4 people")
    assert _statuses(context) == [BroadcastStatus.DONE]
    with context.db.session() as s:
        texts = list(s.scalars(select(InboundSms.text)))
    assert not [t for t in texts if "4827" in t or "1111" in t], texts


def test_wrong_pins_by_sms_lock_like_on_ussd(client, context, world):
    _staff(context)
    post_sms(client, STAFF, "BC all Hello")
    for guess in ("1111", "2222", "3333"):
        post_sms(client, STAFF, f"YES {guess}")
    post_sms(client, STAFF, "YES 4827")  # locked now: even the right PIN sends nothing
    assert _statuses(context) == [BroadcastStatus.DRAFT]
    with context.db.session() as s:
        assert s.scalar(select(Person).where(Person.phone == STAFF)).pin_locked_until


def test_a_staff_member_without_a_pin_is_told_to_choose_one(client, context, world):
    _staff(context, pin=None)
    post_sms(client, STAFF, "BC all Hello")
    post_sms(client, STAFF, "YES 4827")
    assert "*384*1234#" in last_reply(context, STAFF)
    assert _statuses(context) == [BroadcastStatus.DRAFT]
