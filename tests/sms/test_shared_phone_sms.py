"""A shared phone by SMS: Bizimana Ali (trainer, rw) and Mukeshimana Alice (member, en) use
+250788100013. A command only one of them may send runs as that one; one both may send is
answered with "who is this from?", and the number sent back runs it; STOP is the phone's;
every SMS to the phone names its person."""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from support import factories as f
from support.sms import OTHER_TRAINER, inbound_rows, last_reply, post_sms, texts_to

from locales import translate
from models import InboundSms, Language, Person
from models.at_risk import monday
from services import broadcasts
from services.reminder_rules import MISSING_REPORT
from services.reminders import queue_due

SHARED = OTHER_TRAINER  # Bizimana Ali's phone in the world


@pytest.fixture
def household(world, context):  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        f.person(s, SHARED, "Mukeshimana Alice", language=Language.EN, vsla=f.vsla(s, "Twiyubake"))
    return world


def _people(context) -> dict[str, Person]:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        people = s.scalars(select(Person).where(Person.phone == SHARED)).all()
        return {p.first_name: p for p in people}


def test_a_command_only_one_of_them_may_send_runs_as_that_one(client, context, household) -> None:
    post_sms(client, SHARED, "SIBA T0500")
    reply = last_reply(context, SHARED)
    assert reply.startswith("Kuri Ali: ") and "Keza Ange" in reply  # Ali's reply, named
    [row] = inbound_rows(context)
    assert (row.command, row.person_id) == ("absence", _people(context)["Ali"].id)


def test_a_command_both_may_send_asks_who_and_the_number_runs_it(
    client, context, household
) -> None:
    post_sms(client, SHARED, "LANG FR")
    assert last_reply(context, SHARED) == (
        "Who is this message from? Reply with the number: 1 Ali, 2 Alice"
    )
    people = _people(context)
    assert (people["Ali"].language, people["Alice"].language) == (Language.RW, Language.EN)

    post_sms(client, SHARED, "2")
    assert last_reply(context, SHARED) == "Pour Alice: Votre langue est maintenant le francais."
    people = _people(context)
    assert (people["Ali"].language, people["Alice"].language) == (Language.RW, Language.FR)
    question, answer = inbound_rows(context)
    assert (question.command, question.person_id) == ("who", None)
    assert (answer.command, answer.answers_id, answer.person_id) == (
        "language",
        question.id,
        people["Alice"].id,
    )

    post_sms(client, SHARED, "1")  # the question is answered: a number alone means nothing now
    assert _people(context)["Ali"].language == Language.RW
    assert inbound_rows(context)[-1].command == "unknown"


def test_a_wrong_number_asks_again_and_an_old_question_expires(client, context, household) -> None:
    post_sms(client, SHARED, "HELP")
    post_sms(client, SHARED, "7")
    assert last_reply(context, SHARED) == "Subiza imwe muri izi nimero: 1 Ali, 2 Alice"
    post_sms(client, SHARED, "1")
    assert last_reply(context, SHARED).startswith(("Kuri Ali: ", "Ali: "))
    assert "SIBA" in last_reply(context, SHARED)  # Ali's own commands: he is the trainer

    post_sms(client, SHARED, "LANG EN")
    with context.db.session() as s:  # the question was asked 11 minutes ago
        question = s.scalars(select(InboundSms).order_by(InboundSms.id.desc())).first()
        question.received_at -= timedelta(minutes=11)
    post_sms(client, SHARED, "1")
    assert inbound_rows(context)[-1].command == "unknown"


def test_stop_from_a_shared_phone_stops_the_phone(client, context, household) -> None:
    post_sms(client, SHARED, "STOP")
    assert last_reply(context, SHARED) == translate(
        "en", "You will get no more reminders or news by SMS. To get them again, send START."
    )
    assert all(p.opted_out for p in _people(context).values())
    post_sms(client, SHARED, "START")
    assert not any(p.opted_out for p in _people(context).values())


def test_a_reminder_to_a_shared_phone_names_its_person(client, context, household) -> None:
    """Ali sent no attendance report this week: his reminder says it is for him."""
    friday = monday(household.today) + timedelta(days=4)
    at = datetime.combine(friday, time(16, 5), ZoneInfo(context.settings.tz))
    with context.db.session() as s:
        queue_due(s, context.settings, at, rules=(MISSING_REPORT,))
    [reminder] = texts_to(context, SHARED, "reminder")
    assert reminder == "Kuri Ali: " + translate(
        "rw",
        "You sent no attendance report this week. Send ABS and the codes of absent trainees "
        "(ABS T0042), or PRESENT if all came.",
    )


def test_a_broadcast_sends_each_person_of_a_shared_phone_their_own_named_sms(
    client, context, household
) -> None:
    with context.db.session() as s:
        texts = {"rw": "Inama ejo saa 14:00.", "en": "Meeting tomorrow."}
        draft_id = broadcasts.create(s, context.settings, "all", texts, urgent=True).id
    broadcasts.fan_out(context, draft_id)  # as the worker does (again: nothing new)
    assert sorted(texts_to(context, SHARED, "broadcast")) == [
        "For Alice: Meeting tomorrow.",
        "Kuri Ali: Inama ejo saa 14:00.",
    ]
