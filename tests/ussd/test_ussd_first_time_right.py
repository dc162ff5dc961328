"""Screens a person who reads little gets right the first time: a wrong key keeps the same
numbered choices, numbers never move between pages, and each goal is a few keys away."""

from __future__ import annotations

import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from support.pins import ID_LAST4, first_pin
from support.ussd import LEADER, MEMBER, MEMBERS, TRAINER

from locales import translate as t
from locales.formatting import format_date, format_day, format_money, to_local
from models import Absence, Language, OutboundSms, Person, utcnow

LANGS = ["rw", "en", "fr"]
NAV = {"0", "00", "98"}
WRONG = "77"
#: Choices the walk does not take: they change the person's data or end in an SMS.
NOT_TAKEN = ("Confirm", "Send me this by SMS", "Kinyarwanda", "English", "Francais")
CALLERS = {"member": MEMBER, "leader": LEADER, "trainer": TRAINER, "stranger": "+250788555555"}


def numbered(screen: str) -> list[str]:
    """The screen's numbered choices (`3. Help`), without the paging and navigation hints."""
    lines = screen.removeprefix("CON ").removeprefix("END ").split("\n")
    return [ln for ln in lines if re.match(r"\d+\. ", ln) and ln.split(".")[0] not in NAV]


def _as(ussd_world, number: str, lang: str) -> None:
    with ussd_world.db.session() as s:
        person = s.scalar(select(Person).where(Person.phone == number))
        if person is not None:
            person.language = Language(lang)


def _leave(caller) -> None:  # type: ignore[no-untyped-def]
    """Go home before hanging up, so that the next dial is not offered to resume."""
    if not caller.ended:
        caller.press("00")


def _walk(phone, number: str, lang: str, depth: int = 3) -> dict[tuple[str, ...], str]:  # type: ignore[no-untyped-def]
    """Every screen reached from the dial by choices and 98, by key path (fresh dial each)."""
    skip = {t(lang, label) for label in NOT_TAKEN} | set(NOT_TAKEN)
    seen: dict[tuple[str, ...], str] = {}
    todo: list[tuple[str, ...]] = [()]
    while todo:
        path = todo.pop(0)
        caller = phone(number)
        caller.dial()
        screen = caller.press(*path) if path else caller.screen
        _leave(caller)
        if screen.startswith("END ") or screen in seen.values():
            continue
        seen[path] = screen
        if len(path) >= depth:
            continue
        for line in numbered(screen):
            key, label = line.split(". ", 1)
            if label not in skip:
                todo.append((*path, key))
        if "\n98. " in screen:
            todo.append((*path, "98"))
    return seen


#: Who walks in which language: a stranger's language lasts one session, so rw only.
WALKERS = [
    (who, lang) for who in sorted(CALLERS) for lang in LANGS if who != "stranger" or lang == "rw"
]


@pytest.mark.parametrize(("who", "lang"), WALKERS)
def test_a_wrong_key_shows_one_line_and_the_same_numbered_choices_on_every_screen(
    ussd_world, phone, lang, who
):
    number = MEMBERS[lang] if who == "member" else CALLERS[who]
    _as(ussd_world, number, lang)
    caller = phone(number)
    caller.dial()
    screens = _walk(phone, number, lang)
    assert len(screens) >= 2
    walked = 0
    for path, screen in screens.items():
        choices = numbered(screen)
        if not choices:
            continue  # free input (a PIN, a name): its own error says what to type
        caller = phone(number)
        caller.dial()
        caller.press(*path)
        wrong = caller.press(WRONG)
        _leave(caller)
        lines = wrong.removeprefix("CON ").split("\n")
        assert lines[0] == t(lang, "Invalid choice."), (path, wrong)
        assert numbered(wrong) == choices, (path, screen, wrong)
        walked += 1
    assert walked >= 2


def test_the_welcome_keeps_its_three_choices_after_a_wrong_key(ussd_world, phone):
    caller = phone("+250788555556")
    welcome = caller.dial()
    wrong = caller.press("5")
    assert numbered(wrong) == numbered(welcome) and len(numbered(welcome)) == 3


@pytest.mark.parametrize("lang", LANGS)
def test_a_choice_keeps_its_number_on_every_page_and_98_on_the_last_says_no_more(
    ussd_world, phone, lang
):
    _as(ussd_world, LEADER, lang)
    caller = phone(LEADER)
    pages = [caller.dial()]
    while "\n98. " in caller.screen:
        pages.append(caller.press("98"))
    shown = [line for page in pages for line in numbered(page)]
    assert [int(line.split(".")[0]) for line in shown] == list(range(1, len(shown) + 1))
    assert shown[-1].endswith(t(lang, "Help"))
    last = caller.press("98")
    assert last.removeprefix("CON ").split("\n")[0] == t(lang, "No more.")
    assert numbered(last) == numbered(pages[-1])
    key = numbered(pages[-1])[-1].split(".")[0]  # the last number, pressed on the last page
    assert "*384*1234#" in caller.press(key)


