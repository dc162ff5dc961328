"""The outbox with the real Redis and real RQ workers: priority, crashes, lost jobs."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
from collections import Counter
from datetime import timedelta

import pytest
from sqlalchemy import select
from support.rq_worker import InProcessWorker

from models import DeliveryReport, OutboundSms, Priority, SmsStatus, utcnow
from runtime.context import Context
from runtime.runners import QUEUES, InProcessRunner, RqRunner
from services.outbox import Message, queue_batch, queue_sms
from services.sending import sweep
from worker.process import install

PHONES = [f"+2507886000{i:02d}" for i in range(10)]


@pytest.fixture
def rq_context(at_settings, redis_url):  # type: ignore[no-untyped-def]
    settings = at_settings.with_(redis_url=redis_url, sms_batch_size=4)
    ctx = install(Context.build(settings, runner=RqRunner(redis_url)))
    yield ctx
    ctx.db.dispose()


def _burst(ctx: Context) -> None:
    runner = ctx.runner
    assert isinstance(runner, RqRunner)
    queues = [runner.queues[name] for name in QUEUES]
    InProcessWorker(queues, connection=runner.connection).work(burst=True)


def _statuses(ctx: Context) -> dict[str, SmsStatus]:
    with ctx.db.session() as s:
        return dict(s.execute(select(OutboundSms.phone, OutboundSms.status)).all())


def test_replies_are_sent_before_bulk_already_waiting(rq_context, standin) -> None:
    with rq_context.db.session() as s:
        messages = [Message(p, "Amakuru y'icyumweru") for p in PHONES]
        queue_batch(s, rq_context.settings, messages, kind="broadcast")
    with rq_context.db.session() as s:
        queue_sms(s, rq_context.settings, "+250788699999", "Twakiriye raporo yawe.")
    _burst(rq_context)
    assert standin.requests[0].phones == ["+250788699999"]
    assert [len(r.phones) for r in standin.requests[1:]] == [4, 4, 2]
    assert set(_statuses(rq_context).values()) == {SmsStatus.SENT}


def _worker_env(ctx: Context) -> dict[str, str]:
    s = ctx.settings
    return {
        **os.environ,
        "DATABASE_URL": s.database_url,
        "REDIS_URL": s.redis_url,
        "SMS_GATEWAY": "africastalking",
        "AT_API_KEY": s.at_api_key,
        "AT_API_URL": s.at_api_url,
        "AT_TIMEOUT_S": "30",
        "SMS_BATCH_SIZE": str(s.sms_batch_size),
        "SMS_RATE_PER_S": "0",
        "PIN_PEPPER": s.pin_pepper,
        "QUIET_HOURS_START": "00:00",
        "QUIET_HOURS_END": "00:00",
    }


def _descendants(pid: int) -> list[int]:
    try:
        with open(f"/proc/{pid}/task/{pid}/children") as fh:
            children = [int(c) for c in fh.read().split()]
    except FileNotFoundError:
        return []
    return [d for c in children for d in (*_descendants(c), c)]


def _kill_tree(pid: int) -> None:
    """SIGKILL `pid` (a process this test started) and every process it started."""
    for victim in (*_descendants(pid), pid):
        try:
            os.kill(victim, signal.SIGKILL)
        except ProcessLookupError:
            pass


def test_a_worker_killed_mid_batch_loses_nothing_and_sends_nothing_twice(
    rq_context, standin
) -> None:
    """SIGKILL while AT holds the answer to the first batch: after the sweeper and a new
    worker, that batch is flagged `review` (it may have gone out), every other SMS is sent
    exactly once, and none is left behind."""
    hold = threading.Event()
    standin.config.hold = hold
    with rq_context.db.session() as s:
        messages = [Message(p, "Inama ejo saa tatu") for p in PHONES]
        queue_batch(s, rq_context.settings, messages, kind="broadcast")
    worker = subprocess.Popen(
        [sys.executable, "-c", "from ikimina.cli import main; main()", "worker"],
        env=_worker_env(rq_context),
        start_new_session=True,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        assert standin.wait_for_calls(1, timeout=60), "the worker never called AT"
    finally:
        _kill_tree(worker.pid)  # the worker and its work horse (RQ gives it its own session)
        worker.wait(10)
    hold.set()
    in_flight = standin.requests[0].phones
    assert len(in_flight) == 4
    assert Counter(_statuses(rq_context).values()) == {SmsStatus.SENDING: 4, SmsStatus.QUEUED: 6}

    later = utcnow() + timedelta(seconds=rq_context.settings.sms_claim_timeout_s + 1)
    swept = sweep(rq_context, now=later)
    assert swept["review"] == 4, swept
    _burst(rq_context)  # a new worker

    statuses = _statuses(rq_context)
    assert {p for p, st in statuses.items() if st is SmsStatus.REVIEW} == set(in_flight)
    assert {p for p, st in statuses.items() if st is SmsStatus.SENT} == set(PHONES) - set(in_flight)
    assert Counter(standin.sent_to()) == dict.fromkeys(PHONES, 1)


def test_a_job_lost_when_redis_was_down_is_re_enqueued_by_the_sweeper(settings) -> None:
    ctx = install(Context.build(settings, runner=RqRunner("redis://127.0.0.1:1/0")))
    with ctx.db.session() as s:
        row = queue_sms(s, ctx.settings, "+250788100003", "Murakoze")  # committed; enqueue fails
    assert _statuses(ctx) == {"+250788100003": SmsStatus.QUEUED}
    ctx.runner = InProcessRunner(eager=True)
    assert sweep(ctx)["requeued"] == 0  # not stale yet: its job may still be coming
    later = utcnow() + timedelta(seconds=settings.sms_claim_timeout_s + 1)
    assert sweep(ctx, now=later)["requeued"] == 1
    with ctx.db.session() as s:
        assert s.get(OutboundSms, row.id).status is SmsStatus.SENT
    ctx.db.dispose()


def test_a_stuck_row_with_a_delivery_report_for_its_number_is_not_flagged(context) -> None:
    with context.db.session() as s:
        queue_sms(s, context.settings, "+250788100001", "A", priority=Priority.HIGH)
    with context.db.session() as s:
        row = s.scalars(select(OutboundSms)).one()
        row.status, row.at_message_id = SmsStatus.SENDING, None  # as if the worker died
        row.claimed_at = utcnow()
        s.add(DeliveryReport(at_message_id="ATXid_1", status="Success", phone=row.phone))
    later = utcnow() + timedelta(seconds=context.settings.sms_claim_timeout_s + 1)
    assert sweep(context, now=later) == {"requeued": 0, "review": 0, "resolved": 1}
    assert _statuses(context) == {"+250788100001": SmsStatus.DELIVERED}
