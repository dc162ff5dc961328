"""Migration 0006_shared_phones on SQLite and PostgreSQL: a phone may then hold several people
(still indexed); going back down is refused while a phone is shared, and works once it is not."""

from __future__ import annotations

import pytest
from alembic import command
from sqlalchemy import create_engine, inspect, text
from sqlalchemy.exc import IntegrityError
from support.spreadsheets import ikimina
from test_vsla_migration import fresh_url  # noqa: F401 - the fixture: a fresh database per backend

from ikimina.db import alembic_config

INSERT = (
    "INSERT INTO people (id, phone, name, language, opted_out, pin_failures, created_at) "
    "VALUES (:i, '+250788100050', :n, 'rw', false, 0, '2026-11-01 08:00:00')"
)


def test_a_phone_holds_two_people_after_0006_and_going_down_is_refused_while_shared(
    fresh_url,  # noqa: F811
) -> None:
    assert ikimina(fresh_url, "db", "upgrade", "--revision", "0005").exit_code == 0
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        conn.execute(text(INSERT), {"i": 1, "n": "Mukamana Ange"})
        conn.execute(text("INSERT INTO person_roles (person_id, role) VALUES (1, 'member')"))
    with pytest.raises(IntegrityError), engine.begin() as conn:  # unique before 0006
        conn.execute(text(INSERT), {"i": 2, "n": "Habineza Samuel"})

    assert ikimina(fresh_url, "db", "upgrade").exit_code == 0
    with engine.begin() as conn:
        conn.execute(text(INSERT), {"i": 2, "n": "Habineza Samuel"})
        if engine.dialect.name == "sqlite":  # the rebuilt table keeps what refers to it
            assert conn.execute(text("PRAGMA foreign_key_check")).all() == []
        assert conn.execute(text("SELECT person_id FROM person_roles")).all() == [(1,)]
    indexes = {ix["name"]: ix for ix in inspect(engine).get_indexes("people")}
    assert indexes["ix_people_phone"]["column_names"] == ["phone"]
    assert not indexes["ix_people_phone"]["unique"]
    engine.dispose()

    with pytest.raises(RuntimeError, match=r"1 phone\(s\) are shared, e.g. \+250788100050"):
        command.downgrade(alembic_config(fresh_url), "0005")
    engine = create_engine(fresh_url)
    with engine.begin() as conn:
        assert conn.execute(text("SELECT COUNT(*) FROM people")).scalar() == 2
        conn.execute(text("DELETE FROM people WHERE id = 2"))
    engine.dispose()
    command.downgrade(alembic_config(fresh_url), "0005")
    engine = create_engine(fresh_url)
    with pytest.raises(IntegrityError), engine.begin() as conn:  # unique again
        conn.execute(text(INSERT), {"i": 3, "n": "Habineza Samuel"})
    engine.dispose()
