"""A VSLA member dials: main menu, balances behind the PIN, meeting, trainings, cooperative,
language, PIN change and a copy by SMS, in Kinyarwanda, English and French."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from support.pins import ID_LAST4, first_pin
from support.ussd import LEADER, MEMBER, MEMBERS, store_waiting_hops

from locales import translate
from locales.formatting import format_money
from models import OutboundSms, Person, UssdHop
from models.pins import keyed

LANGS = ("rw", "en", "fr")
LOCKED_RW = "CON Ntushobora kureba amafaranga yawe kugeza "


def t(lang: str, message: str, **values: object) -> str:
    return translate(lang, message, **values)


def _person(ussd_world, number: str) -> Person:  # type: ignore[no-untyped-def]
    with ussd_world.db.session() as s:
        return s.scalar(select(Person).where(Person.phone == number))


def _first_pin(caller, lang: str, pin: str = "4821") -> str:  # type: ignore[no-untyped-def]
    caller.dial()
    caller.choose(t(lang, "My savings"))
    assert PROOF(lang) in caller.screen
    shown = first_pin(caller, pin)
    assert t(lang, "Enter the new PIN again:") in caller.screens[-2]
    return shown


def PROOF(lang: str) -> str:  # noqa: N802 - reads as the screen's text
    return t(
        lang,
        "To choose your PIN, type the last 4 digits of your national ID, or the code "
        "your group's record-keeper gave you:",
    )


@pytest.mark.parametrize("lang", LANGS)
def test_the_main_menu_speaks_the_members_language_and_keeps_its_keys(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    menu = caller.dial()
    for label in ("My savings", "Next meeting", "My trainings", "My cooperative", "Language"):
        assert t(lang, label) in menu
    assert t(lang, "Report absence") not in menu  # not a trainer
    assert caller.press("0") == menu  # back on the main menu stays there
    assert caller.press("00") == menu
    invalid = caller.press("9")
    assert invalid.startswith("CON " + t(lang, "Invalid choice."))
    assert invalid.endswith(menu.removeprefix("CON ").split("\n")[-1])


@pytest.mark.parametrize("lang", LANGS)
def test_first_pin_refuses_easy_ones_then_shows_the_balances(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    caller.dial()
    caller.choose(t(lang, "My savings"))
    assert PROOF(lang) in caller.screen
    assert t(lang, "Choose a new PIN of 4 digits (not your MoMo PIN):") in caller.press(ID_LAST4)
    for easy, why in [
        ("0000", "That PIN is too easy to guess. Choose another."),
        ("1234", "That PIN is too easy to guess. Choose another."),
        ("7777", "That PIN is too easy to guess. Choose another."),
        ("9876", "That PIN is too easy to guess. Choose another."),
        (MEMBERS[lang][-4:], "Do not use the end of your phone number. Choose another."),
        ("12a4", "A PIN is 4 digits. Try again."),
    ]:
        assert caller.press(easy).startswith("CON " + t(lang, why)), easy
    caller.press("4821")
    mismatch = caller.press("4822")
    assert t(lang, "The two PINs differ. Choose again.") in mismatch
    assert t(lang, "Choose a new PIN of 4 digits (not your MoMo PIN):") in mismatch
    caller.press("4821")
    shown = caller.press("4821")
    assert t(lang, "Your PIN is saved.") in shown
    assert format_money(15000) in shown  # shares
    assert format_money(2000) in shown  # social fund
    assert format_money(6000) in caller.screen + caller.press("98")  # loan left
    member = _person(ussd_world, MEMBERS[lang])
    assert member.pin_hash.startswith("$argon2")
    assert not _verifies(member.pin_hash, "4821")  # peppered: the hash alone reveals nothing
    assert _verifies(member.pin_hash, keyed("4821", ussd_world.settings.pin_pepper))
    store_waiting_hops(ussd_world)  # on the servers, the periodic job's turn
    with ussd_world.db.session() as s:
        inputs = s.scalars(select(UssdHop.input)).all()
    assert inputs and not any("4821" in i or "4822" in i for i in inputs)
    assert any("****" in i for i in inputs)


def test_balances_ask_for_the_pin_again_and_back_skips_the_pin_screen(ussd_world, phone):
    caller = phone(MEMBER)
    _first_pin(caller, "rw")
    menu = caller.dial()
    caller.choose(t("rw", "My savings"))
    assert t("rw", "Enter your PIN (4 digits):") in caller.screen
    wrong = caller.press("1111")
    assert t("rw", "Wrong PIN. Tries left: {n}.", n=2) in wrong
    assert format_money(15000) in caller.press("4821")
    assert caller.press("0") == menu


def test_three_wrong_pins_lock_and_text_the_member_until_staff_unlock(ussd_world, phone):
    from click.testing import CliRunner

    from ikimina.cli import main
    from worker.process import install

    caller = phone(MEMBER_EN := MEMBERS["en"])
    _first_pin(caller, "en")
    caller.dial()
    caller.choose("My savings")
    caller.press("1111")
    caller.press("2222")
    locked = caller.press("3333")
    assert locked.startswith("CON 3 wrong PINs. You cannot see your balances until")
    assert locked.endswith(". Help: 0788000000.\n1. Forgot PIN")  # nothing to go back to
    with ussd_world.db.session() as s:
        sms = s.scalars(select(OutboundSms).where(OutboundSms.kind == "pin_lock")).all()
    assert len(sms) == 1 and sms[0].phone == MEMBER_EN
    assert sms[0].text.startswith("Ikimina: 3 wrong PINs.")
    caller.dial()
    assert caller.choose("My savings").startswith("CON 3 wrong PINs.")  # even the right PIN

    env = {"DATABASE_URL": ussd_world.settings.database_url, "REDIS_URL": ""}
    result = CliRunner().invoke(main, ["unlock-pin", "0788100003"], env=env)
    install(ussd_world)
    assert result.exit_code == 0, result.output
    assert "PIN unlocked" in result.output
    caller.dial()
    caller.choose("My savings")
    assert format_money(15000) in caller.press("4821")
    missing = CliRunner().invoke(main, ["unlock-pin", "0788999999"], env=env)
    install(ussd_world)
    assert missing.exit_code == 1 and "nobody" in missing.output


def test_send_me_this_by_sms_sends_one_sms_even_when_pressed_twice(ussd_world, phone):
    caller = phone(MEMBERS["fr"])
    caller.dial()
    caller.choose(t("fr", "Next meeting"))
    meeting = caller.screen
    assert "Twiyubake" in meeting and "mercredi" in meeting
    caller.choose(t("fr", "Send me this by SMS"))
    assert t("fr", "We are sending you this by SMS.") in caller.screen
    caller.press("0")
    caller.choose(t("fr", "Send me this by SMS"))
    with ussd_world.db.session() as s:
        sent = s.scalars(select(OutboundSms).where(OutboundSms.kind == "ussd_copy")).all()
    assert len(sent) == 1 and "Twiyubake" in sent[0].text


@pytest.mark.parametrize("lang", LANGS)
def test_trainings_are_paged_with_98_and_0(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    caller.dial()
    first = caller.choose(t(lang, "My trainings"))
    assert "part 1" in first and "98. " in first
    pages = [first]
    while "98. " in caller.screen:
        pages.append(caller.press("98"))
    assert len(pages) >= 3
    lines = [ln for p in pages for ln in p[4:].split("\n") if "00. " not in ln]
    text = " ".join(" ".join(lines).split())  # a page may end between two words
    assert all(f"part {n}" in text for n in range(1, 9))
    assert caller.press("0") == pages[-2]  # back: the previous page
    invalid = caller.press("98", "98", "98", "98", "98", "98", "98", "98", "98")
    assert t(lang, "No more.") in invalid  # no page after the last


@pytest.mark.parametrize("lang", LANGS)
def test_my_cooperative_shows_stage_date_and_next_step(ussd_world, phone, lang):
    from models import Stage
    from models.registration import stage_label

    caller = phone(MEMBERS[lang])
    caller.dial()
    screen = caller.choose(t(lang, "My cooperative"))
    assert "Abakora Neza" in screen
    assert stage_label(Stage.DISTRICT_SITE_VISIT, lang) in screen
    assert t(lang, "Be at your site for the district's visit.")[:20] in screen + caller.press("98")


def test_a_certified_cooperative_shows_its_certificate(ussd_world, phone):
    from models import Cooperative, Stage

    with ussd_world.db.session() as s:
        coop = s.scalar(select(Cooperative))
        coop.stage, coop.certificate_no = Stage.CERTIFIED, "RCA/0042/2026"
    caller = phone(MEMBERS["en"])
    caller.dial()
    assert "RCA/0042/2026" in caller.choose("My cooperative")


def test_changing_language_is_stored_and_used(ussd_world, phone):
    caller = phone(MEMBER)
    caller.dial()
    caller.choose(t("rw", "Language"))
    assert caller.choose("English").startswith("CON Your language is changed.")
    assert _person(ussd_world, MEMBER).language == "en"
    assert "My savings" in caller.press("00")


def test_changing_the_pin(ussd_world, phone):
    caller = phone(MEMBER)
    _first_pin(caller, "rw")
    caller.dial()
    caller.choose(t("rw", "Change PIN"))
    assert t("rw", "Enter your current PIN (4 digits):") in caller.screen
    caller.press("4821")  # the current PIN
    assert t("rw", "Choose a new PIN of 4 digits (not your MoMo PIN):") in caller.screen
    caller.press("5930", "5930")
    assert t("rw", "Your new PIN is saved.") in caller.screen
    caller.dial()
    caller.choose(t("rw", "My savings"))
    assert format_money(15000) in caller.press("5930")


def test_a_leader_sees_the_cooperative_history_and_member_count(ussd_world, phone):
    caller = phone(LEADER)
    caller.dial()
    screen = caller.choose(t("rw", "Cooperative history"))
    assert t("rw", "{name}: {count} members.", name="Abakora Neza", count=4) in screen


def _verifies(pin_hash: str, secret: str) -> bool:
    from argon2.exceptions import VerificationError

    from models.pins import HASHER

    try:
        return HASHER.verify(pin_hash, secret)
    except VerificationError:
        return False


def test_a_pin_hashed_with_older_argon2_settings_is_rehashed_when_entered(ussd_world, phone):
    from argon2 import PasswordHasher

    from models.pins import HASHER

    pepper = ussd_world.settings.pin_pepper
    old = PasswordHasher(time_cost=2, memory_cost=8192, parallelism=1).hash(keyed("4821", pepper))
    with ussd_world.db.session() as s:
        s.scalar(select(Person).where(Person.phone == MEMBER)).pin_hash = old
    caller = phone(MEMBER)
    caller.dial()
    caller.choose(t("rw", "My savings"))
    assert format_money(15000) in caller.press("4821")
    rehashed = _person(ussd_world, MEMBER).pin_hash
    assert rehashed != old and "m=4096,t=1,p=1" in rehashed
    assert HASHER.verify(rehashed, keyed("4821", pepper))


def test_a_leader_sees_each_step_of_the_cooperative_history_with_its_date(ussd_world, phone):
    from datetime import date

    from locales.formatting import format_date
    from models import Stage
    from models.registration import stage_label

    caller = phone(LEADER)
    caller.dial()
    screen = caller.choose(t("rw", "Cooperative history"))
    lines = screen.removeprefix("CON ").removeprefix("END ").split("\n")
    steps = [
        f"{format_date(date(2026, 9, 3), 'rw')}: {stage_label(Stage.FORMED, 'rw')}",
        f"{format_date(date(2026, 11, 2), 'rw')}: {stage_label(Stage.DISTRICT_SITE_VISIT, 'rw')}",
    ]
    assert lines[1:3] == steps, screen


def test_a_pin_lock_ends_after_the_lock_hours_and_the_right_pin_works_again(ussd_world, phone):
    from freezegun import freeze_time

    from models import utcnow

    caller = phone(MEMBER)
    _first_pin(caller, "rw")
    start = utcnow()
    with freeze_time(start) as clock:
        caller.dial()
        caller.choose(t("rw", "My savings"))
        caller.press("1111", "2222")
        assert caller.press("3333").startswith(LOCKED_RW)
        hours = ussd_world.settings.pin_lock_hours
        clock.tick(timedelta(hours=hours) - timedelta(minutes=1))  # still locked just before
        caller.dial()
        assert caller.choose(t("rw", "My savings")).startswith(LOCKED_RW)
        clock.tick(timedelta(minutes=1))  # the lock is over, to the minute: three new tries
        caller.dial()
        caller.choose(t("rw", "My savings"))
        assert t("rw", "Enter your PIN (4 digits):") in caller.screen
        assert t("rw", "Wrong PIN. Tries left: {n}.", n=2) in caller.press("1111")
        assert format_money(15000, "rw") in caller.press("4821")


def test_a_right_pin_starts_the_count_of_wrong_pins_again(ussd_world, phone):
    caller = phone(MEMBER)
    _first_pin(caller, "rw")
    for _ in range(3):  # two wrong, one right, again and again: never three in a row
        caller.dial()
        caller.choose(t("rw", "My savings"))
        assert t("rw", "Wrong PIN. Tries left: {n}.", n=2) in caller.press("1111")
        assert t("rw", "Wrong PIN. Tries left: {n}.", n=1) in caller.press("2222")
        assert format_money(15000, "rw") in caller.press("4821")
    caller.dial()  # three in a row still lock
    caller.choose(t("rw", "My savings"))
    caller.press("1111", "2222")
    assert caller.press("3333").startswith(LOCKED_RW)
    assert _person(ussd_world, MEMBER).pin_locked_until is not None


def test_a_lock_made_in_another_session_refuses_even_the_right_pin(ussd_world, phone):
    caller = phone(MEMBER)
    _first_pin(caller, "rw")
    caller.dial()
    caller.choose(t("rw", "My savings"))  # waits on the PIN screen
    thief = phone(MEMBER)  # the same number, another session (a second phone, a retry)
    thief.dial()
    thief.choose(t("rw", "My savings"))
    thief.press("1111", "2222")
    locked = thief.press("3333")
    assert locked.startswith(LOCKED_RW)
    refused = caller.press("4821")
    assert refused == locked  # locked, until when, and whom to call
