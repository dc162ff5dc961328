"""A PostgreSQL restart under traffic: callbacks answer 503 with Retry-After (USSD: a screen
saying when to dial again), the worker stays up, and after the restart USSD and inbound SMS
work again at once. Against a PostgreSQL cluster and a redis-server this test starts itself."""

from __future__ import annotations

import subprocess
import sys
import time

import pytest
from support.servers import OwnPostgres, OwnRedis, alive, env_for, stop_process
from support.sms import TRAINER_EN as TRAINER
from support.sms import build_world, post_sms
from support.ussd import TOKEN

from ikimina import db as schema
from ikimina.app import create_app
from models import InboundSms, InboundStatus
from runtime.context import Context

CLI = [sys.executable, "-c", "from ikimina.cli import main; main()"]


@pytest.fixture
def own_servers(tmp_path):  # type: ignore[no-untyped-def]
    redis, pg = OwnRedis(tmp_path / "redis"), None
    (tmp_path / "redis").mkdir()
    redis.start()
    try:
        pg = OwnPostgres()
        pg.start()
        yield redis, pg
    finally:
        if pg is not None:
            pg.remove()
        redis.stop()


def _ussd(client) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/ussd",
        query_string={"token": TOKEN},
        data={"sessionId": f"s{time.monotonic()}", "phoneNumber": TRAINER, "text": ""},
    )
    response.close()
    assert response.status_code == 200
    return response.get_data(as_text=True)


def test_a_postgres_restart_costs_503s_during_it_and_nothing_after(settings, own_servers, tmp_path):
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("runs once: on its own PostgreSQL")
    redis, pg = own_servers
    schema.upgrade(pg.url)
    web = Context.build(settings.with_(database_url=pg.url, redis_url=redis.url))
    build_world(web)
    client = create_app(context=web).test_client()
    env = env_for(
        DATABASE_URL=pg.url, REDIS_URL=redis.url, SMS_GATEWAY="local", PIN_PEPPER="test-pepper"
    )
    log = tmp_path / "worker.log"
    worker = subprocess.Popen(
        [*CLI, "worker"],
        env=env,
        stdout=log.open("w"),
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        assert _ussd(client).startswith("CON ")
        pg.stop()
        down = post_sms(client, TRAINER, "HELP")
        assert down.status_code == 503 and int(down.headers["Retry-After"]) > 0
        delivery = client.post(
            "/sms/delivery", query_string={"token": TOKEN}, data={"id": "x", "status": "Success"}
        )
        assert delivery.status_code == 503
        assert "dial again in 5 minutes" in _ussd(client) or "minota 5" in _ussd(client)
        time.sleep(3)
        assert alive(worker), log.read_text()

        pg.start()
        back = time.monotonic()
        while not _ussd(client).startswith("CON "):
            assert time.monotonic() - back < 30
            time.sleep(0.2)
        ussd_back = time.monotonic() - back
        assert post_sms(client, TRAINER, "HELP", at_id="ATXid_after").status_code == 200
        while True:
            with web.db.session() as s:
                row = s.query(InboundSms).filter_by(at_id="ATXid_after").one()
                if row.status is InboundStatus.PROCESSED:
                    break
            assert time.monotonic() - back < 60, row.status
            time.sleep(0.2)
        print(
            f"PostgreSQL back: USSD after {ussd_back:.1f} s, SMS processed after "
            f"{time.monotonic() - back:.1f} s"
        )
        assert alive(worker)
    finally:
        stop_process(worker, log)
        web.db.dispose()
