"""Fixtures of the console's tests."""

from __future__ import annotations

import pytest
from support import console_data
from support.console import add_staff, sign_in

from models import StaffAccount
from runtime.context import Context


@pytest.fixture
def programme(context: Context) -> console_data.Programme:
    """The console's demo-like programme (console_data), in the test's database."""
    with context.db.session() as session:
        return console_data.build(session)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """The browser tests share one signed-in page and build on each other: whatever order the
    rest runs in (pytest-randomly), they run in the order they are written."""
    slots = [n for n, item in enumerate(items) if item.path.name == "test_console_browser.py"]
    ordered = sorted((items[n] for n in slots), key=lambda item: item.location[1] or 0)
    for n, item in zip(slots, ordered, strict=True):
        items[n] = item


@pytest.fixture
def staff_client(context, client, programme):  # type: ignore[no-untyped-def]
    """Signed in as staff linked to the programme's leader (what they record names them)."""
    account_id = add_staff(context)
    with context.db.session() as session:
        session.get(StaffAccount, account_id).person_id = programme.leader_id
    assert sign_in(client).status_code == 302
    return client
