"""The engine's edge cases: paging within 160 characters, and where sessions are kept."""

from __future__ import annotations

import time

import pytest
from support.ussd import MEMBER, MEMBERS, Phone

from ikimina.app import create_app
from locales import translate
from menus.pager import BUDGET, Cursor, layout
from menus.store import MemoryStore, RedisStore
from runtime.context import Context
from runtime.runners import InProcessRunner

LONG = " ".join(f"word{n}" for n in range(120))


def _pages(text: str, choices: list[str]) -> list[str]:
    pages, cursor = [], Cursor()
    while cursor is not None:
        page = layout(text, choices, cursor, more="98. More", footer="0. Back 00. Home")
        pages.append(page.text)
        cursor = page.next
    return pages


def test_long_text_is_paged_at_word_boundaries_within_the_budget():
    pages = _pages(LONG, [])
    assert len(pages) > 3
    assert all(len("CON " + p) <= BUDGET for p in pages)
    assert all(p.endswith("0. Back 00. Home") for p in pages)
    assert all("98. More" in p for p in pages[:-1]) and "98. More" not in pages[-1]
    words = [w for p in pages for w in p.split() if w.startswith("word")]
    assert words == LONG.split()  # every word whole, once, in order


def test_long_lists_are_paged_by_item_and_a_choice_keeps_its_number_on_every_page():
    choices = [f"Sector number {n}" for n in range(40)]
    pages = _pages("Choose your sector:", choices)
    assert len(pages) > 2 and all(len("CON " + p) <= BUDGET for p in pages)
    assert not any(p.startswith("1. ") for p in pages[1:])  # page 2 goes on from page 1
    shown = [line.split(". ", 1) for p in pages for line in p.split("\n")[:-1] if ". " in line]
    numbered = [(int(n), label) for n, label in shown if label.startswith("Sector")]
    assert numbered == [(n + 1, label) for n, label in enumerate(choices)]


def test_a_word_longer_than_a_page_is_the_only_thing_ever_cut():
    pages = _pages("x" * 400, [])
    assert len(pages) == 1 and len("CON " + pages[0]) <= BUDGET


def test_memory_store_forgets_after_the_ttl():
    store = MemoryStore()
    store.put("s:1", {"a": 1}, ttl_s=1)
    assert store.get("s:1") == {"a": 1}
    time.sleep(1.1)
    assert store.get("s:1") is None


def test_redis_store_keeps_values_with_a_ttl(redis_url):
    store = RedisStore(redis_url)
    store.put("s:1", {"screen": "menu", "data": {"codes": ["T0001"]}}, ttl_s=300)
    assert store.get("s:1") == {"screen": "menu", "data": {"codes": ["T0001"]}}
    assert 0 < store.redis.ttl("ikimina:ussd:s:1") <= 300
    store.delete("s:1")
    assert store.get("s:1") is None


def test_with_redis_any_web_process_can_answer_the_next_hop(ussd_world, settings, redis_url):
    """Two apps (two web processes) share sessions through Redis, not through memory."""
    shared = settings.with_(redis_url=redis_url)
    apps = [
        create_app(context=Context.build(shared, runner=InProcessRunner(eager=True)))
        for _ in range(2)
    ]
    first, second = (Phone(a.test_client(), MEMBER) for a in apps)
    first.dial()
    first.choose(translate("rw", "My trainings"))
    second.session_id, second.inputs = first.session_id, list(first.inputs)
    assert second.press("98") != first.screen  # page 2: the state came from Redis
    assert second.press("0") == first.screen
    keys = RedisStore(redis_url).redis.keys("ikimina:ussd:*")
    assert any(first.session_id.encode() in key for key in keys)


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
def test_more_than_40_new_inputs_at_once_end_the_session(ussd_world, phone, lang):
    caller = phone(MEMBERS[lang])
    caller.dial()
    screen = caller.press("*".join(["1"] * 50))
    assert screen == "END " + translate(
        lang, "Sorry, this session was too long. Dial {ussd} again.", ussd="*384*1234#"
    )
    caller.dial()  # 40 at once are still answered
    assert not caller.press("*".join(["0"] * 40)).startswith("END ")
