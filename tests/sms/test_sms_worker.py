"""With Redis configured, the callback only stores and enqueues; the real RQ worker runs the
command, the two-week rule and its alert."""

from __future__ import annotations

from datetime import timedelta

import pytest
from support.rq_worker import InProcessWorker
from support.sms import (
    DIRECTOR,
    FIELD_OFFICER,
    TRAINER_EN,
    build_world,
    dm,
    inbound_rows,
    last_reply,
    post_sms,
    texts_to,
)

from ikimina.app import create_app
from models import InboundStatus, Person, Priority
from models.at_risk import monday
from runtime.context import Context, enqueue_after_commit
from runtime.runners import QUEUES, RqRunner
from services.outbox import queue_sms
from worker.process import install


@pytest.fixture
def rq_context(settings, redis_url):  # type: ignore[no-untyped-def]
    ctx = install(Context.build(settings.with_(redis_url=redis_url)))
    assert isinstance(ctx.runner, RqRunner)
    yield ctx
    ctx.db.dispose()


def work(ctx: Context) -> None:
    """Run RQ's worker in burst mode on ikimina's queues, in priority order."""
    runner = ctx.runner
    assert isinstance(runner, RqRunner)
    queues = [runner.queues[name] for name in QUEUES]
    InProcessWorker(queues, connection=runner.connection).work(burst=True)


def test_the_rq_worker_runs_a_report_and_the_two_week_alert(rq_context) -> None:
    world = build_world(rq_context)
    client = create_app(context=rq_context).test_client()
    m = monday(world.today)
    assert post_sms(client, TRAINER_EN, f"ABS T0107 {dm(m - timedelta(days=7))}").status_code == 200
    assert (
        post_sms(client, TRAINER_EN, f"ABS T0107 {dm(world.today)}", at_id="AT-2").status_code
        == 200
    )
    # answered at once; nothing run yet
    assert [r.status for r in inbound_rows(rq_context)] == [InboundStatus.RECEIVED] * 2
    assert texts_to(rq_context, TRAINER_EN) == []
    assert rq_context.runner.queues["high"].count == 2

    work(rq_context)
    assert [r.status for r in inbound_rows(rq_context)] == [InboundStatus.PROCESSED] * 2
    assert (
        last_reply(rq_context, TRAINER_EN) == f"Absent on {world.today:%d/%m}: T0107 Mugisha Eric."
    )
    assert len(texts_to(rq_context, FIELD_OFFICER, "alert")) == 1
    assert len(texts_to(rq_context, DIRECTOR, "alert")) == 1

    # Africa's Talking retries the same id: acknowledged, not run again
    assert (
        post_sms(client, TRAINER_EN, f"ABS T0107 {dm(world.today)}", at_id="AT-2").status_code
        == 200
    )
    assert rq_context.runner.queues["high"].count == 0
    assert len(texts_to(rq_context, TRAINER_EN)) == 2


def test_jobs_wait_for_the_outermost_commit_not_a_savepoint(rq_context) -> None:
    """queue_sms writes its row in a SAVEPOINT; earlier after-commit jobs must still wait."""
    high = rq_context.runner.queues["high"]
    with rq_context.db.session() as s:
        enqueue_after_commit(s, "worker.jobs.inbound.alert_open_cases", queue="high")
        phone, settings = "+250788100010", rq_context.settings
        queue_sms(s, settings, phone, "Murakoze", dedupe_key="t:1", priority=Priority.HIGH)
        queue_sms(s, settings, phone, "Murakoze", dedupe_key="t:1")  # the same key: no new row
        assert high.count == 0
    assert high.count == 2  # the sweep and one send


def test_jobs_of_a_rolled_back_transaction_are_dropped(rq_context) -> None:
    high = rq_context.runner.queues["high"]
    with pytest.raises(RuntimeError), rq_context.db.session() as s:
        s.add(Person(phone="+250788100099", name="Test"))
        queue_sms(s, rq_context.settings, "+250788100099", "Murakoze", dedupe_key="t:2")
        raise RuntimeError("the request failed")
    with rq_context.db.session() as s:
        s.execute(Person.__table__.select())
    assert high.count == 0
