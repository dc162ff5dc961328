"""Fixtures for the SMS tests (loaded with `pytest_plugins = ("sms_fixtures",)`)."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from sms_helpers import World, build_world

from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings
from worker.process import install


@pytest.fixture
def world(context: Context) -> World:
    return build_world(context)


@pytest.fixture
def world_with(settings: Settings) -> Iterator[Callable[..., tuple[Context, Any, World]]]:
    """Build a world whose settings differ: `context, client, world = world_with(**changes)`."""
    from ikimina.app import create_app

    made: list[Context] = []

    def make(**changes: Any) -> tuple[Context, Any, World]:
        ctx = install(Context.build(settings.with_(**changes), runner=InProcessRunner(eager=True)))
        made.append(ctx)
        return ctx, create_app(context=ctx).test_client(), build_world(ctx)

    yield make
    for ctx in made:
        ctx.db.dispose()
