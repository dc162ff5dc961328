"""Import benchmark: 10,000 people and 100,000 ledger rows, on SQLite and on PostgreSQL.

Generates the CSV files in a temporary folder, then runs the real command (`ikimina import`,
in a subprocess, as staff would) against a fresh SQLite file and against a fresh PostgreSQL
database it creates and drops. Each file is imported twice: the second run must change nothing.
Prints seconds and rows per second for each case. Target: under 60 s per import.

    .venv/bin/python bench/import_bench.py [--people 10000] [--ledger 100000] [--backends ...]

PostgreSQL: the server at IKIMINA_BENCH_PG_URL
(default postgresql+psycopg://postgres@127.0.0.1:5432/test) must let that user create databases.
"""

from __future__ import annotations

import argparse
import csv
import os
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

from ikimina import db as schema
from models.places import PROGRAMME_DISTRICTS

PG_ADMIN_URL = os.environ.get(
    "IKIMINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
KINDS = ("shares", "social_fund", "loan", "repayment", "fine")
VSLAS = 350


def write_csv(path: Path, header: list[str], rows: Iterator[list[object]]) -> Path:
    with open(path, "w", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(header)
        out.writerows(rows)
    return path


def vsla_name(i: int) -> str:
    return f"Ikimina {i:03d}"


def phone(i: int) -> str:
    return f"07882{i:05d}"


def make_files(folder: Path, people: int, ledger: int) -> dict[str, Path]:
    """The three files: VSLAs (setup), people, ledger (about ledger/people rows per member)."""
    vslas = write_csv(
        folder / "vslas.csv",
        ["name", "district", "sector", "meeting_day", "meeting_time", "meeting_place",
         "share_value"],
        (
            [vsla_name(i), PROGRAMME_DISTRICTS[i % 7], f"Sector {i % 5}", "Tuesday", "14:00",
             "Ku kagari", 500]
            for i in range(VSLAS)
        ),
    )
    people_file = write_csv(
        folder / "people.csv",
        ["phone", "name", "language", "roles", "district", "sector", "vsla", "cooperative", "vtc"],
        (
            [phone(i), f"Umunyamuryango {i}", "rw", "member", PROGRAMME_DISTRICTS[i % VSLAS % 7],
             f"Sector {i % VSLAS % 5}", vsla_name(i % VSLAS), "", ""]
            for i in range(people)
        ),
    )

    def entries() -> Iterator[list[object]]:
        for n in range(ledger):
            member = n % people
            month, kind = divmod(n // people, len(KINDS))
            reference = f"B{n}" if n % 2 else ""  # half given, half derived
            yield [phone(member), vsla_name(member % VSLAS), f"2026-{1 + month % 12:02d}-05",
                   KINDS[kind], 500 * (1 + n % 7), reference, ""]

    ledger_file = write_csv(
        folder / "ledger.csv",
        ["phone", "vsla", "date", "kind", "amount", "reference", "due_date"],
        entries(),
    )
    return {"vslas": vslas, "people": people_file, "ledger": ledger_file}


@contextmanager
def database(backend: str, folder: Path) -> Iterator[str]:
    """A fresh, migrated database on `backend`; PostgreSQL's is dropped afterwards."""
    if backend == "sqlite":
        url = f"sqlite:///{folder / f'bench-{uuid.uuid4().hex[:6]}.db'}"
        schema.upgrade(url)
        yield url
        return
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ikimina_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)
    try:
        schema.upgrade(url)
        yield url
    finally:
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def ikimina_import(url: str, kind: str, path: Path) -> tuple[float, str]:
    """Run `ikimina import KIND PATH`; seconds taken and its report."""
    command = [sys.executable, "-c", "from ikimina.cli import main; main()", "import", kind,
               str(path)]
    started = time.perf_counter()
    done = subprocess.run(
        command, env={**os.environ, "DATABASE_URL": url}, capture_output=True, text=True
    )
    seconds = time.perf_counter() - started
    if done.returncode != 0:
        raise SystemExit(f"ikimina import {kind} failed:\n{done.stdout}{done.stderr}")
    return seconds, done.stdout.strip().splitlines()[0]


def snapshot(url: str) -> dict[str, int]:
    """A fingerprint of every table: its row count and a hash of all its rows."""
    from models import Base

    engine = create_engine(url)
    seen = {}
    with engine.connect() as conn:
        for table in Base.metadata.sorted_tables:
            rows = sorted(repr(tuple(r)) for r in conn.execute(table.select()))
            seen[table.name] = hash((len(rows), *rows))
    engine.dispose()
    return seen


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--ledger", type=int, default=100_000)
    parser.add_argument("--backends", default="sqlite,postgresql")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ikimina-bench-") as tmp:
        folder = Path(tmp)
        files = make_files(folder, args.people, args.ledger)
        sizes = {"people": args.people, "ledger": args.ledger}
        print(f"{'backend':<11}{'case':<20}{'rows':>8}{'seconds':>9}{'rows/s':>9}  report")
        for backend in args.backends.split(","):
            with database(backend, folder) as url:
                ikimina_import(url, "vslas", files["vslas"])
                for kind in ("people", "ledger"):
                    for run in ("first import", "re-import"):
                        before = snapshot(url) if run == "re-import" else None
                        seconds, report = ikimina_import(url, kind, files[kind])
                        if before is not None:
                            changed = [t for t, h in snapshot(url).items() if before[t] != h]
                            assert not changed, f"re-importing {kind} changed {changed}"
                        rate = sizes[kind] / seconds
                        print(f"{backend:<11}{kind + ' ' + run:<20}{sizes[kind]:>8}"
                              f"{seconds:>9.1f}{rate:>9.0f}  {report.split(': ', 1)[1]}",
                              flush=True)


if __name__ == "__main__":
    main()
