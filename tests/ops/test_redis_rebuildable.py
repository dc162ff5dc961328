"""README "Backup and restore": Redis holds nothing that cannot be rebuilt. Redis is emptied
(FLUSHDB, as a lost Redis without a backup) and nothing is lost."""

from __future__ import annotations

from datetime import timedelta

from redis import Redis
from support.rq_worker import InProcessWorker

from ikimina.app import create_app
from models import OutboundSms, SmsStatus, utcnow
from runtime.context import Context
from runtime.runners import QUEUES, RqRunner
from services.outbox import queue_sms
from services.sending import sweep
from worker.process import install

HOP = {"sessionId": "r-1", "serviceCode": "*384*1234#", "phoneNumber": "+250788199999",
       "networkCode": "63510"}


def test_an_sms_whose_job_was_flushed_is_sent_after_the_sweep(settings, redis_url) -> None:
    ctx = install(Context.build(settings.with_(redis_url=redis_url),
                                runner=RqRunner(redis_url)))
    with ctx.db.session() as s:
        row_id = queue_sms(s, ctx.settings, "+250788100003", "Murakoze").id
    Redis.from_url(redis_url).flushdb()  # the job is gone
    later = utcnow() + timedelta(seconds=settings.sms_claim_timeout_s + 1)
    assert sweep(ctx, now=later)["requeued"] == 1
    queues = [ctx.runner.queues[name] for name in QUEUES]
    InProcessWorker(queues, connection=ctx.runner.connection).work(burst=True)
    with ctx.db.session() as s:
        assert s.get(OutboundSms, row_id).status is SmsStatus.SENT
    ctx.db.dispose()


def test_a_ussd_session_whose_state_was_flushed_answers_again(settings, redis_url) -> None:
    ctx = install(Context.build(settings.with_(redis_url=redis_url),
                                runner=RqRunner(redis_url)))
    client = create_app(context=ctx).test_client()
    first = client.post("/ussd?token=test-token", data={**HOP, "text": ""})
    assert first.get_data(as_text=True).startswith("CON ")
    Redis.from_url(redis_url).flushdb()
    again = client.post("/ussd?token=test-token", data={**HOP, "text": "2"})
    assert again.status_code == 200 and again.get_data(as_text=True)[:4] in {"CON ", "END "}
    ctx.db.dispose()
