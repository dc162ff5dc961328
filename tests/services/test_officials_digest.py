"""Local leaders hear every Monday of the cooperatives of their area waiting on their office."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from support import factories as f
from support.sms import sent_to

from models import Language, Role, Stage
from services.reminder_rules import OFFICIALS_DIGEST
from services.reminders import queue_due

SECTOR, DISTRICT, IDLE = "+250788500001", "+250788500002", "+250788500003"


def test_officials_get_a_monday_digest_of_what_waits_on_them(context) -> None:
    monday = date(2026, 12, 7)
    with context.db.session() as s:
        f.cooperative(s, "Twisungane", stage=Stage.SECTOR_SUBMITTED, stage_date=date(2026, 11, 7))
        f.cooperative(
            s, "Abakora Neza", stage=Stage.DISTRICT_SUBMITTED, stage_date=date(2026, 10, 28)
        )
        f.cooperative(
            s, "Dukore", stage=Stage.DISTRICT_SITE_VISIT, stage_date=date(2026, 11, 27)
        )
        f.cooperative(s, "Icyerekezo", stage=Stage.FORMED, stage_date=date(2026, 9, 1))
        f.person(s, SECTOR, "Uwimana Grace", roles=(Role.SECTOR_OFFICIAL,))
        f.person(
            s, DISTRICT, "Habimana Jean", roles=(Role.DISTRICT_OFFICIAL,), language=Language.EN
        )
        f.person(
            s, IDLE, "Mugabo Eric", roles=(Role.DISTRICT_OFFICIAL,), district_name="Musanze",
            sector_name="Busogo",
        )
    at = datetime.combine(monday, time(8, 5), ZoneInfo("Africa/Kigali"))
    with context.db.session() as s:
        assert queue_due(s, context.settings, at, rules=(OFFICIALS_DIGEST,)) == 2
        [sector] = sent_to(s, SECTOR, "reminder")
        assert sector.text == (
            "Uwimana Grace, koperative 1 zo muri Gisenyi zitegereje ibiro byanyu. Izatinze "
            "(iminsi): Twisungane (30)"
        )
        [district] = sent_to(s, DISTRICT, "reminder")
        assert district.text == (
            "Habimana Jean, 2 cooperatives of Rubavu wait for your office. Longest (days): "
            "Abakora Neza (40), Dukore (10)"
        )
        assert sent_to(s, IDLE) == []
        assert queue_due(s, context.settings, at + timedelta(minutes=15),
                         rules=(OFFICIALS_DIGEST,)) == 0
        assert len(sent_to(s, SECTOR)) == 1
