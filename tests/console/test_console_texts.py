"""Staff read and write the texts typed as data in each language (a training's topic and venue,
a trainee's trade, a cooperative's rejection reason), see which languages are missing, and are
refused, in their own language, a text a phone cannot show or that is too long."""

from __future__ import annotations

import re
from datetime import date, timedelta
from html import unescape

from sqlalchemy import select
from support import factories as make
from support.console import post

from models import Cooperative, Language, StaffAccount, Stage, Trainee, Training, Vtc, utcnow


def text(response) -> str:  # type: ignore[no-untyped-def]
    return unescape(response.get_data(as_text=True))


def words(response) -> str:  # type: ignore[no-untyped-def]
    """What staff read on the page: the text without tags, spaces collapsed."""
    return " ".join(re.sub(r"<[^>]+>", " ", text(response)).split())


def test_staff_write_a_trainings_topic_and_venue_in_each_language(
    context, staff_client, programme
) -> None:
    with context.db.session() as s:
        training_id = make.training(s, "Book keeping", utcnow() + timedelta(days=3)).id
        make.training(s, "Long past", utcnow() - timedelta(days=3))
    listing = words(staff_client.get("/console/trainings"))
    assert "Book keeping" in listing and "Long past" not in listing
    assert "Topic: Missing: Kinyarwanda, French" in listing
    page = f"/console/trainings/{training_id}"
    form = {"topic_rw": "Kubika ibitabo", "topic_en": "Book keeping", "topic_fr": "",
            "venue_rw": "Ku biro by\u2019umurenge wa Rubavu", "venue_en": "", "venue_fr": ""}

    too_long = post(staff_client, page, {**form, "topic_rw": "Kubika " * 9}, page)
    assert too_long.status_code == 400
    assert "Kinyarwanda: 62 characters, at most 60." in text(too_long)
    with context.db.session() as s:
        s.scalars(select(StaffAccount)).one().language = Language.RW
    not_gsm7 = post(staff_client, page, {**form, "topic_fr": "Comptabilit\u00e9 \u2713"}, page)
    assert not_gsm7.status_code == 400
    assert "Igifaransa: telefoni ntishobora kwerekana \u2713." in text(not_gsm7)
    assert 'value="Comptabilit\u00e9 \u2713"' in text(not_gsm7)  # what was typed stays
    with context.db.session() as s:
        assert s.get(Training, training_id).texts in ({}, None)
        s.scalars(select(StaffAccount)).one().language = Language.EN

    saved = staff_client.get(post(staff_client, page, form, page).headers["Location"])
    assert "Texts saved." in text(saved)
    with context.db.session() as s:
        assert s.get(Training, training_id).texts == {
            "topic": {"rw": "Kubika ibitabo"},
            "venue": {"rw": "Ku biro by'umurenge wa Rubavu"},  # the ASCII apostrophe
        }
    listing = words(staff_client.get("/console/trainings"))
    assert "Topic: Missing: French" in listing and "Venue: Missing: French" in listing


def test_staff_write_a_trade_per_language_on_the_intake_and_the_person(
    context, staff_client, programme
) -> None:
    with context.db.session() as s:
        intake = make.intake(s, s.scalar(select(Vtc)), "Tailoring", date(2026, 9, 1),
                             date(2027, 3, 1))
        codes = ("T0001", "T0002")
        for trainee in s.scalars(select(Trainee).where(Trainee.code.in_(codes))):
            trainee.intake_id = intake.id
        intake_id = intake.id
        alone = s.scalar(select(Trainee).where(Trainee.code == "T0003"))
        alone_id, person_id = alone.id, alone.person_id
    page = f"/console/intakes/{intake_id}"
    assert "Missing: Kinyarwanda, French" in text(staff_client.get(page))
    post(staff_client, f"{page}/trade", {"trade_rw": "Ubudozi", "trade_fr": "Couture"}, page)
    assert "Missing" not in text(staff_client.get(page))
    person = f"/console/people/{person_id}"
    refused = post(staff_client, f"/console/trainees/{alone_id}/texts",
                   {"trade_rw": "Ubudozi " * 6}, person)
    assert "Kinyarwanda: 47 characters, at most 40." in text(staff_client.get(refused.location))
    post(staff_client, f"/console/trainees/{alone_id}/texts", {"trade_rw": "Ubudozi"}, person)
    assert "Missing: French" in text(staff_client.get(person))
    with context.db.session() as s:
        trades = {t.code: t.texts for t in s.scalars(select(Trainee))}
    assert trades["T0001"] == trades["T0002"] == {"trade": {"rw": "Ubudozi", "fr": "Couture"}}
    assert trades["T0003"] == {"trade": {"rw": "Ubudozi"}}
    assert not trades["T0004"]


def test_staff_write_a_rejection_reason_in_each_language(context, staff_client, programme) -> None:
    with context.db.session() as s:
        coop = s.scalars(select(Cooperative).order_by(Cooperative.id)).first()
        coop.stage, coop.rejection_reason = Stage.REJECTED, "Missing statutes"
        coop_id = coop.id
    page = f"/console/cooperatives/{coop_id}"
    shown = text(staff_client.get(page))
    assert "The rejection reason in each language" in shown
    assert "Missing: Kinyarwanda, French" in shown
    refused = post(staff_client, f"{page}/texts", {"rejection_reason_rw": "x" * 121}, page)
    assert refused.status_code == 400
    assert "Kinyarwanda: 121 characters, at most 120." in text(refused)
    post(staff_client, f"{page}/texts", {"rejection_reason_rw": "Amategeko shingiro arabura",
                                         "rejection_reason_fr": "Statuts manquants"}, page)
    shown = text(staff_client.get(page))
    assert "Texts saved." in shown and "All languages" in shown
    with context.db.session() as s:
        assert s.get(Cooperative, coop_id).texts == {"rejection_reason": {
            "rw": "Amategeko shingiro arabura", "fr": "Statuts manquants"}}
