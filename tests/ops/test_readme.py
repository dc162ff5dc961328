"""Every shell command of README "Try it" and the quick examples (USSD, SMS commands) works as
written, run one by one in a temporary folder against a running `ikimina demo`."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from support.demo_server import newcomer_env, running_demo

ROOT = Path(__file__).resolve().parents[2]
SECTIONS = ("Try it", "USSD", "SMS commands")
#: Run by the test itself (the demo is started below; ./scripts/test is what runs this test).
NOT_RUN = ("./scripts/demo", "./scripts/test")
PASSWORD = "a long passphrase\n"


def readme_commands() -> list[str]:
    """The shell commands of the chosen sections, continuation lines joined."""
    text = (ROOT / "README.md").read_text()
    commands: list[str] = []
    for part in re.split(r"^## ", text, flags=re.M):
        if not part.startswith(SECTIONS):
            continue
        part = re.split(r"^### ", part, flags=re.M)[0]
        for block in re.findall(r"```sh\n(.*?)```", part, flags=re.S):
            for command in re.sub(r"\\\n\s*", "", block).splitlines():
                command = re.sub(r"\s+#(?!\d).*$", "", command).strip()
                if command and not command.startswith(NOT_RUN):
                    commands.append(command)
    return commands


@pytest.fixture(scope="module")
def demo(tmp_path_factory):  # type: ignore[no-untyped-def]
    folder = tmp_path_factory.mktemp("fresh-clone")
    (folder / ".venv").symlink_to(Path(sys.executable).parents[1])
    with running_demo(folder) as base:
        yield folder, base, newcomer_env()


def test_the_readme_has_the_commands_a_newcomer_runs() -> None:
    commands = readme_commands()
    assert any(c.startswith("ikimina dial") for c in commands)
    assert any("/sms/inbound" in c for c in commands) and ". .venv/bin/activate" in commands


def test_every_readme_command_works_as_written(demo) -> None:
    folder, base, env = demo
    failures = []
    for command in readme_commands():
        script = ". .venv/bin/activate\n" + command.replace("http://127.0.0.1:5000", base)
        stdin = PASSWORD * 2 if "create-staff" in command else "\n"
        done = subprocess.run(["bash", "-euo", "pipefail", "-c", script], cwd=folder, env=env,
                              input=stdin, capture_output=True, text=True, timeout=120)
        output = done.stdout + done.stderr
        if done.returncode != 0 or "Traceback" in output or "HTTP 4" in output:
            failures.append(f"{command}\n  -> exit {done.returncode}: {output[-300:]}")
    assert not failures, "\n".join(failures)
    assert sorted(p.name for p in folder.iterdir() if p.suffix == ".db") == ["ikimina-demo.db"]
