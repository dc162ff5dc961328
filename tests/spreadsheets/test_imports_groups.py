"""`ikimina import vslas` and `ikimina import cooperatives` (with registration history)."""

from __future__ import annotations

from datetime import date, time

from sqlalchemy import func, select
from support.spreadsheets import DATA, assert_refused, csv_file, import_ok, session, setup

from models import Cooperative, District, OutboundSms, Sector, Stage, StageChange, Vsla

VSLA_HEADER = "name,district,sector,meeting_day,meeting_time,meeting_place,share_value\n"
COOP_HEADER = (
    "name,value_chain,district,sector,stage,stage_date,certificate_no,rejection_reason\n"
)


def test_vslas_with_their_sector_and_meeting(database_url) -> None:
    assert "3 created" in import_ok(database_url, "vslas", DATA / "vslas.csv")
    assert "3 unchanged" in import_ok(database_url, "vslas", DATA / "vslas.csv")
    with session(database_url) as s:
        twiyubake = s.scalar(select(Vsla).where(Vsla.name == "Twiyubake"))
        assert (twiyubake.sector.name, twiyubake.sector.district.name) == ("Gisenyi", "Rubavu")
        assert (twiyubake.meeting_day, twiyubake.meeting_time) == (1, time(14, 0))
        assert twiyubake.share_value == 500
        days = dict(s.execute(select(Vsla.name, Vsla.meeting_day)).all())
        assert days == {"Twiyubake": 1, "Dufatanye": 4, "Terimbere": 5}  # en, rw, fr
        assert s.scalar(select(func.count()).select_from(District)) == 3
        assert s.scalar(select(func.count()).select_from(Sector)) == 3


def test_bad_vsla_rows(database_url, tmp_path) -> None:
    bad = csv_file(tmp_path, "bad.csv", VSLA_HEADER + """\
        Abishyize Hamwe,Kigali,Nyamirambo,Monday,09:00,,500
        Jyambere,Ngororero,,Monday,09:00,,500
        Twisungane,Gakenke,Nemba,Someday,25:00,,-5
        """)
    assert_refused(database_url, "vslas", bad, (
        "row 2, district: 'Kigali' is not a district of Rwanda",
        "row 3, sector: a value is needed",
        "row 4, meeting_day: 'Someday' is not a day of the week",
        "row 4, meeting_time: '25:00' is not a time",
        "row 4, share_value: '-5' is negative",
    ), Vsla)


def _history(database_url: str, name: str) -> list[tuple[Stage, date, str | None]]:
    with session(database_url) as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == name))
        return [(step.stage, step.date, step.note) for step in coop.history]


def test_cooperatives_with_their_stage_and_history(database_url) -> None:
    assert "3 created" in import_ok(database_url, "cooperatives", DATA / "cooperatives.csv")
    assert "3 unchanged" in import_ok(database_url, "cooperatives", DATA / "cooperatives.csv")
    assert _history(database_url, "Twitezimbere") == [
        (Stage.CERTIFIED, date(2026, 8, 14), "RCA/0456/2026")
    ]
    with session(database_url) as s:
        rejected = s.scalar(select(Cooperative).where(Cooperative.name == "Dukore Twese"))
        assert rejected.stage is Stage.REJECTED
        assert rejected.rejection_reason == "Missing the members' ID copies"
        assert s.scalar(select(func.count()).select_from(StageChange)) == 3


def test_a_new_stage_on_re_import_is_added_to_the_history(database_url, tmp_path) -> None:
    setup(database_url, "cooperatives")
    moved = csv_file(tmp_path, "moved.csv", COOP_HEADER + """\
        Abakora Neza,Trade,Rubavu,Gisenyi,district_approved,2026-11-20,,
        """)
    assert "0 created, 1 updated" in import_ok(database_url, "cooperatives", moved)
    assert "1 unchanged" in import_ok(database_url, "cooperatives", moved)
    assert _history(database_url, "Abakora Neza") == [
        (Stage.DISTRICT_SITE_VISIT, date(2026, 11, 2), None),
        (Stage.DISTRICT_APPROVED, date(2026, 11, 20), None),
    ]
    with session(database_url) as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == "Abakora Neza"))
        assert (coop.stage, coop.stage_date) == (Stage.DISTRICT_APPROVED, date(2026, 11, 20))


def test_a_stage_moved_by_import_texts_the_members_once(database_url, tmp_path) -> None:
    """As the console and `ikimina cooperative-stage` do: one SMS per member, once."""
    setup(database_url, "vslas", "cooperatives", "people")
    moved = csv_file(tmp_path, "moved.csv", COOP_HEADER + """\
        Abakora Neza,Trade,Rubavu,Gisenyi,district_approved,2026-11-20,,
        """)
    assert "0 created, 1 updated" in import_ok(database_url, "cooperatives", moved)
    assert "1 unchanged" in import_ok(database_url, "cooperatives", moved)
    with session(database_url) as s:
        told = s.scalars(select(OutboundSms).where(OutboundSms.kind == "reminder")).all()
        assert sorted((sms.phone, sms.dedupe_key.split(":")[1]) for sms in told) == [
            ("+250788100001", "stage_changed"),  # a member
            ("+250788100002", "stage_changed"),  # Mukamana Claudine, the leader
        ]
        claudine = [sms for sms in told if sms.phone == "+250788100002"][0]
        assert claudine.text.startswith("Mukamana Claudine, kwiyandikisha kwa Abakora Neza:")


def test_bad_cooperative_rows(database_url, tmp_path) -> None:
    bad = csv_file(tmp_path, "bad.csv", COOP_HEADER + """\
        Ejo Heza,Trade,Rulindo,Base,registered,2026-10-01,,
        Ubumwe,Trade,Nyabihu,Jenda,certified,2026-10-01,,
        Imbaraga,Trade,Ngororero,Kabaya,rejected,2026-10-01,,
        Urumuri,Trade,Nyarugenge,Gitega,formed,2026-10-01,RCA/1,
        Amizero,Trade,Atlantis,,formed,2026-10-01,,
        Umucyo,Trade,Rubavu,,formed,2026-13-01,,
        """)
    assert_refused(database_url, "cooperatives", bad, (
        "row 2, stage: 'registered' is not one of: formed sector_submitted",
        "row 3, certificate_no: a certified cooperative needs its certificate_no",
        "row 4, rejection_reason: a rejected cooperative needs its rejection_reason",
        "row 5, certificate_no: only a certified cooperative has a certificate_no",
        "row 6, district: 'Atlantis' is not a district of Rwanda",
        "row 7, stage_date: '2026-13-01' is not a date",
    ), Cooperative)
