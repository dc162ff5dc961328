"""Texts typed as data (training topics, venues, trades, rejection reasons) are imported per
language and shown in the person's; a missing one shows the typed text, marked as English."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select
from support.console import add_staff, post, sign_in
from support.spreadsheets import csv_file, import_ok
from support.ussd import MEMBERS

from locales import translate as t
from models import Cooperative, Stage, Training, utcnow
from models.texts import text_in


def test_imported_topics_show_in_each_language_and_fall_back_visibly(
    ussd_world, phone, tmp_path
) -> None:
    when = (utcnow() + timedelta(days=1)).strftime("%Y-%m-%d 09:00")
    sheet = csv_file(
        tmp_path,
        "trainings.csv",
        "topic,starts_at,venue,audience,topic_rw,topic_fr\n"
        f"Book keeping,{when},Rubavu,all,Kubika ibitabo,Tenue des livres\n",
    )
    assert "1 created" in import_ok(ussd_world.settings.database_url, "trainings", sheet)
    seen = {}
    for lang in ("rw", "en", "fr"):
        caller = phone(MEMBERS[lang])
        caller.dial()
        pages = [caller.choose(t(lang, "My trainings"))]
        while "\n98. " in caller.screen:
            pages.append(caller.press("98"))
        seen[lang] = " ".join(" ".join(page.split()) for page in pages)
    assert "Kubika ibitabo" in seen["rw"] and "Book keeping" not in seen["rw"]
    assert "Tenue des livres" in seen["fr"]
    assert "Book keeping" in seen["en"] and "(in English)" not in seen["en"]
    # the demo topics have no rw text: the English shows, marked as such
    assert "part 1 (mu Cyongereza)" in seen["rw"]
    assert "part 1 (en anglais)" in seen["fr"]


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
def test_a_rejection_reason_is_shown_in_the_members_language(ussd_world, phone, lang) -> None:
    with ussd_world.db.session() as s:
        coop = s.scalar(select(Cooperative))
        coop.stage, coop.rejection_reason = Stage.REJECTED, "Missing statutes"
        coop.texts = {"rejection_reason": {"rw": "Amategeko shingiro arabura"}}
    caller = phone(MEMBERS[lang])
    caller.dial()
    screen = caller.choose(t(lang, "My cooperative"))
    expected = {
        "rw": "Amategeko shingiro arabura",
        "en": "Missing statutes",
        "fr": "Missing statutes (en anglais)",
    }[lang]
    assert expected in screen + caller.press("98") if "\n98. " in screen else expected in screen


def test_text_in_prefers_the_language_then_marks_the_typed_text() -> None:
    training = Training(topic="Book keeping", venue="Rubavu", texts={"topic": {"rw": "Kubika"}})
    assert text_in(training, "topic", "rw") == "Kubika"
    assert text_in(training, "topic", "en") == "Book keeping"
    assert text_in(training, "topic", "fr") == "Book keeping (en anglais)"
    assert text_in(training, "venue", "rw", mark=False) == "Rubavu"


def test_a_topic_staff_write_in_the_console_shows_on_a_members_trainings(
    ussd_world, client, phone
) -> None:
    with ussd_world.db.session() as s:
        training_id = s.scalar(
            select(Training.id).where(Training.topic == "Financial literacy part 1")
        )
    add_staff(ussd_world)
    assert sign_in(client).status_code == 302
    page = f"/console/trainings/{training_id}"
    post(client, page, {"topic_rw": "Gucunga umutungo, igice cya 1", "topic_fr": ""}, page)
    seen = {}
    for lang in ("rw", "fr"):
        caller = phone(MEMBERS[lang])
        caller.dial()
        seen[lang] = " ".join(caller.choose(t(lang, "My trainings")).split())
    assert "Gucunga umutungo, igice cya 1, Rubavu" in seen["rw"]
    assert "Financial literacy part 1" not in seen["rw"]
    assert "Financial literacy part 1 (en anglais)" in seen["fr"]  # still missing, marked
