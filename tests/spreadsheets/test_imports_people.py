"""`ikimina import people`: through the CLI, on SQLite and PostgreSQL."""

from __future__ import annotations

import os

from sqlalchemy import func, select
from support.spreadsheets import DATA, assert_refused, csv_file, ikimina, import_ok, session, setup

from models import Person, Role, Sector, Vtc
from models.pin_resets import id_matches

HEADER = "phone,name,language,roles,district,sector,vsla,cooperative,vtc\n"


def _people(database_url: str) -> dict[str, Person]:
    with session(database_url) as s:
        return {p.phone: p for p in s.scalars(select(Person))}


def test_a_good_file_creates_everyone_with_roles_places_and_groups(database_url) -> None:
    setup(database_url, "vslas", "cooperatives")
    output = import_ok(database_url, "people", DATA / "people.csv")
    assert "6 people rows; 6 created, 0 updated, 0 unchanged" in output
    with session(database_url) as s:
        leader = s.scalar(select(Person).where(Person.phone == "+250788100002"))
        assert leader.name == "Mukamana Claudine"
        assert leader.roles == {Role.MEMBER, Role.LEADER}
        assert leader.language == "rw"  # blank language: Kinyarwanda
        assert (leader.vsla.name, leader.cooperative.name) == ("Twiyubake", "Abakora Neza")
        assert (leader.district.name, leader.sector.name) == ("Rubavu", "Gisenyi")
        assert s.scalar(select(Person.language).where(Person.phone == "+250788100004")) == "fr"
        vtc = s.scalar(select(Vtc).where(Vtc.name == "Gisenyi VTC"))
        assert vtc.district.name == "Rubavu"
        assert vtc.director.phone == "+250788100021"


