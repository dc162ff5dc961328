"""A TVET trainer reports absent trainees by USSD, through the same path as SMS reports."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from support.ussd import TRAINER

from locales import translate
from locales.formatting import format_day, to_local
from models import Absence, AbsenceReason, Channel, Language, Person, utcnow


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
def test_a_trainer_reports_two_absences_then_a_duplicate(ussd_world, phone, lang):
    with ussd_world.db.session() as s:
        s.scalar(select(Person).where(Person.phone == TRAINER)).language = Language(lang)
    caller = phone(TRAINER)
    caller.dial()
    caller.choose(translate(lang, "Report absence"))
    assert "T0001 Trainee 1" in caller.screen
    pages = caller.page_to("T0012")
    assert len(pages) >= 2  # twelve trainees are paged
    caller.choose("T0012 Trainee 12")
    assert "T0012" in caller.screen
    caller.choose(translate(lang, "Add another trainee"))
    assert "T0012" not in caller.screen  # already chosen
    caller.choose("T0002 Trainee 2")
    today = to_local(utcnow()).date()
    days = caller.screen
    assert format_day(today, lang) in days
    assert format_day(today - timedelta(days=6), lang) in days + caller.press("98")
    if "98. " in days:
        caller.press("0")
    yesterday = format_day(today - timedelta(days=1), lang)
    caller.choose(yesterday)
    assert "T0012, T0002" in caller.screen
    done = caller.choose(translate(lang, "Sick"))  # confirms, with the reason
    assert "T0012 Trainee 12" in done and "T0002 Trainee 2" in done
    assert translate(lang, "Already reported: {names}.", names="")[:8] not in done
    with ussd_world.db.session() as s:
        rows = s.scalars(select(Absence)).all()
        assert {(a.trainee.code, a.day, a.channel, a.reason) for a in rows} == {
            ("T0012", today - timedelta(days=1), Channel.USSD, AbsenceReason.SICK),
            ("T0002", today - timedelta(days=1), Channel.USSD, AbsenceReason.SICK),
        }

    caller.dial()
    caller.choose(translate(lang, "Report absence"))
    caller.choose("T0001 Trainee 1")
    caller.choose(translate(lang, "Add another trainee"))
    caller.page_to("T0012")
    caller.choose("T0012 Trainee 12")
    caller.choose(yesterday)
    again = caller.choose(translate(lang, "Confirm"))  # the reason is not known
    assert translate(lang, "Already reported: {names}.", names="T0012 Trainee 12") in again
    assert "T0001 Trainee 1" in again
    with ussd_world.db.session() as s:
        assert len(s.scalars(select(Absence)).all()) == 3


def test_the_report_screens_keep_back_and_home(ussd_world, phone):
    caller = phone(TRAINER)
    menu = caller.dial()
    caller.choose(translate("rw", "Report absence"))
    pick = caller.screen
    caller.choose("T0001 Trainee 1")
    assert caller.press("0") == pick
    caller.choose("T0001 Trainee 1")
    assert caller.press("00") == menu
