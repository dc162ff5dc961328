"""Hardening of the USSD edge: a session is bound to its phone, ids are bounded, a PIN never
reaches the hop analytics in clear, typed names are GSM-7, bad hops never block the analytics."""

from __future__ import annotations

import json

from sqlalchemy import select
from support.ussd import MEMBER, MEMBER_EN, TOKEN, Phone, check_screen, store_waiting_hops

from ikimina.app import create_app
from locales import translate
from models import Person, UssdHop
from models.pins import set_pin
from runtime.context import Context
from runtime.runners import InProcessRunner
from services.ussd_sessions import HOPS_KEY, RedisHops
from worker.jobs.ussd import store_hops
from worker.process import install

FORM = {"serviceCode": "*384*1234#", "networkCode": "63510"}


def post(client, session_id, number, text):  # type: ignore[no-untyped-def]
    data = {**FORM, "phoneNumber": number, "text": text}
    if session_id is not None:
        data["sessionId"] = session_id
    response = client.post("/ussd", data=data, query_string={"token": TOKEN})
    response.close()
    return check_screen(response)


def _give_pin(ctx, number: str, pin: str = "4821") -> None:  # type: ignore[no-untyped-def]
    with ctx.db.session() as s:
        set_pin(s.scalar(select(Person).where(Person.phone == number)), pin, pepper="test-pepper")


def test_another_phone_posting_a_session_id_gets_a_fresh_session(ussd_world, client):
    _give_pin(ussd_world, MEMBER)
    post(client, "ATUid_victim", MEMBER, "")
    post(client, "ATUid_victim", MEMBER, "1")
    balances = post(client, "ATUid_victim", MEMBER, "1*4821")
    assert "15,000 Frw" in balances
    # the attacker continues the victim's session id with their own phone
    for text in ("1*4821", "1*4821*98", "1*4821*98*0"):
        stolen = post(client, "ATUid_victim", MEMBER_EN, text)
        assert "15,000" not in stolen and "Frw" not in stolen, text


def test_a_missing_or_oversized_session_id_gets_a_polite_end(ussd_world, client):
    for session_id in (None, "", "   ", "x" * 101):
        body = post(client, session_id, MEMBER, "")
        assert body.startswith("END "), (session_id, body)
    assert post(client, "ok-" + "x" * 90, MEMBER, "").startswith("CON ")


def test_no_pin_is_stored_in_clear_in_any_hop(ussd_world, phone, settings):
    _give_pin(ussd_world, MEMBER)
    caller = phone(MEMBER)
    caller.dial()
    locked = caller.press("1", "1111", "2222", "3333")  # three wrong: locked
    assert locked.startswith("CON Ntushobora kureba amafaranga yawe kugeza ")
    caller.press("4821")  # typed on the lock screen: masked there too
    caller.dial()
    caller.press("1*4821")  # a locked member types the menu and the PIN in one hop
    other = phone(MEMBER_EN)
    _give_pin(ussd_world, MEMBER_EN, "5931")
    other.dial()
    other.press("1*5931*0*1*5931")  # menu, PIN, back, menu again, PIN, all in one hop
    store_waiting_hops(ussd_world)
    with ussd_world.db.session() as s:
        inputs = list(s.scalars(select(UssdHop.input)))
    assert inputs
    for pin in ("4821", "1111", "2222", "3333", "5931"):
        assert not [i for i in inputs if pin in i], (pin, inputs)


def test_a_typed_name_is_echoed_in_gsm7_or_refused(ussd_world, phone):
    caller = phone("+250788555444")
    caller.dial()
    caller.press("1")
    caller.press("Ngabo 😀 Jean 王 Élodie")
    caller.choose("Rubavu")
    shown = caller.press("1")  # a sector: the confirmation echoes the name
    assert "Ngabo Jean Élodie" in shown  # É is GSM-7; check_screen asserts it
    caller = phone("+250788555445")
    caller.dial()
    caller.press("1")
    refused = caller.press("王小明 😀")
    assert refused.startswith("CON ") and "王" not in refused
    assert translate("rw", "Type your name in letters, then send.") in refused
    caller = phone("+250788555446")
    caller.dial()
    caller.press("1")
    long = caller.press("A" * 300)
    assert len(long) <= 160


def test_a_poisoned_hop_is_set_aside_and_never_blocks_the_next(ussd_world, settings, redis_url):
    ctx = install(Context.build(settings.with_(redis_url=redis_url), runner=InProcessRunner()))
    hops = RedisHops(redis_url)
    good = {
        "session_id": "s-good",
        "phone": MEMBER,
        "service_code": "*384#",
        "network_code": "",
        "language": "rw",
        "n": 1,
        "input": "",
        "screen": "home",
        "ended": False,
        "elapsed_ms": 1.0,
        "at": "2026-12-01T10:00:00+00:00",
    }
    hops.redis.rpush(HOPS_KEY, json.dumps({**good, "session_id": "s-nul\x00", "input": "1\x00"}))
    hops.redis.rpush(HOPS_KEY, b"not json")
    hops.redis.rpush(HOPS_KEY, json.dumps({"session_id": "s-missing"}))
    hops.redis.rpush(HOPS_KEY, json.dumps(good))
    store_hops()
    store_hops()
    assert hops.redis.llen(HOPS_KEY) == 0
    with ctx.db.session() as s:
        screens = list(s.scalars(select(UssdHop.screen)))
    assert screens.count("home") >= 2  # the good one and the cleaned NUL one
    ctx.db.dispose()


def test_the_hop_list_is_capped(ussd_world, settings, redis_url):
    ctx = install(Context.build(settings.with_(redis_url=redis_url), runner=InProcessRunner()))
    client = create_app(context=ctx).test_client()
    hops = RedisHops(redis_url)
    hops.redis.rpush(HOPS_KEY, *[b"{}"] * 60_000)
    Phone(client, MEMBER).dial()
    assert hops.redis.llen(HOPS_KEY) <= 50_000
    ctx.db.dispose()
