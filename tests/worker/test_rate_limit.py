"""SMS_RATE_PER_S holds for all workers together: one token bucket in Redis, proven with two
real `ikimina worker` processes sending to the Africa's Talking stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from test_outbound_worker import _worker_env  # type: ignore[import-not-found]

from runtime.context import Context
from runtime.runners import RqRunner
from services.outbox import Message, queue_batch
from worker.process import install

RATE = 25
COUNT = 100


def test_two_workers_together_keep_under_the_rate(at_settings, redis_url, standin) -> None:
    settings = at_settings.with_(redis_url=redis_url, sms_batch_size=COUNT // 2)
    ctx = install(Context.build(settings, runner=RqRunner(redis_url)))
    env = {**_worker_env(ctx), "SMS_RATE_PER_S": str(RATE)}
    workers = [
        subprocess.Popen(
            [sys.executable, "-c", "from ikimina.cli import main; main()", "worker"],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            start_new_session=True,
        )
        for _ in range(2)
    ]
    try:
        time.sleep(3)  # both workers listening: each takes one of the two jobs
        with ctx.db.session() as s:
            messages = [Message(f"+2507886{n:05d}", f"Ubutumwa {n}") for n in range(COUNT)]
            queue_batch(s, settings, messages, kind="broadcast")  # 2 jobs of 50 texts
        assert standin.wait_for_calls(COUNT, timeout=60)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
    times = sorted(r.at for r in standin.requests)
    # the bucket holds RATE // 5 tokens, refilled at RATE a second
    spread = times[-1] - times[0]
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    print(f"{COUNT} SMS, 2 workers, SMS_RATE_PER_S={RATE}: {spread:.2f} s, busiest s {busiest}")
    assert spread >= (COUNT - RATE // 5) / RATE * 0.95, spread
    assert busiest <= RATE + RATE // 5 + 3, busiest  # + 3: arrival jitter at the stand-in
    ctx.db.dispose()
