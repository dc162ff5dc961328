"""`ikimina import trainees` and `ikimina import trainings`."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import select
from support.spreadsheets import DATA, assert_refused, csv_file, import_ok, session, setup

from models import Intake, Person, Role, Trainee, Training

TRAINEE_HEADER = "code,phone,name,trade,vtc,trainer_phone,start_date\n"
TRAINING_HEADER = "topic,starts_at,venue,audience\n"


def test_trainees_new_and_known_people(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    output = import_ok(database_url, "trainees", DATA / "trainees.csv")
    assert "3 created" in output and "2 new people (role member)" in output
    assert "3 unchanged" in import_ok(database_url, "trainees", DATA / "trainees.csv")
    with session(database_url) as s:
        trainees = {t.code: t for t in s.scalars(select(Trainee))}
        assert sorted(trainees) == ["T0001", "T0002", "T0003"]
        bosco = trainees["T0001"].person
        assert (bosco.name, bosco.roles, bosco.district.name) == (
            "Iradukunda Bosco", {Role.MEMBER}, "Rubavu"
        )
        assert trainees["T0003"].person.name == "Niyonzima Jean"  # known: left as people made him
        assert trainees["T0002"].trainer.phone == "+250788100010"
        assert trainees["T0002"].vtc.name == "Gisenyi VTC"


def test_bad_trainee_rows(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    bad = csv_file(tmp_path, "bad.csv", TRAINEE_HEADER + """\
        T0001,0788120001,Iradukunda Bosco,Tailoring,Gisenyi VTC,0788100001,2026-09-01
        T0002,0788120002,,Tailoring,Gisenyi VTC,0788100010,2026-09-01
        T0003,0788 12,Mutoni,Tailoring,Gisenyi VTC,0788100010,2026-09-01
        T-4,0788120004,Mutoni,Tailoring,Gisenyi VTC,0788100010,1 Sept
        T0001,0788120005,Kayitesi,Tailoring,Gisenyi VTC,,2026-09-01
        """)
    assert_refused(database_url, "trainees", bad, (
        "row 2, trainer_phone: Uwase Aline is not a trainer",
        "row 3, name: a new trainee needs a name",
        "row 4, phone: not a valid phone number",
        "row 5, code: 'T-4' is not a code",
        "row 5, start_date: '1 Sept' is not a date",
    ), Trainee)
    with session(database_url) as s:
        assert s.scalar(select(Person).where(Person.phone == "+250788120005")) is None


def test_trainings_in_kigali_time_for_their_audience(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    assert "5 created" in import_ok(database_url, "trainings", DATA / "trainings.csv")
    assert "5 unchanged" in import_ok(database_url, "trainings", DATA / "trainings.csv")
    with session(database_url) as s:
        first = s.scalar(select(Training).where(Training.topic == "Cooperative governance"))
        assert first.starts_at == datetime(2026, 12, 3, 7, 30, tzinfo=UTC)  # 09:30 in Kigali
        audiences = set(s.scalars(select(Training.audience)))
        assert audiences == {
            "district:Rubavu", "vsla:Twiyubake", "vtc:Gisenyi VTC", "all",
            "cooperative:Twitezimbere",
        }


def test_bad_training_rows(database_url, tmp_path) -> None:
    setup(database_url, "vslas")
    bad = csv_file(tmp_path, "bad.csv", TRAINING_HEADER + """\
        Business plan,2026-12-08 10:00,Gisenyi,vsla:Abadahemuka
        Business plan,2026-12-08,Gisenyi,all
        Business plan,2026-12-09 10:00,Gisenyi,role:leader
        Business plan,2026-12-10 10:00,Gisenyi,district:Musanze
        """)
    assert_refused(database_url, "trainings", bad, (
        "row 2, audience: no VSLA named 'Abadahemuka'",
        "row 3, starts_at: '2026-12-08' is not a date and time; write YYYY-MM-DD HH:MM",
        "row 4, audience: 'role:leader': use all, district:NAME",
        "row 5, audience: no district named 'Musanze'",
    ), Training)


INTAKE_HEADER = "vtc,district,trade,start_date,end_date,start_time\n"
PEOPLE_HEADER = "phone,name,language,roles,district,sector,vsla,cooperative,vtc\n"


def test_intakes_link_their_trainees(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    import_ok(database_url, "trainees", DATA / "trainees.csv")
    intakes = csv_file(tmp_path, "intakes.csv", INTAKE_HEADER + """\
        Gisenyi VTC,Rubavu,tailoring,2026-08-15,2027-02-15,
        Gisenyi VTC,,Welding,2026-09-01,2027-03-01,07:30
        Busogo VTC,Musanze,Knitting,2026-10-01,2027-04-01,
        """)
    output = import_ok(database_url, "intakes", intakes)
    assert "3 created" in output and "2 trainees linked to their intake" in output
    assert "3 unchanged" in import_ok(database_url, "intakes", intakes)
    with session(database_url) as s:
        by_code = {t.code: t for t in s.scalars(select(Trainee))}
        assert by_code["T0001"].intake.trade == "tailoring"
        assert by_code["T0003"].intake.start_time.isoformat() == "07:30:00"
        assert by_code["T0002"].intake is None  # hairdressing has no intake
        busogo = s.scalar(select(Intake).where(Intake.trade == "Knitting"))
        assert busogo.vtc.district.name == "Musanze"


def test_bad_intake_rows(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    import_ok(database_url, "trainees", DATA / "trainees.csv")
    bad = csv_file(tmp_path, "bad.csv", INTAKE_HEADER + """\
        Gisenyi VTC,Rubavu,Tailoring,2026-09-01,2026-09-01,
        Gisenyi VTC,Musanze,Tailoring,2026-09-01,2027-01-01,
        New VTC,,Tailoring,2026-09-01,2027-01-01,
        Gisenyi VTC,Rubavu,Tailoring,2026-09-01,2027-01-01,8h
        """)
    assert_refused(database_url, "intakes", bad, (
        "row 2, end_date: the end date must be after the start date",
        "row 3, district: Gisenyi VTC is in another district",
        "row 4, district: a new VTC needs its district",
        "row 5, start_time: '8h' is not a time",
    ), Intake)


def test_people_rows_with_official_roles(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives")
    bad = csv_file(tmp_path, "bad.csv", PEOPLE_HEADER + """\
        0788600001,Uwimana Grace,rw,sector_official,Rubavu,,,,
        0788600002,Habimana Jean,en,district_official,,,,,
        """)
    assert_refused(database_url, "people", bad, (
        "row 2, sector: a sector official needs their sector",
        "row 3, district: a district official needs their district",
    ), Person)
    good = csv_file(tmp_path, "good.csv", PEOPLE_HEADER + """\
        0788600001,Uwimana Grace,rw,sector_official,Rubavu,Gisenyi,,,
        0788600002,Habimana Jean,en,district_official,Rubavu,,,,
        """)
    assert "2 created" in import_ok(database_url, "people", good)
    with session(database_url) as s:
        grace = s.scalar(select(Person).where(Person.phone == "+250788600001"))
        assert grace.roles == {Role.SECTOR_OFFICIAL}
