"""The /ussd edge as Africa's Talking calls it: token, form, CON/END, analytics, no 500s."""

from __future__ import annotations

import json

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from sqlalchemy import create_engine, select, text
from support.pins import first_pin
from support.ussd import MEMBER, TOKEN, Phone, check_screen, store_waiting_hops

from ikimina.app import create_app
from locales import translate
from menus.engine import MASK
from models import UssdSession
from runtime.context import Context
from runtime.runners import InProcessRunner
from services.ussd_sessions import HOPS_KEY, RedisHops
from worker.jobs.ussd import store_hops
from worker.process import install

FORM = {"sessionId": "ATUid_1", "serviceCode": "*384*1234#", "networkCode": "63510"}


def test_without_the_token_the_answer_is_403_and_no_data(client):
    for query in ({}, {"token": "wrong"}):
        response = client.post("/ussd", data={**FORM, "phoneNumber": MEMBER}, query_string=query)
        assert response.status_code == 403
        assert "CON" not in response.get_data(as_text=True)
        assert client.post("/ussd/events", query_string=query).status_code == 403


def _savings_with_a_new_pin(caller) -> None:  # type: ignore[no-untyped-def]
    caller.dial()
    caller.choose(translate("rw", "My savings"))
    first_pin(caller)
    caller.press("0")
    caller.press("00")


def _check_stored_hops(db, caller) -> None:  # type: ignore[no-untyped-def]
    """The seven hops of `_savings_with_a_new_pin`, stored masked, in order, with timings."""
    with db.session() as s:
        session = s.scalar(select(UssdSession))
        hops = session.hop_rows
        assert session.session_id == caller.session_id and session.phone == MEMBER
        assert session.network_code == "63510" and session.service_code == "*384*1234#"
        assert session.language == "rw" and session.hops == len(hops) == 7
        assert [h.n for h in hops] == [1, 2, 3, 4, 5, 6, 7]
        proof, pin = "1*" + MASK, "1*" + MASK + "*" + MASK + "*" + MASK
        assert [h.input for h in hops] == [
            "",
            "1",
            proof,
            proof + "*" + MASK,
            pin,
            pin + "*0",
            pin + "*0*00",
        ]
        assert [h.screen for h in hops] == [
            "menu",
            "pin_proof",
            "pin_new",
            "pin_confirm",
            "balances",
            "menu",
            "menu",
        ]
        assert all(h.elapsed_ms >= 0 and not h.ended for h in hops)
        assert session.last_screen == "menu"


def test_every_hop_is_stored_masked_with_its_screen_and_timing(ussd_world, phone):
    caller = phone(MEMBER)
    _savings_with_a_new_pin(caller)
    store_waiting_hops(ussd_world)  # on the servers, the periodic job's turn
    _check_stored_hops(ussd_world.db, caller)


def test_with_redis_hops_wait_in_a_list_until_the_periodic_job_stores_them(
    ussd_world, settings, redis_url
):
    runner = InProcessRunner(eager=True)
    ctx = install(Context.build(settings.with_(redis_url=redis_url), runner=runner))
    caller = Phone(create_app(context=ctx).test_client(), MEMBER)
    _savings_with_a_new_pin(caller)
    hops = RedisHops(redis_url)
    assert hops.redis.llen(HOPS_KEY) == 7
    waiting = [json.loads(entry) for entry in hops.redis.lrange(HOPS_KEY, 0, -1)]
    assert all("4821" not in str(hop["input"]) for hop in waiting)  # masked before Redis
    assert any("****" in str(hop["input"]) for hop in waiting)
    with ctx.db.session() as s:
        assert s.scalar(select(UssdSession)) is None  # not yet: the job has not run
    assert store_hops() == 7
    _check_stored_hops(ctx.db, caller)
    assert hops.redis.llen(HOPS_KEY) == 0 and store_hops() == 0
    ctx.db.dispose()


def test_a_database_connection_dropped_by_the_server_costs_no_apology(
    ussd_world, phone, database_url
):
    if not database_url.startswith("postgresql"):
        pytest.skip("SQLite has no server to drop connections")
    caller = phone(MEMBER)
    menu = caller.dial()
    admin = create_engine(database_url)
    with admin.begin() as conn:  # a server restart, as the web process sees it
        killed = conn.execute(
            text(
                "SELECT count(pg_terminate_backend(pid)) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        ).scalar()
    admin.dispose()
    assert killed >= 1
    assert caller.dial() == menu


def test_the_end_of_session_notification_is_recorded(ussd_world, phone, client):
    caller = phone(MEMBER)
    caller.dial()
    event = {
        "date": "2026-11-28 10:15:00",
        "sessionId": caller.session_id,
        "serviceCode": "*384*1234#",
        "networkCode": "63510",
        "phoneNumber": MEMBER,
        "status": "Incomplete",
        "cost": "RWF 2.0000",
        "durationInMillis": "48213",
        "hopsCount": "3",
        "input": "1*2",
        "lastAppResponse": "CON ...",
        "errorMessage": "USER_TIMEOUT",
    }
    response = client.post("/ussd/events", data=event, query_string={"token": TOKEN})
    assert response.status_code == 200
    unknown = client.post(
        "/ussd/events",
        data={**event, "sessionId": "ATUid_other", "status": "Failed"},
        query_string={"token": TOKEN},
    )
    assert unknown.status_code == 200
    with ussd_world.db.session() as s:
        session = s.scalar(select(UssdSession).where(UssdSession.session_id == caller.session_id))
        assert (session.status, session.cost, session.duration_ms) == (
            "Incomplete",
            "RWF 2.0000",
            48213,
        )
        assert session.hops == 3 and session.error == "USER_TIMEOUT"
        assert session.ended_at is not None and session.ended_at.hour == 10
        other = s.scalar(select(UssdSession).where(UssdSession.session_id == "ATUid_other"))
        assert other.status == "Failed"


def test_a_failure_inside_becomes_an_apology_not_a_500(settings):
    broken = settings.with_(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    ctx = Context.build(broken, runner=InProcessRunner(eager=True))
    client = create_app(context=ctx).test_client()
    response = client.post(
        "/ussd", data={**FORM, "phoneNumber": MEMBER, "text": ""}, query_string={"token": TOKEN}
    )
    assert check_screen(response) == "END " + translate(  # an outage: when to dial again
        "rw",
        "Sorry, the service is down for a moment. Please dial again in {minutes} minutes.",
        minutes=5,
    )


def test_a_phone_number_that_is_not_one_gets_the_help_line(client):
    response = client.post(
        "/ussd", data={**FORM, "phoneNumber": "hello"}, query_string={"token": TOKEN}
    )
    assert check_screen(response).startswith("END ") and "0788000000" in response.text


TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from("0123456789*#"),
        st.characters(blacklist_categories=("Cs",)),
    ),
    max_size=5000,
)
PHONE = st.one_of(
    st.text(alphabet=st.characters(blacklist_categories=("Cs",)), max_size=30),
    st.sampled_from([MEMBER, "+250788100010", "+250788555333", "0788100002"]),
)


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(text=TEXT, number=PHONE, session=st.uuids())
def test_any_text_and_phone_get_a_screen(ussd_world, client, text, number, session):
    response = client.post(
        "/ussd",
        data={**FORM, "sessionId": str(session), "phoneNumber": number, "text": text},
        query_string={"token": TOKEN},
    )
    assert response.status_code == 200 and response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.startswith(("CON ", "END ")) and len(body) <= 160
