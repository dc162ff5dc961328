"""A Redis restart under traffic: the worker and the scheduler stay up (reconnecting with
backoff, said in their logs), and every inbound SMS stored while the queue was down is run
within 2 minutes of Redis's return. Against a redis-server this test starts itself."""

from __future__ import annotations

import os
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import func, select
from support.servers import alive, env_for, own_redis  # noqa: F401 - a fixture
from support.sms import TRAINER_EN, post_sms

from ikimina.app import create_app
from models import InboundSms, InboundStatus
from runtime.context import Context

CLI = [sys.executable, "-c", "from ikimina.cli import main; main()"]


def _processed(ctx: Context) -> int:
    with ctx.db.session() as s:
        return s.scalar(select(func.count()).where(InboundSms.status == InboundStatus.PROCESSED))


def _wait(ctx: Context, count: int, timeout: float) -> float:
    started = time.monotonic()
    while _processed(ctx) < count:
        assert time.monotonic() - started < timeout, f"{_processed(ctx)} of {count} processed"
        time.sleep(0.5)
    return time.monotonic() - started


#: What the worker's and the scheduler's logs say while Redis is away (ours, or RQ's own retry).
#: What a process says when it backs off: ours (worker/process.py), RQ's scheduler, and RQ's
#: worker when Redis went away while it was waiting for a job (its own retry loop).
BACKING_OFF = ("reconnecting to Redis", "Retrying", "could not connect to Redis instance")


def _wait_for_log(log: Path, lines: tuple[str, ...], timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while not any(line in log.read_text() for line in lines):
        assert time.monotonic() < deadline, f"{log.name} never said {lines}:\n{log.read_text()}"
        time.sleep(0.2)


def test_worker_and_scheduler_survive_a_redis_restart_and_nothing_is_lost(
    world, settings, own_redis, tmp_path  # noqa: F811 - the fixture
):
    web = Context.build(settings.with_(redis_url=own_redis.url))
    client = create_app(context=web).test_client()
    env = env_for(
        DATABASE_URL=settings.database_url,
        REDIS_URL=own_redis.url,
        SMS_GATEWAY="local",
        PIN_PEPPER="test-pepper",
        SECRET_KEY="k" * 32,
    )
    logs = {name: tmp_path / f"{name}.log" for name in ("worker", "scheduler")}
    procs = {
        name: subprocess.Popen(
            [*CLI, name],
            env=env,
            stdout=logs[name].open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        for name in logs
    }
    try:
        post_sms(client, TRAINER_EN, "HELP")
        _wait(web, 1, 60)  # the worker is up and working

        own_redis.stop()
        for n in range(20):
            assert post_sms(client, TRAINER_EN, f"HELP {n}").status_code == 200  # stored
        for name in logs:  # both noticed and back off (however slow the machine is)
            _wait_for_log(logs[name], BACKING_OFF, timeout=60)
        assert all(alive(p) for p in procs.values()), {n: logs[n].read_text() for n in logs}

        own_redis.start()
        recovery = _wait(web, 21, 120)
        print(f"21 inbound SMS processed {recovery:.1f} s after Redis came back")
        assert all(alive(p) for p in procs.values())
    finally:
        for p in procs.values():
            p.terminate()
            p.wait(20)
        web.db.dispose()


def test_an_idle_worker_stops_on_sigterm(settings, own_redis, tmp_path):  # noqa: F811
    env = env_for(DATABASE_URL=settings.database_url, REDIS_URL=own_redis.url,
                  PIN_PEPPER="test-pepper")
    log = tmp_path / "worker.log"
    worker = subprocess.Popen([*CLI, "worker"], env=env, stdout=log.open("w"),
                              stderr=subprocess.STDOUT, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while "Listening on" not in log.read_text():
            assert time.monotonic() < deadline, log.read_text()
            time.sleep(0.2)
        worker.terminate()
        assert worker.wait(15) is not None  # not restarted by the supervisor
    finally:
        if worker.poll() is None:
            os.killpg(worker.pid, 9)
            worker.wait(10)
