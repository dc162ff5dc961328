"""Fixtures of the console's tests."""

from __future__ import annotations

import pytest
from support import console_data

from runtime.context import Context


@pytest.fixture
def programme(context: Context) -> console_data.Programme:
    """The console's demo-like programme (console_data), in the test's database."""
    with context.db.session() as session:
        return console_data.build(session)
