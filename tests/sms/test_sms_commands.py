"""Trainers and others text ikimina's short code; Africa's Talking posts each SMS to
/sms/inbound, the worker runs the command, and the reply waits in the outbox."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import func, select
from support.sms import (
    DIRECTOR,
    MEMBER,
    STRANGER,
    TRAINER_EN,
    TRAINER_FR,
    TRAINER_RW,
    dm,
    inbound_rows,
    last_reply,
    person,
    post_sms,
    sent_to,
    texts_to,
    trainee,
)

from models import Absence, AttendanceReport, Channel, InboundSms, InboundStatus, Language, Priority
from services.gsm7 import encode


def absences(context, code: str) -> list:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        return list(s.scalars(select(Absence).where(Absence.trainee_id == trainee(s, code).id)))


# -- the callback --------


def test_a_report_is_stored_answered_at_once_and_run_by_the_worker(client, context, world) -> None:
    response = post_sms(client, TRAINER_RW, "SIBA T0042 T0107", at_id="ATXid_a1")
    assert response.status_code == 200
    [row] = inbound_rows(context)
    assert (row.at_id, row.sender, row.to, row.text) == (
        "ATXid_a1",
        TRAINER_RW,
        "12345",
        "SIBA T0042 T0107",
    )
    assert (row.network_code, row.link_id, row.sent_at) == (
        "63510",
        "SampleLinkId123",
        "2026-11-28 08:15:02",
    )
    assert row.status is InboundStatus.PROCESSED and row.command == "absence"
    [absent] = absences(context, "T0042")
    assert (absent.day, absent.channel, absent.inbound_sms_id) == (world.today, Channel.SMS, row.id)
    with context.db.session() as s:
        [reply] = sent_to(s, TRAINER_RW)
        assert (reply.kind, reply.priority, reply.encoding, reply.segments) == (
            "reply",
            Priority.HIGH,
            "GSM-7",
            1,
        )
        assert reply.dedupe_key == f"reply:{row.id}"
    assert reply.text == (f"Yasibye {world.today:%d/%m}: T0042 Ishimwe Grace, T0107 Mugisha Eric.")


def test_a_repeated_callback_is_acknowledged_but_not_run_again(client, context, world) -> None:
    for _ in range(3):
        assert post_sms(client, TRAINER_RW, "SIBA T0042", at_id="ATXid_same").status_code == 200
    assert len(inbound_rows(context)) == 1
    assert len(absences(context, "T0042")) == 1
    assert len(texts_to(context, TRAINER_RW)) == 1


def test_a_wrong_or_missing_token_is_refused_and_nothing_is_stored(client, context, world) -> None:
    assert post_sms(client, TRAINER_RW, "SIBA T0042", token="guess").status_code == 403
    assert post_sms(client, TRAINER_RW, "SIBA T0042", token=None).status_code == 403
    assert inbound_rows(context) == []


REQUIRED = " (required: id, from, text)"


@pytest.mark.parametrize(
    ("form", "reason"),
    [
        ({"from": TRAINER_RW, "text": "SIBA T0042"}, "missing form field(s): id" + REQUIRED),
        ({"id": "x1", "text": "SIBA T0042"}, "missing form field(s): from" + REQUIRED),
        ({"id": "x1", "from": " ", "text": "SIBA"}, "missing form field(s): from" + REQUIRED),
        ({"id": "x1", "from": TRAINER_RW}, "missing form field(s): text" + REQUIRED),
        ({}, "missing form field(s): id, from, text" + REQUIRED),
        ({"id": "x" * 101, "from": TRAINER_RW, "text": "SIBA"}, "id too long"),
        (
            {"id": "x1", "from": TRAINER_RW, "text": "S", "networkCode": "1" * 11},
            "networkCode too long",
        ),
    ],
)
def test_bad_callbacks_get_400_with_a_reason_and_store_nothing(
    client, context, form, reason
) -> None:
    response = client.post("/sms/inbound?token=test-token", data=form)
    assert (response.status_code, response.get_data(as_text=True)) == (400, reason)
    assert inbound_rows(context) == []


def test_a_text_with_a_nul_byte_is_stored_without_it(client, context, world) -> None:
    assert post_sms(client, TRAINER_RW, "SIBA\x00 T0042").status_code == 200
    assert inbound_rows(context)[0].text == "SIBA T0042"
    assert len(absences(context, "T0042")) == 1


# -- absence reports in each language --------


@pytest.mark.parametrize(
    ("phone", "text", "expected"),
    [
        (
            TRAINER_RW,
            "siba t0042,t0107 {day}",
            "Yasibye {dm}: T0042 Ishimwe Grace, T0107 Mugisha Eric.",
        ),
        (
            TRAINER_EN,
            "  abs   T0042 ;  t0107  {day} ",
            "Absent on {dm}: T0042 Ishimwe Grace, T0107 Mugisha Eric.",
        ),
        (
            TRAINER_FR,
            "ABST0042 T0107 {iso}",
            "Absent(e) le {dm} : T0042 Ishimwe Grace, T0107 Mugisha Eric.",
        ),
        (
            TRAINER_EN,
            "Absent: T0042, T0107, {day}.",
            "Absent on {dm}: T0042 Ishimwe Grace, T0107 Mugisha Eric.",
        ),
    ],
)
def test_a_trainer_reports_absences_and_gets_a_reply_in_their_language(
    client, context, world, phone, text, expected
) -> None:
    day = world.today - timedelta(days=1)
    post_sms(client, phone, text.format(day=dm(day), iso=day.isoformat()))
    assert last_reply(context, phone) == expected.format(dm=f"{day:%d/%m}")
    assert [a.day for a in absences(context, "T0107")] == [day]
    with context.db.session() as s:
        reporter = person(s, phone)
        assert (
            s.scalar(select(AttendanceReport.day).where(AttendanceReport.trainer_id == reporter.id))
            == day
        )


def test_the_day_may_be_written_without_the_year(client, context, world) -> None:
    day = world.today - timedelta(days=2)
    post_sms(client, TRAINER_EN, f"ABS T0042 {day:%d/%m}")
    assert [a.day for a in absences(context, "T0042")] == [day]


@pytest.mark.parametrize(
    ("phone", "text", "expected"),
    [
        (TRAINER_RW, "SIBA", "Andika kode z'abahugurwa basibye. Urugero: SIBA T0042 T0107"),
        (TRAINER_EN, "ABS", "Write the codes of the absent trainees. Example: ABS T0042 T0107"),
        (
            TRAINER_FR,
            "absence",
            "Écrivez les codes des apprenants absents. Exemple : ABSENT T0042 T0107",
        ),
        (TRAINER_EN, "ABS Grace", "'GRACE' is not a trainee code. Example: ABS T0042 T0107"),
        (
            TRAINER_RW,
            "SIBA T0042 31/02",
            "'31/02' si itariki. Yandike nka 25/11 cyangwa 25/11/2026. Urugero: SIBA T0042 25/11",
        ),
        (
            TRAINER_FR,
            "ABSENT T0042 25/13/2026",
            "'25/13/2026' n'est pas une date. Écrivez-la "
            "comme 25/11 ou 25/11/2026. "
            "Exemple : ABSENT T0042 25/11",
        ),
    ],
)
def test_an_invalid_report_gets_the_right_format_with_an_example(
    client, context, world, phone, text, expected
) -> None:
    post_sms(client, phone, text)
    assert last_reply(context, phone) == expected
    assert absences(context, "T0042") == []
    assert inbound_rows(context)[0].status is InboundStatus.PROCESSED


def test_a_future_day_is_refused(client, context, world) -> None:
    tomorrow = world.today + timedelta(days=1)
    post_sms(client, TRAINER_EN, f"ABS T0042 {dm(tomorrow)}")
    assert last_reply(context, TRAINER_EN) == (
        f"{dm(tomorrow)} has not come yet. Report an absence on the day or after. "
        "Example: ABS T0042 25/11"
    )
    assert absences(context, "T0042") == []


def test_a_day_before_the_trainee_started_is_refused(client, context, world) -> None:
    before = world.start - timedelta(days=1)
    post_sms(client, TRAINER_EN, f"ABS T0042 {dm(before)}")
    assert last_reply(context, TRAINER_EN) == (
        f"Had not started training on {before:%d/%m}: T0042."
    )
    assert absences(context, "T0042") == []


def test_another_vtcs_trainee_and_unknown_codes_are_named_but_not_recorded(
    client, context, world
) -> None:
    post_sms(client, TRAINER_EN, "ABS T0042 T0500 T9999")
    assert last_reply(context, TRAINER_EN) == (
        f"Absent on {world.today:%d/%m}: T0042 Ishimwe Grace. No trainee has the code T9999. "
        "Check it on your list and send again. Not a trainee of your VTC: T0500."
    )
    assert absences(context, "T0500") == []


def test_a_duplicate_report_counts_once_and_the_reply_says_so(client, context, world) -> None:
    post_sms(client, TRAINER_RW, "SIBA T0042")
    post_sms(client, TRAINER_EN, "ABS T0042 T0107")
    assert last_reply(context, TRAINER_EN) == (
        f"Absent on {world.today:%d/%m}: T0107 Mugisha Eric. "
        f"Already reported absent on {world.today:%d/%m}: T0042 Ishimwe Grace."
    )
    assert len(absences(context, "T0042")) == 1


def test_present_corrects_a_mistaken_absence(client, context, world) -> None:
    day = world.today - timedelta(days=1)
    post_sms(client, TRAINER_RW, f"SIBA T0042 T0107 {dm(day)}")
    post_sms(client, TRAINER_RW, f"YAJE T0107 {dm(day)}")
    assert last_reply(context, TRAINER_RW) == f"Byakosowe, yaje {day:%d/%m}: T0107 Mugisha Eric."
    assert absences(context, "T0107") == []
    assert len(absences(context, "T0042")) == 1
    post_sms(client, TRAINER_EN, f"PRESENT T0003 {dm(day)}")
    assert last_reply(context, TRAINER_EN) == (
        f"Was not recorded absent on {day:%d/%m}: T0003 Iradukunda Joel."
    )


def test_present_alone_reports_that_everyone_came(client, context, world) -> None:
    post_sms(client, TRAINER_FR, "PRESENCE")
    assert last_reply(context, TRAINER_FR) == (
        f"Merci. Rapport du {world.today:%d/%m} noté : tout le monde était présent."
    )
    with context.db.session() as s:
        report = s.scalar(
            select(AttendanceReport).where(AttendanceReport.trainer_id == person(s, TRAINER_FR).id)
        )
        assert (report.day, report.channel) == (world.today, Channel.SMS)


def test_only_trainers_can_report(client, context, world) -> None:
    post_sms(client, MEMBER, "SIBA T0042")
    assert last_reply(context, MEMBER) == (
        "Abahugura banditswe bonyine ni bo batanga raporo y'ubwitabire. Ubufasha: 0788000000"
    )
    assert absences(context, "T0042") == []


# -- the sender's own settings --------


def test_language_change(client, context, world) -> None:
    post_sms(client, TRAINER_RW, "URURIMI EN")
    assert last_reply(context, TRAINER_RW) == "Your language is now English."
    post_sms(client, TRAINER_RW, "langfr")
    assert last_reply(context, TRAINER_RW) == "Votre langue est maintenant le francais."
    with context.db.session() as s:
        assert person(s, TRAINER_RW).language is Language.FR
    post_sms(client, TRAINER_RW, "LANGUE de")
    assert last_reply(context, TRAINER_RW) == (
        "'DE' n'est pas une langue. Écrivez RW, EN ou FR. Exemple : LANGUE EN"
    )
    post_sms(client, TRAINER_RW, "langue ikinyarwanda")
    assert last_reply(context, TRAINER_RW) == "Ubu ururimi rwawe ni Ikinyarwanda."


def test_stop_and_start(client, context, world) -> None:
    post_sms(client, MEMBER, "hagarika")
    with context.db.session() as s:
        member = person(s, MEMBER)
        assert member.opted_out and member.opted_out_at is not None
    assert last_reply(context, MEMBER).startswith("Ntuzongera kubona")
    post_sms(client, MEMBER, "Tangira")
    with context.db.session() as s:
        member = person(s, MEMBER)
        assert not member.opted_out and member.opted_out_at is None
    assert last_reply(context, MEMBER).startswith("Murakaza neza")


def test_help_lists_what_the_sender_can_do(client, context, world) -> None:
    post_sms(client, TRAINER_EN, "help")
    trainer_help = last_reply(context, TRAINER_EN)
    assert "ABS T0042 25/11" in trainer_help and "LANG" in trainer_help
    post_sms(client, MEMBER, "UBUFASHA")
    member_help = last_reply(context, MEMBER)
    assert "SIBA" not in member_help and "URURIMI" in member_help
    post_sms(client, DIRECTOR, "aide")
    assert last_reply(context, DIRECTOR).startswith("Vous pouvez envoyer")
    for text in (trainer_help, member_help):
        assert encode(text).segments == 1 and encode(text).encoding == "GSM-7"


# -- senders ikimina cannot help: one reply at most --------


def test_an_unregistered_sender_gets_one_helpful_reply(client, context, world) -> None:
    post_sms(client, STRANGER, "SIBA T0042")
    post_sms(client, STRANGER, "Muraho")
    [reply] = texts_to(context, STRANGER)
    assert reply == (
        "Iyi nomero ntiyanditse muri Ikimina. Kugira ngo winjire mu itsinda, "
        "kanda *384*1234#. Ubufasha: 0788000000"
    )
    assert [r.command for r in inbound_rows(context)] == ["unregistered", "unregistered"]
    assert absences(context, "T0042") == []


def test_an_unregistered_stop_gets_no_reply(client, context, world) -> None:
    post_sms(client, STRANGER, "STOP")
    assert texts_to(context, STRANGER) == []


@pytest.mark.parametrize("sender", ["12345", "MTN", "AFRICASTKNG", "+25078"])
def test_short_codes_and_alphanumeric_senders_never_get_a_reply(
    client, context, world, sender
) -> None:
    post_sms(client, sender, "Your bundle balance is 0 MB. Reply HELP for help.")
    assert texts_to(context, sender) == []
    assert inbound_rows(context)[0].command == "ignored"


def test_not_understood_is_answered_once_per_window(client, context, world) -> None:
    post_sms(client, TRAINER_EN, "hello")
    post_sms(client, TRAINER_EN, "are you there?")
    first, second = texts_to(context, TRAINER_EN)
    assert first == "Sorry, I did not understand. Send HELP for the list of commands."
    assert second == "Sorry, I still did not understand. Send HELP, or call 0788000000."
    post_sms(client, TRAINER_EN, "anyone?")  # a third within the window: no more
    assert len(texts_to(context, TRAINER_EN)) == 2
    assert [r.command for r in inbound_rows(context)] == ["unknown"] * 3
    post_sms(client, MEMBER, "Muraho")
    assert last_reply(context, MEMBER) == (
        "Mutwihanganire, ntitwabyumvise. Ushobora kohereza: URURIMI EN (ururimi); "
        "HAGARIKA (nta butumwa); TANGIRA (ubutumwa). Ahabanza: *384*1234#. Ubufasha: 0788000000"
    )


def test_a_repeated_identical_text_gets_no_second_reply(settings, world_with) -> None:
    context, client, _ = world_with(sms_fallback_max=5)
    post_sms(client, TRAINER_EN, "Out of office until Monday")
    post_sms(client, TRAINER_EN, "out of office until monday ")
    post_sms(client, TRAINER_EN, "Something else")
    assert len(texts_to(context, TRAINER_EN)) == 2


@pytest.mark.job_errors  # the command's job fails, on purpose
def test_a_failing_command_marks_the_message_failed(client, context, world, monkeypatch) -> None:
    from sms.commands import INTERPRETER

    def broken(*args, **kwargs):  # type: ignore[no-untyped-def]
        raise RuntimeError("database said no")

    monkeypatch.setattr(INTERPRETER, "handle", broken)
    assert post_sms(client, TRAINER_RW, "SIBA T0042").status_code == 200
    [row] = inbound_rows(context)
    assert (row.status, row.command, row.error) == (
        InboundStatus.FAILED,
        "absence",
        "RuntimeError: database said no",
    )
    with context.db.session() as s:
        assert s.scalar(select(func.count(InboundSms.id))) == 1
    assert last_reply(context, TRAINER_RW) == (
        "Mutwihanganire, habaye ikosa. Ongera wohereze ubutumwa bwawe nyuma."
    )


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
def test_every_sms_wording_is_gsm7(lang: str) -> None:
    """Curly quotes or accents outside GSM-7 would double the cost of every SMS."""
    from pathlib import Path

    from babel.messages.pofile import read_po

    path = Path(__file__).resolve().parents[2] / "locales" / lang / "LC_MESSAGES" / "sms.po"
    with open(path, "rb") as fh:
        catalogue = read_po(fh, locale=lang)
    wordings = [m.string for m in catalogue if m.id]
    assert wordings and all(encode(text).encoding == "GSM-7" for text in wordings)
    assert all("\u2019" not in text for text in wordings)
