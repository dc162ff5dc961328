"""Staff broadcast by SMS: `BC AUDIENCE TEXT` answers with the reach and cost, and nothing goes
out until the same staff phone replies YES (YEGO, OUI) and its PIN within 10 minutes."""

from __future__ import annotations

from datetime import timedelta

from freezegun import freeze_time
from sqlalchemy import select
from support import factories as f
from support.sms import FIELD_OFFICER, MEMBER, TRAINER_EN, TRAINER_RW, last_reply, post_sms

from models import Broadcast, BroadcastStatus, Language, OutboundSms, Role, utcnow
from models.pins import set_pin

STAFF_RW, STAFF_EN = "+250788100030", "+250788100031"


PIN = "4827"


def add_staff(context) -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        for person in (
            f.person(s, STAFF_RW, "Mutoni Sandrine", roles=(Role.STAFF,)),
            f.person(s, STAFF_EN, "Gatete Eric", roles=(Role.STAFF,), language=Language.EN),
        ):
            set_pin(person, PIN, pepper=context.settings.pin_pepper)


def broadcast_rows(context) -> list[OutboundSms]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        query = select(OutboundSms).where(OutboundSms.broadcast_id.is_not(None))
        return list(s.scalars(query.order_by(OutboundSms.phone)))


def broadcasts_of(context) -> list[Broadcast]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return list(s.scalars(select(Broadcast).order_by(Broadcast.id)))


def test_a_staff_broadcast_waits_for_yes_then_reaches_its_audience(client, context, world):
    add_staff(context)
    post_sms(client, STAFF_EN, "BC role:trainer Training moved to Friday 10:00")
    assert last_reply(context, STAFF_EN) == (
        "4 people, 4 SMS, about 40 Frw. To send it, reply YES and your PIN (YES 1234) "
        "within 10 minutes."
    )
    assert broadcast_rows(context) == []  # nothing sent before the confirmation

    post_sms(client, STAFF_EN, f"yes {PIN}")
    [made] = broadcasts_of(context)
    assert last_reply(context, STAFF_EN) == f"Sending to 4 people (broadcast {made.id})."
    assert made.audience == "role:trainer" and made.texts == {
        "en": "Training moved to Friday 10:00"
    }
    rows = broadcast_rows(context)
    assert sorted(r.phone for r in rows) == sorted(
        [TRAINER_RW, TRAINER_EN, "+250788100012", "+250788100013"]
    )
    assert {r.text for r in rows} == {"Training moved to Friday 10:00"}


def test_the_preview_is_in_the_staff_members_language_and_yego_confirms(client, context, world):
    add_staff(context)
    post_sms(client, STAFF_RW, 'bc vtc:"Gisenyi VTC" role:trainer Inama ejo saa 14:00')
    assert last_reply(context, STAFF_RW) == (
        "Abantu 3, SMS 3, hafi 30 Frw. Kugira ngo bwoherezwe, subiza YEGO n'umubare "
        "w'ibanga (YEGO 1234) mu minota 10."
    )
    post_sms(client, STAFF_RW, f"YEGO {PIN}")
    assert len(broadcast_rows(context)) == 3
    assert {r.text for r in broadcast_rows(context)} == {"Inama ejo saa 14:00"}


def test_yes_after_ten_minutes_sends_nothing(client, context, world):
    add_staff(context)
    post_sms(client, STAFF_EN, "BC all Meeting tomorrow")
    with freeze_time(utcnow() + timedelta(minutes=11)):
        post_sms(client, STAFF_EN, f"YES {PIN}")
        assert last_reply(context, STAFF_EN) == (
            "Nothing to send. First send BC, who, then the text."
        )
    assert broadcast_rows(context) == []
    assert [b.status for b in broadcasts_of(context)] == [BroadcastStatus.DRAFT]
    post_sms(client, STAFF_EN, "BC all Meeting tomorrow")  # within ten minutes, YES sends
    with freeze_time(utcnow() + timedelta(minutes=9)):
        post_sms(client, STAFF_EN, f"YES {PIN}")
    assert {r.text for r in broadcast_rows(context)} == {"Meeting tomorrow"}


def test_only_the_latest_preview_can_be_confirmed(client, context, world):
    add_staff(context)
    post_sms(client, STAFF_EN, "BC all First text")
    post_sms(client, STAFF_EN, "BC role:field_officer Second text")
    post_sms(client, STAFF_EN, f"YES {PIN}")
    assert [r.phone for r in broadcast_rows(context)] == [FIELD_OFFICER]
    assert [b.status for b in broadcasts_of(context)] == [
        BroadcastStatus.CANCELLED,
        BroadcastStatus.DONE,  # fanned out at once by the test's in-process jobs
    ]
    post_sms(client, STAFF_EN, f"YES {PIN}")  # a second YES sends nothing more
    assert len(broadcast_rows(context)) == 1


def test_bad_broadcasts_get_the_format_with_an_example(client, context, world):
    add_staff(context)
    post_sms(client, STAFF_EN, "BC")
    assert last_reply(context, STAFF_EN) == (
        "Write who, then the text. Example: BC district:Rubavu role:leader Inama ejo"
    )
    post_sms(client, STAFF_EN, "BC district:Atlantis Hello")
    assert last_reply(context, STAFF_EN) == (
        "Not found: district:Atlantis. Check the spelling. Example: BC district:Rubavu Inama ejo"
    )
    post_sms(client, STAFF_EN, "BC colour:blue Hello")
    assert last_reply(context, STAFF_EN).startswith("'colour:blue' is not an audience.")
    post_sms(client, STAFF_EN, "BC role:staff language:fr Bonjour")
    assert last_reply(context, STAFF_EN) == (
        "Nobody is in that audience. Example: BC district:Rubavu Inama ejo"
    )
    assert broadcasts_of(context) == []


def test_only_staff_phones_may_broadcast(client, context, world):
    post_sms(client, TRAINER_EN, "BC all Free money")
    assert last_reply(context, TRAINER_EN) == (
        "Only registered staff phones can send broadcasts. Help: 0788000000"
    )
    post_sms(client, MEMBER, "YEGO")
    assert last_reply(context, MEMBER).startswith("Telefoni z'abakozi banditswe")
    assert broadcasts_of(context) == []
