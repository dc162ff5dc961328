"""Every job named by dotted path, anywhere in the code, resolves: a typo fails here, not in a
worker at run time."""

from __future__ import annotations

import ast
from pathlib import Path

from runtime.runners import resolve
from worker.jobs import JOBS
from worker.schedule import PERIODIC

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("ikimina", "console", "menus", "models", "runtime", "services", "sms",
            "spreadsheets", "tools", "ussd", "worker")


def job_paths_in_the_code() -> set[str]:
    """Every string literal that names a job (`worker.jobs.MODULE.FUNCTION`)."""
    found = set()
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            for node in ast.walk(ast.parse(path.read_text(), str(path))):
                if isinstance(node, ast.Constant) and isinstance(node.value, str):
                    parts = node.value.split(".")
                    if parts[:2] == ["worker", "jobs"] and len(parts) == 4:
                        found.add(node.value)
    return found


def test_every_job_path_in_the_code_is_a_registered_job() -> None:
    used = job_paths_in_the_code()
    assert "worker.jobs.outbound.send_sms" in used  # the walk finds them
    assert used - set(JOBS) == set()
    assert {p.job for p in PERIODIC} - set(JOBS) == set()


def test_every_registered_job_resolves_to_a_function() -> None:
    assert [job for job in JOBS if not callable(resolve(job))] == []
