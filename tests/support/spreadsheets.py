"""Helpers for the import tests: run the real CLI against a test database, read what it wrote."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from textwrap import dedent

from click.testing import CliRunner, Result
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from ikimina.cli import main
from runtime.database import Database

DATA = Path(__file__).parents[1] / "data"


def ikimina(database_url: str, *args: str) -> Result:
    """Run `ikimina ARGS` with DATABASE_URL set, as staff would."""
    return CliRunner().invoke(
        main, list(args), env={"DATABASE_URL": database_url}, catch_exceptions=False
    )


def import_ok(database_url: str, kind: str, path: Path | str, *options: str) -> str:
    """Import and expect success; the printed report."""
    result = ikimina(database_url, "import", kind, str(path), *options)
    assert result.exit_code == 0, result.output
    return result.output


def setup(database_url: str, *kinds: str) -> None:
    """Import the good sample files of `kinds`, in the order given."""
    for kind in kinds:
        import_ok(database_url, kind, DATA / f"{kind}.csv")


def csv_file(folder: Path, name: str, content: str) -> Path:
    path = folder / name
    path.write_text(dedent(content).lstrip())
    return path


@contextmanager
def session(database_url: str) -> Iterator[Session]:
    db = Database(database_url)
    try:
        with db.session() as s:
            yield s
    finally:
        db.dispose()


def assert_refused(database_url: str, kind: str, path: Path, reasons: tuple[str, ...],
                   model: type) -> str:
    """Import a bad file: exit 1, each reason listed, no `model` row written; the output."""
    result = ikimina(database_url, "import", kind, str(path))
    assert result.exit_code == 1, result.output
    for reason in reasons:
        assert reason in result.output
    assert "Nothing imported." in result.output
    with session(database_url) as s:
        assert s.scalar(select(func.count()).select_from(model)) == 0
    return result.output
