"""`ikimina import ledger`: money in whole RWF, idempotent, corrected by reference."""

from __future__ import annotations

from datetime import date

from sqlalchemy import func, select
from support.spreadsheets import DATA, assert_refused, csv_file, import_ok, session, setup

from models import Channel, Cycle, LedgerEntry, Person, balances

HEADER = "phone,vsla,date,kind,amount,reference\n"


def _balances(database_url: str, phone: str):  # type: ignore[no-untyped-def]
    with session(database_url) as s:
        return balances(s, s.scalar(select(Person.id).where(Person.phone == phone)))


def _entries(database_url: str) -> int:
    with session(database_url) as s:
        return s.scalar(select(func.count()).select_from(LedgerEntry))


def test_a_good_file_gives_each_member_their_balances(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    output = import_ok(database_url, "ledger", DATA / "ledger.csv")
    assert "8 ledger rows; 8 created" in output
    aline = _balances(database_url, "+250788100001")
    assert (aline.shares, aline.social_fund, aline.loans, aline.repaid) == (6000, 200, 30000, 10000)
    assert aline.loan_outstanding == 20000 and aline.next_due == date(2026, 12, 5)
    assert _balances(database_url, "+250788100002").fines == 500
    assert _balances(database_url, "+250788100003").shares == 3000  # "3,000"


def test_the_same_file_twice_changes_nothing(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people", "ledger")
    output = import_ok(database_url, "ledger", DATA / "ledger.csv")
    assert "0 created, 0 updated, 8 unchanged" in output
    assert _entries(database_url) == 8
    assert _balances(database_url, "+250788100001").shares == 6000  # two equal rows stay two


def test_a_corrected_row_is_reversed_and_written_again_never_edited(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people", "ledger")
    with session(database_url) as s:
        (before,) = s.execute(
            select(LedgerEntry.id, LedgerEntry.amount).where(LedgerEntry.reference == "R-001")
        ).all()
    fixed = csv_file(tmp_path, "fix.csv", HEADER + "0788100001,Twiyubake,2026-11-05,repayment,"
                     "12000,R-001\n")
    assert "0 created, 1 updated, 0 unchanged" in import_ok(database_url, "ledger", fixed)
    assert "0 created, 0 updated, 1 unchanged" in import_ok(database_url, "ledger", fixed)
    assert _entries(database_url) == 10
    assert _balances(database_url, "+250788100001").repaid == 12000
    with session(database_url) as s:
        rows = s.execute(
            select(
                LedgerEntry.id,
                LedgerEntry.revision,
                LedgerEntry.amount,
                LedgerEntry.reverses_id,
                LedgerEntry.channel,
            )
            .where(LedgerEntry.reference == "R-001")
            .order_by(LedgerEntry.revision)
        ).all()
    assert [tuple(r[1:]) for r in rows] == [
        (0, before.amount, None, Channel.IMPORT),
        (1, -before.amount, before.id, Channel.IMPORT),
        (2, 12000, None, Channel.IMPORT),
    ]
    assert rows[0].id == before.id  # the first row is untouched


def test_ledger_rows_go_to_the_live_cycle_in_whole_shares(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    rules = csv_file(
        tmp_path,
        "rules.csv",
        "name,district,sector,meeting_day,meeting_time,meeting_place,share_value,cycle_start,"
        "share_out_date\nTwiyubake,Rubavu,Gisenyi,Tuesday,14:00,Ku biro by'akagari,500,"
        "2026-09-01,2027-08-31\n",
    )
    import_ok(database_url, "vslas", rules)
    bad = csv_file(
        tmp_path,
        "bad.csv",
        HEADER + "0788100001,Twiyubake,2026-09-07,shares,1200,X-1\n"
        "0788100001,Twiyubake,2026-08-31,shares,1000,X-2\n",
    )
    reasons = ("1,200 is not a whole number of 500 Frw shares", "cycle starts on 2026-09-01")
    assert_refused(database_url, "ledger", bad, reasons, LedgerEntry)
    good = csv_file(
        tmp_path, "good.csv", HEADER + "0788100001,Twiyubake,2026-09-07,shares,1500,X-1\n"
    )
    import_ok(database_url, "ledger", good)
    with session(database_url) as s:
        row = s.scalar(select(LedgerEntry).where(LedgerEntry.reference == "X-1"))
        cycle = s.scalar(select(Cycle))
        assert (row.cycle_id, row.share_count) == (cycle.id, 3)
    assert _balances(database_url, "+250788100001").share_count == 3


def test_an_xlsx_file_with_typed_cells(database_url) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    assert "2 created" in import_ok(database_url, "ledger", DATA / "ledger.xlsx")
    jean = _balances(database_url, "+250788100003")
    assert (jean.shares, jean.loans, jean.next_due) == (3000, 15000, date(2026, 12, 3))


BAD = HEADER.rstrip() + ",due_date\n" + """\
0788100001,Twiyubake,2026-10-01,shares,2000,,
0788100001,Abadahemuka,2026-10-01,shares,2000,,
0788 12,Twiyubake,2026-10-01,shares,2000,,
0788100001,Twiyubake,2026-10-01,shares,-500,,
0788100001,Twiyubake,01/10/2026,shares,500,,
0788100001,Twiyubake,2026-10-01,savings,500,,
0788100003,Twiyubake,2026-10-01,shares,500,,
0788100001,Twiyubake,2026-10-01,fine,500,,2026-12-01
0788100099,Twiyubake,2026-10-01,shares,500,,
0788100001,Twiyubake,2026-10-01,shares,2000.5,,
0788100001,Twiyubake,2026-10-01,loan,500,X1,
0788100001,Twiyubake,2026-10-02,loan,900,X1,
"""


def test_bad_rows_are_listed_and_nothing_is_imported(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    output = assert_refused(database_url, "ledger", csv_file(tmp_path, "bad.csv", BAD), (
        "row 3, vsla: no VSLA named 'Abadahemuka'; import it first",
        "row 4, phone: not a valid phone number",
        "row 5, amount: '-500' is negative; write a positive amount",
        "row 6, date: '01/10/2026' is not a date; write YYYY-MM-DD",
        "row 7, kind: 'savings' is not one of: shares social_fund loan repayment fine",
        "row 8, phone: Niyonzima Jean is not a member of Twiyubake",
        "row 9, due_date: only a loan has a due date",
        "row 10, phone: no person with phone +250788100099; import people first",
        "row 11, amount: '2000.5' is not a whole number of RWF",
        "row 13, reference: same reference as row 12",
    ), LedgerEntry)
    assert "row 2," not in output


def test_skip_invalid_and_dry_run(database_url, tmp_path) -> None:
    setup(database_url, "vslas", "cooperatives", "people")
    path = csv_file(tmp_path, "bad.csv", BAD)
    dry = import_ok(database_url, "ledger", path, "--skip-invalid", "--dry-run")
    assert "2 would be created" in dry and _entries(database_url) == 0
    output = import_ok(database_url, "ledger", path, "--skip-invalid")
    assert "2 created" in output and "Rejected rows (10):" in output
    assert _entries(database_url) == 2
