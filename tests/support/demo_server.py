"""`ikimina demo` as a newcomer starts it: in a folder of its own, on a free port, no
DATABASE_URL or REDIS_URL in the environment."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import requests

from support.ports import free_port

IKIMINA = str(Path(sys.executable).parent / "ikimina")


def newcomer_env() -> dict[str, str]:
    return {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}


@contextmanager
def running_demo(folder: Path) -> Iterator[str]:
    """Serve `ikimina demo` from `folder` until the block ends; yield its base URL."""
    port = free_port()
    base = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [IKIMINA, "demo", "--port", str(port)],
        cwd=folder,
        env=newcomer_env(),
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        for _ in range(240):
            try:
                if requests.get(f"{base}/healthz", timeout=1).ok:
                    break
            except requests.ConnectionError:
                time.sleep(0.5)
        else:
            raise RuntimeError("ikimina demo did not start")
        yield base
    finally:
        server.terminate()
        server.wait(timeout=20)
