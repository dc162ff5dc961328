"""No dead ends and no silence by SMS: STOP is confirmed, HELP names the USSD code, the
two-week alert is one SMS that says what happened."""

from __future__ import annotations

import pytest
from support.sms import MEMBER, person, post_sms, sent_to

from locales import translate
from models import SmsStatus
from services.attendance import MSG_ALERT, MSG_ALERT_SHORT, MSG_DAYS_RANGE
from services.gsm7 import encode, fit


def test_hagarika_gets_its_confirmation_although_the_member_just_opted_out(
    client, context, world
) -> None:
    post_sms(client, MEMBER, "HAGARIKA")
    with context.db.session() as s:
        assert person(s, MEMBER).opted_out
        [reply] = sent_to(s, MEMBER, "reply")
        assert reply.text.startswith("Ntuzongera kubona")
        assert reply.status is SmsStatus.SENT, reply.status


def test_a_reminder_to_an_opted_out_member_is_still_cancelled(client, context, world) -> None:
    from services.outbox import queue_sms

    post_sms(client, MEMBER, "HAGARIKA")
    with context.db.session() as s:
        queue_sms(s, context.settings, MEMBER, "Inama ejo", kind="reminder", urgent=True)
    with context.db.session() as s:
        [reminder] = sent_to(s, MEMBER, "reminder")
        assert reminder.status is SmsStatus.CANCELLED


def test_help_names_the_ussd_code_in_one_sms(client, context, world) -> None:
    post_sms(client, MEMBER, "UBUFASHA")
    with context.db.session() as s:
        [reply] = sent_to(s, MEMBER, "reply")
    assert "*384*1234#" in reply.text
    assert encode(reply.text).segments == 1


LONG = dict(
    name="Nyiramahoro Uwimana Claudine",
    code="T0042",
    trade="Electrical installation",
    vtc="Gisenyi Vocational Training Centre",
    case=1234,
)


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
@pytest.mark.parametrize("count", [2, 3, 6])
def test_the_two_week_alert_is_one_sms_and_counts_the_reported_days(lang, count) -> None:
    shown = [f"{day:02d}/11" for day in range(2, 2 + 2 * count, 2)]
    ranged = translate(lang, MSG_DAYS_RANGE, first=shown[0], last=shown[-1], count=count)
    values = {**LONG, "count": count}
    text = fit(
        translate(lang, MSG_ALERT, days=", ".join(shown), **values),
        translate(lang, MSG_ALERT, days=ranged, **values),
        translate(lang, MSG_ALERT_SHORT, days=ranged, **values),
    )
    encoded = encode(text)
    assert encoded.segments == 1 and encoded.encoding == "GSM-7", (len(text), text)
    assert str(count) in text and "T0042" in text
    for wrong in ("two weeks", "ibyumweru 2:", "deux semaines"):
        assert wrong not in text  # the days reported, not a length of time never checked