def test_trainees_go_on_numbering_on_page_2_and_hide_those_chosen(ussd_world, phone):
    caller = phone(TRAINER)
    caller.dial()
    caller.choose(t("rw", "Report absence"))
    pages = caller.page_to("T0012")
    numbers = [int(ln.split(".")[0]) for page in pages for ln in numbered(page)]
    assert numbers == list(range(1, 13))
    caller.choose("T0012 Trainee 12")
    caller.choose(t("rw", "Add another trainee"))
    again = [caller.screen]
    while "\n98. " in caller.screen:
        again.append(caller.press("98"))
    assert not any("T0012" in page for page in again)


@pytest.mark.parametrize("lang", LANGS)
def test_dates_money_and_times_have_one_house_style(ussd_world, phone, lang):
    assert format_money(6500, lang) == "6,500 Frw"
    assert format_date(date(2026, 12, 21), lang) == "21/12/2026"
    assert format_day(date(2026, 12, 21), "rw") == "ku wa mbere 21/12"
    caller = phone(MEMBERS[lang])
    caller.dial()
    meeting = caller.choose(t(lang, "Next meeting"))
    assert {"rw": "saa 14:00", "en": "at 14:00", "fr": "à 14:00"}[lang] in meeting
    for wrong in ("RWF", "Uku.", "Nya.", "Kuwa ", "2026 "):
        assert wrong not in meeting


@pytest.mark.parametrize("lang", LANGS)
def test_the_repay_by_date_is_on_the_first_page_of_the_balances(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    caller.dial()
    caller.choose(t(lang, "My savings"))
    first_pin(caller)
    caller.dial()
    caller.choose(t(lang, "My savings"))
    balances = caller.press("4821")
    due = format_date(date.today() + timedelta(days=40), lang)
    assert format_money(6000, lang) in balances and due in balances, balances


def test_key_presses_from_dial_to_each_goal_in_kinyarwanda(ussd_world, phone):
    """Measured in rw: balance (PIN set) 2, next meeting 1, trainings 1, cooperative 1,
    one absence today 4."""
    member = phone(MEMBER)
    member.dial()
    member.choose(t("rw", "My savings"))
    first_pin(member)  # the proof and the first PIN, once

    def presses(number: str, *labels: str) -> tuple[int, str]:
        caller = phone(number)
        caller.dial()
        for label in labels:
            caller.press(label if label.isdigit() else caller.option(label))
        count, screen = len(caller.inputs), caller.screen
        _leave(caller)
        return count, screen

    count, screen = presses(MEMBER, t("rw", "My savings"), "4821")
    assert count <= 2 and format_money(15000, "rw") in screen
    count, screen = presses(MEMBER, t("rw", "Next meeting"))
    assert count == 1 and "Twiyubake" in screen
    count, screen = presses(MEMBER, t("rw", "My trainings"))
    assert count == 1 and "part 1" in screen
    count, screen = presses(MEMBER, t("rw", "My cooperative"))
    assert count == 1 and "Abakora Neza" in screen
    today = to_local(utcnow()).date()
    count, screen = presses(
        TRAINER,
        t("rw", "Report absence"),
        "T0001 Trainee 1",
        format_day(today, "rw"),
        t("rw", "Confirm"),
    )
    assert count <= 4 and "T0001 Trainee 1" in screen
    with ussd_world.db.session() as s:
        assert [a.day for a in s.scalars(select(Absence))] == [today]


@pytest.mark.parametrize("lang", LANGS)
def test_pin_prompts_say_new_and_not_your_momo_pin(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    caller.dial()
    caller.choose(t(lang, "My savings"))
    first = caller.press(ID_LAST4)  # the proof: the last digits of the member's national ID
    assert "MoMo" in first and t(lang, "Choose a new PIN of 4 digits (not your MoMo PIN):") in first
    assert t(lang, "Enter the new PIN again:") in caller.press("4821")
    caller.press("4821")
    caller.press("00")
    caller.page_to(t(lang, "Change PIN"))
    old = caller.choose(t(lang, "Change PIN"))
    assert t(lang, "Enter your current PIN (4 digits):") in old


def test_members_have_a_help_item_with_the_ussd_code(ussd_world, phone):
    caller = phone(MEMBER)
    caller.dial()
    help_screen = caller.choose(t("rw", "Help"))
    assert "*384*1234#" in help_screen and "0788000000" in help_screen


def test_an_opted_out_member_is_told_why_no_sms_comes(ussd_world, phone):
    with ussd_world.db.session() as s:
        s.scalar(select(Person).where(Person.phone == MEMBER)).opted_out = True
    caller = phone(MEMBER)
    caller.dial()
    caller.choose(t("rw", "Next meeting"))
    refused = caller.choose(t("rw", "Send me this by SMS"))
    assert "HAGARIKA" in refused and "TANGIRA" in refused
    with ussd_world.db.session() as s:
        assert s.scalars(select(OutboundSms).where(OutboundSms.kind == "ussd_copy")).all() == []
