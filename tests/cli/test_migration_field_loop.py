"""Migration 0005 (the field loop): a trainee stored as `replaced` is read as `dropped`."""

from __future__ import annotations

from sqlalchemy import create_engine, text

from ikimina import db as schema


def test_upgrading_turns_replaced_trainees_into_dropped(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'old.db'}"
    schema.upgrade(url, "0001")
    engine = create_engine(url)
    with engine.begin() as conn:
        conn.execute(text(
            "INSERT INTO people (id, phone, name, language, opted_out, pin_failures, created_at) "
            "VALUES (1, '+250788200042', 'Ishimwe Grace', 'rw', 0, 0, '2026-11-01 08:00:00')"
        ))
        conn.execute(text("INSERT INTO vtcs (id, name) VALUES (1, 'Gisenyi VTC')"))
        conn.execute(text(
            "INSERT INTO trainees (id, code, person_id, trade, vtc_id, start_date, status) VALUES "
            "(1, 'T0042', 1, 'Tailoring', 1, '2026-09-01', 'replaced'), "
            "(2, 'T0107', 1, 'Tailoring', 1, '2026-09-01', 'active')"
        ))
    schema.upgrade(url)
    with engine.connect() as conn:
        rows = conn.execute(text("SELECT code, status, intake_id FROM trainees ORDER BY id"))
        assert rows.all() == [("T0042", "dropped", None), ("T0107", "active", None)]
        absences = conn.execute(text("SELECT count(*) FROM absences")).scalar()
        assert absences == 0
    engine.dispose()
