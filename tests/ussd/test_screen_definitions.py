"""Every USSD screen is well defined before anyone dials: each way on names a screen, and each
screen's words are in the rw, en and fr catalogues."""

from __future__ import annotations

import ast
import importlib
import pkgutil
from types import ModuleType

import pytest
from support.catalogues import untranslated

import menus
from menus.engine import Choice, Screen, screen_table
from menus.journeys import SCREENS

TABLE = screen_table(SCREENS)
#: The journey data that holds the screen to show once the PIN is right.
AFTER_PIN = "after_pin"


def menu_modules() -> list[ModuleType]:
    found = pkgutil.walk_packages(menus.__path__, "menus.")
    return [importlib.import_module(info.name) for info in found]


def named_screens(module: ModuleType, source: str) -> list[tuple[int, str]]:
    """(line, key) of every screen the code names: `Go("key")` (also through `a if c else "b"`,
    `.get(k, "key")` or a module constant) and where to go after the PIN (`{"after_pin": "key"}`,
    `.get("after_pin", "key")`)."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if isinstance(node, ast.Call) and getattr(node.func, "id", "") == "Go" and node.args:
            found += _keys(module, node.args[0])
        elif isinstance(node, ast.Dict):
            for key, value in zip(node.keys, node.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == AFTER_PIN:
                    found += _keys(module, value)
        elif _is_get(node) and getattr(node.args[0], "value", None) == AFTER_PIN:
            found += _keys(module, node)
    return found


def _is_get(node: ast.AST) -> bool:
    """`something.get(key, default)`"""
    is_call = isinstance(node, ast.Call) and len(node.args) == 2
    return is_call and getattr(node.func, "attr", "") == "get"  # type: ignore[attr-defined]


def _keys(module: ModuleType, node: ast.expr) -> list[tuple[int, str]]:
    if isinstance(node, ast.Constant) and isinstance(node.value, str):
        return [(node.lineno, node.value)]
    if isinstance(node, ast.Name) and isinstance(getattr(module, node.id, None), str):
        return [(node.lineno, getattr(module, node.id))]
    if isinstance(node, ast.IfExp):
        return _keys(module, node.body) + _keys(module, node.orelse)
    if _is_get(node):
        assert isinstance(node, ast.Call)
        return _keys(module, node.args[1])
    return []  # a screen held in a variable (where to go after the PIN): checked where it is set


def test_every_screen_the_code_goes_to_exists() -> None:
    checked, nowhere = 0, []
    for module in menu_modules():
        assert module.__file__ is not None
        with open(module.__file__, encoding="utf-8") as fh:
            for line, key in named_screens(module, fh.read()):
                checked += 1
                if key not in TABLE:
                    nowhere.append(f"{module.__name__}:{line} goes to {key!r}")
    assert nowhere == []
    assert checked > 20  # the walk found the journeys' steps


def test_a_choice_to_no_screen_stops_the_engine_being_built() -> None:
    lost = Screen("lost", choices=(Choice("Help", "nowhere"),))
    with pytest.raises(ValueError, match="'lost': 'Help' goes to no screen"):
        screen_table([*SCREENS, lost])


def test_a_step_to_no_screen_is_found() -> None:
    source = 'def f(visit):\n    return Go("nowhere" if visit else HOME_SCREEN)\n'
    assert named_screens(importlib.import_module("menus.engine"), source) == [
        (2, "nowhere"),
        (2, "home"),
    ]


def test_every_screen_speaks_rw_en_and_fr() -> None:
    words = [s.text for s in TABLE.values() if s.text]
    words += [c.label for s in TABLE.values() for c in s.choices]
    assert untranslated(words) == {}
