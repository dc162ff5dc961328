"""The books migration on a database that already holds groups: each group gets cycle 1 at its
share value, its people numbered and its imported ledger in that cycle; going back down is
refused once a group has kept a meeting. Run through `ikimina db upgrade` on a fresh database
of each backend."""

from __future__ import annotations

import os
import uuid
from collections.abc import Iterator
from datetime import date

import pytest
from alembic import command
from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url
from support.spreadsheets import ikimina

from ikimina.db import alembic_config

PG_ADMIN_URL = os.environ.get(
    "IKIMINA_TEST_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
BACKENDS = [b for b in os.environ.get("IKIMINA_TEST_BACKENDS", "sqlite,postgresql").split(",") if b]


@pytest.fixture(params=BACKENDS)
def fresh_url(request: pytest.FixtureRequest, tmp_path) -> Iterator[str]:  # type: ignore[no-untyped-def]
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'old.db'}"
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ikimina_mig_{uuid.uuid4().hex[:10]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    yield make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
    admin.dispose()


def _run(engine, sql: str, **values: object) -> list:  # type: ignore[no-untyped-def]
    with engine.begin() as conn:
        result = conn.execute(text(sql), values)
        return result.all() if result.returns_rows else []


def test_existing_groups_get_cycle_1_and_a_group_with_meetings_cannot_go_back(fresh_url) -> None:
    assert ikimina(fresh_url, "db", "upgrade", "--revision", "0001").exit_code == 0
    engine = create_engine(fresh_url)
    _run(engine, "INSERT INTO districts (id, name) VALUES (1, 'Rubavu')")
    _run(engine, "INSERT INTO sectors (id, district_id, name) VALUES (1, 1, 'Gisenyi')")
    for vsla_id, name, value in ((1, "Twiyubake", 200), (2, "Dufatanye", 0)):
        _run(
            engine,
            "INSERT INTO vslas (id, name, sector_id, share_value) VALUES (:i, :n, 1, :v)",
            i=vsla_id,
            n=name,
            v=value,
        )
    for pid, vsla_id in ((10, 1), (11, 2), (12, 1)):
        _run(
            engine,
            "INSERT INTO people (id, phone, name, language, vsla_id, opted_out, pin_failures, "
            "created_at) VALUES (:i, :p, 'X', 'rw', :v, false, 0, '2026-01-01 00:00:00')",
            i=pid,
            p=f"+2507881009{pid}",
            v=vsla_id,
        )
    rows = (
        (1, 10, "2026-01-12", "shares", 600, "A1"),
        (1, 12, "2026-01-05", "shares", 500, "A2"),  # not a whole number of 200 Frw shares
        (1, 10, "2026-01-12", "social_fund", 100, "A3"),
        (2, 11, "2026-02-02", "shares", 1000, "B1"),
    )
    for vsla_id, pid, day, kind, amount, ref in rows:
        _run(
            engine,
            "INSERT INTO ledger_entries (vsla_id, person_id, date, kind, amount, reference, "
            "created_at) VALUES (:v, :p, :d, :k, :a, :r, '2026-03-01 00:00:00')",
            v=vsla_id,
            p=pid,
            d=date.fromisoformat(day),
            k=kind,
            a=amount,
            r=ref,
        )

    assert ikimina(fresh_url, "db", "upgrade").exit_code == 0
    cycles = _run(
        engine,
        "SELECT vsla_id, number, status, starts_on, planned_share_out_on, share_value "
        "FROM vsla_cycles ORDER BY vsla_id",
    )
    assert [(v, n, st, str(a), str(b), sv) for v, n, st, a, b, sv in cycles] == [
        (1, 1, "open", "2026-01-05", "2027-01-04", 200),
        (2, 1, "open", "2026-02-02", "2027-02-01", 0),
    ]
    listed = _run(
        engine,
        "SELECT c.vsla_id, m.number, m.person_id FROM vsla_cycle_members m "
        "JOIN vsla_cycles c ON c.id = m.cycle_id ORDER BY c.vsla_id, m.number",
    )
    assert [tuple(r) for r in listed] == [(1, 1, 10), (1, 2, 12), (2, 1, 11)]
    ledger = _run(
        engine,
        "SELECT l.reference, c.vsla_id, l.share_count, l.revision, l.channel "
        "FROM ledger_entries l JOIN vsla_cycles c ON c.id = l.cycle_id ORDER BY l.reference",
    )
    assert [tuple(r) for r in ledger] == [
        ("A1", 1, 3, 0, "import"),
        ("A2", 1, None, 0, "import"),
        ("A3", 1, None, 0, "import"),
        ("B1", 2, None, 0, "import"),
    ]

    # a group that kept a meeting: going back down is refused, nothing dropped
    _run(
        engine,
        "INSERT INTO vsla_meetings (vsla_id, cycle_id, number, held_on, status, channel, "
        "opened_at, reopened_times, opening_loan_cash, opening_social_cash) "
        "SELECT 1, id, 1, '2026-03-02', 'open', 'ussd', '2026-03-02 08:00:00', 0, 0, 0 "
        "FROM vsla_cycles WHERE vsla_id = 1",
    )
    with pytest.raises(RuntimeError, match="kept meetings"):
        command.downgrade(alembic_config(fresh_url), "0001")
    assert _run(engine, "SELECT COUNT(*) FROM vsla_cycles") == [(2,)]
    _run(engine, "DELETE FROM vsla_meetings")
    command.downgrade(alembic_config(fresh_url), "0001")
    assert _run(engine, "SELECT COUNT(*) FROM ledger_entries") == [(4,)]
    engine.dispose()
