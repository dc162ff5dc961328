"""HELP by role for savings groups: members see WRONG, record-keepers see the meeting form
(instead of STOP / START, so the answer stays one SMS), in rw, en and fr."""

from __future__ import annotations

import pytest
from support import factories as make
from support.sms import last_reply, post_sms

from models import Language, Role, VslaOffice
from services import constitution
from services.gsm7 import encode

SECRETARY, MEMBER, TRAINER = "+250788100802", "+250788100803", "+250788100804"


@pytest.mark.parametrize(
    ("lang", "keyword", "meet", "wrong", "stop"),
    [
        (Language.RW, "UBUFASHA", "INAMA 0788100001 S3 G200 K5000 A0 (inama)", "SIBYO", "HAGARIKA"),
        (Language.EN, "HELP", "MEET 0788100001 S3 G200 K5000 A0 (meeting)", "WRONG", "STOP"),
        (Language.FR, "AIDE", "REUNION 0788100001 S3 G200 K5000 A0 (réunion)", "FAUX", "ARRET"),
    ],
)
def test_help_gives_the_books_commands_to_whom_they_serve_in_one_sms(
    context, client, lang, keyword, meet, wrong, stop
) -> None:
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake")
        secretary = make.person(s, SECRETARY, "Habimana Jean", vsla=group, language=lang)
        make.person(s, MEMBER, "Uwimana Jeanne", vsla=group, language=lang)
        make.person(s, TRAINER, "Uwase Aline", roles=(Role.TRAINER,), language=lang)
        constitution.set_offices(s, secretary, {VslaOffice.SECRETARY})
    replies = {}
    for phone in (SECRETARY, MEMBER, TRAINER):
        assert post_sms(client, phone, keyword).status_code == 200
        replies[phone] = last_reply(context, phone)
        sent = encode(replies[phone])
        assert (sent.encoding, sent.segments) == ("GSM-7", 1), replies[phone]
    assert meet in replies[SECRETARY] and f"{wrong} (" in replies[SECRETARY]
    assert f"{stop} (" not in replies[SECRETARY]
    assert f"{wrong} (" in replies[MEMBER] and f"{stop} (" in replies[MEMBER]
    assert meet not in replies[MEMBER]
    assert f"{wrong} (" not in replies[TRAINER] and meet not in replies[TRAINER]