def test_the_same_file_twice_changes_nothing(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    before = _people(database_url)
    output = import_ok(database_url, "people", DATA / "people.csv")
    assert "0 created, 0 updated, 6 unchanged" in output
    assert {p: (x.name, x.roles) for p, x in _people(database_url).items()} == {
        p: (x.name, x.roles) for p, x in before.items()
    }


def test_three_spellings_of_a_phone_are_one_person(database_url, tmp_path) -> None:
    for n, spelling in enumerate(("0788 123 456", "250788123456", "+250 788-123-456")):
        path = csv_file(tmp_path, f"p{n}.csv", HEADER + f"{spelling},Uwase Aline,rw,member,,,,,\n")
        output = import_ok(database_url, "people", path)
        assert ("1 created" if n == 0 else "1 unchanged") in output
    assert list(_people(database_url)) == ["+250788123456"]


def test_two_rows_for_one_phone_are_refused(database_url, tmp_path) -> None:
    path = csv_file(tmp_path, "twice.csv", HEADER + "0788123456,A,,,,,,,\n+250788123456,B,,,,,,,\n")
    result = ikimina(database_url, "import", "people", str(path))
    assert result.exit_code == 1
    assert "row 3, phone: same phone as row 2" in result.output


def test_a_correction_updates_name_roles_and_language(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    fixed = csv_file(
        tmp_path, "fix.csv", HEADER + "0788100003,Niyonzima Jean Paul,rw,member;leader,,,,,\n"
    )
    assert "0 created, 1 updated, 0 unchanged" in import_ok(database_url, "people", fixed)
    jean = _people(database_url)["+250788100003"]
    assert (jean.name, jean.language, jean.roles) == (
        "Niyonzima Jean Paul", "rw", {Role.MEMBER, Role.LEADER}
    )
    assert jean.vsla_id is None  # the file is the truth: a blank cell clears


BAD = HEADER + """\
0788100001,Uwase Aline,rw,member,Rubavu,Gisenyi,Twiyubake,,
0788 12,Bad Phone,rw,member,,,,,
0788100005,Unknown Role,rw,member;chief,,,,,
0788100006,Unknown District,rw,member,Kigali City,,,,
0788100007,Unknown Vsla,rw,member,Rubavu,Gisenyi,Abadahemuka,,
0788100008,Unknown Language,sw,member,,,,,
0788100009,Good Too,en,member,Nyabihu,Jenda,,,
"""


def test_bad_rows_are_listed_and_nothing_is_imported(database_url, tmp_path) -> None:
    setup(database_url, "vslas")
    output = assert_refused(database_url, "people", csv_file(tmp_path, "bad.csv", BAD), (
        "row 3, phone: not a valid phone number: '0788 12'",
        "row 4, roles: 'chief' is not one of: member leader trainer field_officer "
        "vtc_director staff",
        "row 5, district: 'Kigali City' is not a district of Rwanda",
        "row 6, vsla: no VSLA named 'Abadahemuka'; import it first",
        "row 7, language: 'sw' is not one of: rw en fr",
    ), Person)
    assert "row 2" not in output and "row 8" not in output
    with session(database_url) as s:  # not even the sector of a good row
        assert s.scalar(select(Sector).where(Sector.name == "Jenda")) is None


def test_skip_invalid_imports_the_good_rows(database_url, tmp_path) -> None:
    setup(database_url, "vslas")
    path = csv_file(tmp_path, "bad.csv", BAD)
    output = import_ok(database_url, "people", path, "--skip-invalid")
    assert "2 created" in output and "Rejected rows (5):" in output
    assert sorted(_people(database_url)) == ["+250788100001", "+250788100009"]


def test_dry_run_says_what_would_change_and_writes_nothing(database_url) -> None:
    setup(database_url, "vslas", "cooperatives")
    output = import_ok(database_url, "people", DATA / "people.csv", "--dry-run")
    assert "6 would be created" in output and "Dry run: nothing was written." in output
    assert _people(database_url) == {}
    with session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(Vtc)) == 0


def test_dry_run_of_a_bad_file_fails_like_the_real_run(database_url, tmp_path) -> None:
    setup(database_url, "vslas")
    result = ikimina(database_url, "import", "people", str(csv_file(tmp_path, "b.csv", BAD)),
                     "--dry-run")
    assert result.exit_code == 1
    assert "row 3, phone" in result.output and _people(database_url) == {}


def test_an_xlsx_file_with_numbers_for_phones(database_url) -> None:
    setup(database_url, "vslas", "cooperatives")
    output = import_ok(database_url, "people", DATA / "people.xlsx")
    assert "3 created" in output
    assert _people(database_url)["+250788100003"].language == "en"


def test_a_file_without_a_needed_column_is_refused(database_url, tmp_path) -> None:
    path = csv_file(tmp_path, "short.csv", "phone,name\n0788100001,Uwase\n")
    result = ikimina(database_url, "import", "people", str(path))
    assert result.exit_code == 1
    assert "the header has no column language, roles, district" in result.output


def test_the_national_id_digits_are_stored_hashed_and_a_re_import_changes_nothing(
    database_url, tmp_path
) -> None:
    header = HEADER.rstrip("\n") + ",national_id_last4\n"
    path = csv_file(
        tmp_path, "ids.csv", header + "0788123456,Uwase Aline,rw,member,,,,,,4417\n"
        "0788123457,Mugisha Eric,rw,member,,,,,,417\n"  # a number cell that lost its zero
        "0788123458,Keza Diane,rw,member,,,,,,\n"
    )
    assert "3 created" in import_ok(database_url, "people", path)
    people = _people(database_url)
    pepper = os.environ.get("PIN_PEPPER", "")
    aline, eric, diane = (people[f"+25078812345{n}"] for n in (6, 7, 8))
    assert aline.id_last4_hash.startswith("$argon2") and "4417" not in aline.id_last4_hash
    assert id_matches(aline, "4417", pepper=pepper) and not id_matches(aline, "4418", pepper=pepper)
    assert id_matches(eric, "0417", pepper=pepper)
    assert diane.id_last4_hash is None
    assert "0 created, 0 updated, 3 unchanged" in import_ok(database_url, "people", path)
    assert _people(database_url)["+250788123456"].id_last4_hash == aline.id_last4_hash
    bad = csv_file(tmp_path, "bad.csv", header + "0788123456,Uwase Aline,rw,member,,,,,,44170\n")
    result = ikimina(database_url, "import", "people", str(bad))
    assert result.exit_code == 1
    reason = "'44170' is not the last 4 digits of a national ID (like 4417)"
    assert f"row 2, national_id_last4: {reason}" in result.output
