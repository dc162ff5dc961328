"""Production refuses to start without its secrets; the demo makes its own once and keeps them."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from ikimina.cli import main
from ikimina.cli.run import demo_settings

ROOT = Path(__file__).resolve().parents[2]
BASE = {"PATH": os.environ.get("PATH", ""), "REDIS_URL": "redis://127.0.0.1:1/0"}


@pytest.mark.parametrize(
    ("command", "env", "missing"),
    [
        ("serve", {}, "SECRET_KEY"),
        ("serve", {"SECRET_KEY": "k" * 32}, "PIN_PEPPER"),
        ("serve", {"PIN_PEPPER": "p" * 32}, "SECRET_KEY"),
        ("worker", {"SECRET_KEY": "k" * 32}, "PIN_PEPPER"),  # it checks staff PINs (BC YES)
    ],
)
def test_production_commands_refuse_to_start_without_a_secret(command, env, missing) -> None:
    clean = {"SECRET_KEY": "", "PIN_PEPPER": "", **env, "REDIS_URL": "redis://127.0.0.1:1/0"}
    result = CliRunner().invoke(main, [command], env=clean)
    assert result.exit_code != 0
    lines = [line for line in result.output.splitlines() if line.strip()]
    assert len(lines) == 1 and missing in lines[0], result.output


def test_the_wsgi_entry_refuses_to_load_without_secret_key(tmp_path) -> None:
    env = {**BASE, "DATABASE_URL": f"sqlite:///{tmp_path / 'x.db'}", "PIN_PEPPER": "p"}
    done = subprocess.run(
        [sys.executable, "-c", "import ikimina.wsgi"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert done.returncode != 0 and "SECRET_KEY" in done.stderr.splitlines()[-1]


def test_the_demo_makes_its_secrets_once_and_keeps_them(tmp_path, monkeypatch) -> None:
    monkeypatch.delenv("SECRET_KEY", raising=False)
    monkeypatch.delenv("PIN_PEPPER", raising=False)
    url = f"sqlite:///{tmp_path / 'demo.db'}"
    first, second = demo_settings(url), demo_settings(url)
    assert len(first.secret_key) >= 32 and len(first.pin_pepper) >= 32
    assert (first.secret_key, first.pin_pepper) == (second.secret_key, second.pin_pepper)
    [kept] = tmp_path.glob("*secret*")
    assert kept.stat().st_mode & 0o077 == 0  # readable by its owner only
