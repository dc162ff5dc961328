"""Servers a test starts, restarts and stops itself (never the shared ones): redis-server and
PostgreSQL (initdb into a temporary folder, run as `postgres`) on free ports of the test ports
(support.ports)."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from support.ports import free_port


def wait_for_port(port: int, up: bool = True, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with socket.socket() as s:
            if (s.connect_ex(("127.0.0.1", port)) == 0) == up:
                return
        time.sleep(0.05)
    raise TimeoutError(f"port {port} not {'up' if up else 'down'} after {timeout} s")


class OwnRedis:
    """A redis-server of the test's own, without persistence (a restart loses every queue)."""

    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.port = free_port()
        self.process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"redis://127.0.0.1:{self.port}/0"

    def start(self) -> None:
        self.process = subprocess.Popen(
            [
                "redis-server",
                "--port",
                str(self.port),
                "--bind",
                "127.0.0.1",
                "--save",
                "",
                "--appendonly",
                "no",
                "--dir",
                str(self.folder),
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        wait_for_port(self.port)

    def stop(self) -> None:
        if self.process is not None:
            self.process.terminate()
            self.process.wait(10)
            self.process = None
            wait_for_port(self.port, up=False)


class OwnPostgres:
    """A PostgreSQL cluster of the test's own (initdb as the `postgres` user)."""

    def __init__(self) -> None:
        [bindir] = sorted(glob.glob("/usr/lib/postgresql/*/bin"))[-1:]
        self.bin = Path(bindir)
        self.folder = Path(tempfile.mkdtemp(prefix="ikimina-pg-"))  # reachable by `postgres`
        self.folder.chmod(0o755)
        self.data = self.folder / "data"
        self.port = free_port()
        shutil.chown(self.folder, "postgres")
        self._as_postgres(
            str(self.bin / "initdb"),
            "-D",
            str(self.data),
            "-A",
            "trust",
            "-U",
            "postgres",
            "--no-sync",
        )

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def _as_postgres(self, *args: str) -> None:
        subprocess.run(
            ["runuser", "-u", "postgres", "--", *args],
            check=True,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )

    def start(self) -> None:
        self._as_postgres(
            str(self.bin / "pg_ctl"),
            "-D",
            str(self.data),
            "-l",
            str(self.folder / "log"),
            "-o",
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off",
            "-w",
            "start",
        )

    def stop(self) -> None:
        if (self.data / "postmaster.pid").exists():
            self._as_postgres(
                str(self.bin / "pg_ctl"), "-D", str(self.data), "-m", "fast", "-w", "stop"
            )

    def remove(self) -> None:
        self.stop()
        shutil.rmtree(self.folder, ignore_errors=True)


def alive(process: subprocess.Popen[bytes]) -> bool:
    return process.poll() is None


def stop_process(process: subprocess.Popen[bytes], log: Path | None = None) -> None:
    """SIGTERM `process` (started by the test, in its own session); its whole group if it
    does not stop within 20 s."""
    process.terminate()
    try:
        process.wait(20)
    except subprocess.TimeoutExpired:
        print(f"did not stop on SIGTERM: {log.read_text()[-2000:] if log else ''}")
        os.killpg(process.pid, 9)
        process.wait(10)


def env_for(**values: str) -> dict[str, str]:
    return {"PATH": os.environ.get("PATH", ""), **values}


@pytest.fixture
def own_redis(tmp_path: Path) -> Iterator[OwnRedis]:
    """A redis-server of the test's own, stopped after it."""
    server = OwnRedis(tmp_path)
    server.start()
    yield server
    server.stop()
