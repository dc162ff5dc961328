"""`ikimina import people` with a household's one phone: a second person on a used phone needs
the `shared` mark (yes, oui, yego); without it the row is refused with what to do. A ledger file
names whose row it is on a shared phone."""

from __future__ import annotations

from sqlalchemy import select
from support.spreadsheets import csv_file, ikimina, import_ok, session, setup

from models import LedgerEntry, Person

HEADER = "phone,name,language,roles,district,sector,vsla,cooperative,vtc,shared\n"


def _on(database_url: str, phone: str) -> list[tuple[str, str]]:
    with session(database_url) as s:
        people = s.scalars(select(Person).where(Person.phone == phone).order_by(Person.id))
        return [(p.name, p.language) for p in people]


def test_a_second_person_on_a_used_phone_needs_the_shared_mark(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")  # 0788100001 is Uwase Aline's
    plain = csv_file(
        tmp_path,
        "a.csv",
        HEADER + "0788100003,Niyonzima Jean,en,member,,,,,,\n"
        "0788100003,Mugisha Eric,en,member,,,,,,\n",
    )
    result = ikimina(database_url, "import", "people", str(plain))
    assert result.exit_code == 1
    assert (
        "row 3, phone: same phone as row 2; if these people share one phone, write yes in "
        "the shared column of row 3"
    ) in result.output

    marked = csv_file(tmp_path, "b.csv", HEADER + "0788100001,Mugisha Eric,en,member,,,,,,yego\n")
    assert "1 created" in import_ok(database_url, "people", marked)
    assert _on(database_url, "+250788100001") == [("Uwase Aline", "rw"), ("Mugisha Eric", "en")]

    again = csv_file(
        tmp_path,
        "c.csv",
        HEADER + "0788100001,Uwase Aline,fr,member,,,,,,\n"
        "0788100001,Mugisha Eric,en,member;leader,,,,,,oui\n",
    )
    assert "0 created, 2 updated" in import_ok(database_url, "people", again)
    assert _on(database_url, "+250788100001") == [("Uwase Aline", "fr"), ("Mugisha Eric", "en")]

    stranger = csv_file(tmp_path, "d.csv", HEADER + "0788100001,Keza Ange,rw,member,,,,,,\n")
    result = ikimina(database_url, "import", "people", str(stranger))
    assert result.exit_code == 1
    assert (
        "row 2, phone: +250788100001 is shared by Uwase Aline and Mugisha Eric and none is "
        "named Keza Ange: write the name as stored to update one of them, or yes in the "
        "shared column to add Keza Ange to this phone"
    ) in result.output

    bad = csv_file(tmp_path, "e.csv", HEADER + "0788100001,Keza Ange,rw,member,,,,,,maybe\n")
    result = ikimina(database_url, "import", "people", str(bad))
    assert "row 2, shared: 'maybe' is neither yes nor no" in result.output
    assert len(_on(database_url, "+250788100001")) == 2


def test_a_ledger_row_on_a_shared_phone_names_its_member(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    marked = csv_file(
        tmp_path,
        "p.csv",
        HEADER + "0788100001,Mugisha Eric,en,member,Rubavu,Gisenyi,Twiyubake,,,yes\n",
    )
    import_ok(database_url, "people", marked)
    head = "phone,vsla,date,kind,amount,reference,name\n"
    nameless = csv_file(
        tmp_path, "l1.csv", head + "0788100001,Twiyubake,2026-11-02,shares,1000,X1,\n"
    )
    result = ikimina(database_url, "import", "ledger", str(nameless))
    assert result.exit_code == 1
    assert (
        "row 2, phone: +250788100001 is shared by Uwase Aline and Mugisha Eric: write which "
        "of them in a name column"
    ) in result.output
    named = csv_file(
        tmp_path, "l2.csv", head + "0788100001,Twiyubake,2026-11-02,shares,1000,X1,Eric\n"
    )
    import_ok(database_url, "ledger", named)
    with session(database_url) as s:
        entry = s.scalar(select(LedgerEntry).where(LedgerEntry.reference == "X1"))
        assert s.get(Person, entry.person_id).name == "Mugisha Eric"
