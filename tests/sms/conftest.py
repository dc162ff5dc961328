"""Fixtures of the SMS tests: the commands run inline and on the servers."""

from __future__ import annotations

import pytest


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every SMS command through /sms/inbound runs inline and on the servers (Redis, the RQ
    worker, the africastalking SDK to the stand-in): see the `stack` fixture."""
    if "client" in metafunc.fixturenames:
        inline_only = metafunc.definition.get_closest_marker("inline_only") is not None
        metafunc.parametrize("stack", ["inline"] if inline_only else ["inline", "servers"])
