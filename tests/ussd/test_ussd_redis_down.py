"""USSD without Redis: the session store falls back to the database, so balances can still be
read and hops still reach the analytics; with the database down too, the apology says when to
dial again. Against a redis-server this test starts and stops itself."""

from __future__ import annotations

from sqlalchemy import func, select
from support.servers import own_redis  # noqa: F401 - a fixture
from support.ussd import MEMBER, Phone

from ikimina.app import create_app
from locales import translate
from models import Person, UssdHop
from models.pins import set_pin
from runtime.context import Context
from runtime.runners import InProcessRunner
from worker.process import install


def test_with_redis_down_balances_are_still_read(ussd_world, settings, own_redis):  # noqa: F811
    with ussd_world.db.session() as s:
        set_pin(
            s.scalar(select(Person).where(Person.phone == MEMBER)), "4821", pepper="test-pepper"
        )
    ctx = install(
        Context.build(settings.with_(redis_url=own_redis.url), runner=InProcessRunner(eager=True))
    )
    client = create_app(context=ctx).test_client()
    before = Phone(client, MEMBER)
    before.dial()
    assert "Frw" in before.press("1", "4821")

    own_redis.stop()
    caller = Phone(client, MEMBER)
    caller.dial()
    caller.press("1")
    assert translate("rw", "Enter your PIN (4 digits):") in caller.screen
    balances = caller.press("4821")
    assert "15,000 Frw" in balances
    assert caller.press("98").startswith("CON ")  # the next hop finds the state again
    with ctx.db.session() as s:
        assert s.scalar(select(func.count()).select_from(UssdHop)) >= 4  # stored directly
    ctx.db.dispose()


def test_with_redis_and_the_database_down_the_apology_says_when_to_dial_again(settings):
    down = settings.with_(
        database_url="postgresql+psycopg://nobody@127.0.0.1:1/none",
        redis_url="redis://127.0.0.1:1/0",
    )
    client = create_app(
        context=Context.build(down, runner=InProcessRunner(eager=True))
    ).test_client()
    body = Phone(client, MEMBER).dial()
    assert body == "END " + translate(
        "rw",
        "Sorry, the service is down for a moment. Please dial again in {minutes} minutes.",
        minutes=5,
    )
