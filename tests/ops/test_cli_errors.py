"""A newcomer's CLI: the demo database is found, errors are one sentence, no stray database."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from ikimina import db as schema

IKIMINA = [str(Path(sys.executable).parent / "ikimina")]


def _run(folder: Path, *args: str, database_url: str | None = None):  # type: ignore[no-untyped-def]
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    if database_url is not None:
        env["DATABASE_URL"] = database_url
    return subprocess.run([*IKIMINA, *args], cwd=folder, env=env, capture_output=True,
                          text=True, timeout=120)


def test_without_database_url_the_cli_uses_the_demo_database(tmp_path) -> None:
    schema.upgrade(f"sqlite:///{tmp_path / 'ikimina-demo.db'}")
    result = _run(tmp_path, "unlock-pin", "0788100001")
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.count("\n") == 1, result.stderr  # one line: no such person, not a table
    assert not (tmp_path / "ikimina.db").exists()


@pytest.mark.parametrize("command", [["dial", "+250788100001"], ["create-staff", "admin"],
                                     ["outbox"], ["cases"]])
def test_without_any_database_one_line_says_what_to_set_and_nothing_is_created(
    tmp_path, command
) -> None:
    result = _run(tmp_path, *command)
    assert result.returncode == 1
    assert result.stderr.startswith("Error: No database: set DATABASE_URL")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_database_without_tables_says_run_db_upgrade_and_debug_shows_the_traceback(
    tmp_path,
) -> None:
    (tmp_path / "empty.db").touch()
    url = f"sqlite:///{tmp_path / 'empty.db'}"
    result = _run(tmp_path, "unlock-pin", "0788100001", database_url=url)
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert "has no tables yet: run `ikimina db upgrade`" in result.stderr
    assert result.stderr.count("\n") == 1
    debug = _run(tmp_path, "--debug", "unlock-pin", "0788100001", database_url=url)
    assert debug.returncode == 1 and "Traceback" in debug.stderr


def test_a_missing_sqlite_file_is_not_created(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'typo.db'}"
    result = _run(tmp_path, "outbox", database_url=url)
    assert result.returncode == 1
    assert "No database file" in result.stderr and result.stderr.count("\n") == 1
    assert not (tmp_path / "typo.db").exists()


def test_an_unreachable_server_is_one_sentence(tmp_path) -> None:
    schema.upgrade(f"sqlite:///{tmp_path / 'ikimina-demo.db'}")
    result = _run(tmp_path, "dial", "0788100001", "--url", "http://127.0.0.1:9")
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr.startswith("Error: ConnectionError") and result.stderr.count("\n") == 1
