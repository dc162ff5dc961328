"""Ports for the servers the tests start (the Africa's Talking stand-in, gunicorn, the console,
redis-server and PostgreSQL of the outage tests): taken from `IKIMINA_TEST_PORTS` (`FIRST-LAST`,
default 8300-8699). Under pytest-xdist each worker takes its own slice of that range, so two
workers never start servers on the same port, nor reach each other's."""

from __future__ import annotations

import os
import socket
from itertools import cycle

#: This process's xdist worker ("gw0", "gw1", ...; "" without xdist) and how many there are.
WORKER = os.environ.get("PYTEST_XDIST_WORKER", "")
WORKER_INDEX = int(WORKER[2:]) if WORKER.startswith("gw") else 0
WORKER_COUNT = int(os.environ.get("PYTEST_XDIST_WORKER_COUNT", "1") or 1)


def _mine() -> range:
    first, _, last = os.environ.get("IKIMINA_TEST_PORTS", "8300-8699").partition("-")
    ports = range(int(first), int(last or first) + 1)
    size = len(ports) // WORKER_COUNT
    if size < 4:
        raise RuntimeError(
            f"IKIMINA_TEST_PORTS={ports.start}-{ports.stop - 1} is too small "
            f"for {WORKER_COUNT} workers (at least 4 ports each)"
        )
    return ports[WORKER_INDEX * size : (WORKER_INDEX + 1) * size]


PORTS = _mine()
_next = cycle(PORTS)


def free_port() -> int:
    """A port of this worker's slice that nothing is bound to, not the one handed out just
    before (a server started on it may not be listening yet): the slice is gone through in a
    circle."""
    for _ in PORTS:
        port = next(_next)
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", port))
            except OSError:
                continue
        return port
    raise RuntimeError(f"no free port in {PORTS.start}-{PORTS.stop - 1} (IKIMINA_TEST_PORTS)")
