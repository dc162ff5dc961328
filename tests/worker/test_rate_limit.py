"""SMS_RATE_PER_S holds for all workers together: one token bucket in Redis, proven with two
real `ikimina worker` processes sending to the Africa's Talking stand-in."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

from rq import Worker
from rq.registry import FinishedJobRegistry
from test_outbound_worker import _worker_env  # type: ignore[import-not-found]

from runtime.context import Context
from runtime.runners import RqRunner
from services.outbox import Message, queue_batch
from services.rate import capacity
from worker.process import install

RATE = 25
COUNT = 100
#: How long after its token a text may reach the stand-in (an HTTP call from a work horse on a
#: busy machine). A bucket per worker would send twice as fast (about 1.8 s for all, 60 in
#: the busiest second): far outside the bounds below, so this allowance never hides that bug.
LATE_S = 0.75


def _both_listening(runner: RqRunner, timeout: float = 60) -> None:
    """Wait until two workers wait for jobs (each then takes one of the two jobs)."""
    deadline = time.monotonic() + timeout
    while [w.get_state() for w in Worker.all(connection=runner.connection)] != ["idle"] * 2:
        assert time.monotonic() < deadline, "the two workers never both listened"
        time.sleep(0.05)


def test_two_workers_together_keep_under_the_rate(at_settings, redis_url, standin) -> None:
    settings = at_settings.with_(redis_url=redis_url, sms_batch_size=COUNT // 2)
    runner = RqRunner(redis_url)
    ctx = install(Context.build(settings, runner=runner))
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
        _both_listening(runner)
        with ctx.db.session() as s:
            messages = [Message(f"+2507886{n:05d}", f"Ubutumwa {n}") for n in range(COUNT)]
            queue_batch(s, settings, messages, kind="broadcast")  # 2 jobs of 50 texts
        assert standin.wait_for_calls(COUNT, timeout=60)
    finally:
        for worker in workers:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(20)
    finished = FinishedJobRegistry(queue=runner.queues["bulk"]).get_job_ids()
    by = {runner.queues["bulk"].fetch_job(j).latest_result().worker_name for j in finished}
    assert len(finished) == 2 and len(by) == 2, by  # each worker sent one job's 50 texts
    times = sorted(r.at for r in standin.requests)
    spread = times[-1] - times[0]
    busiest = max(sum(1 for t in times if start <= t < start + 1.0) for start in times)
    print(f"{COUNT} SMS, 2 workers, SMS_RATE_PER_S={RATE}: {spread:.2f} s, busiest s {busiest}")
    # the bucket holds capacity(RATE) tokens and refills at RATE a second: the last text waits
    # (COUNT - capacity) / RATE after the first; any second sees at most RATE + capacity
    full = capacity(RATE)
    assert spread >= (COUNT - full) / RATE - LATE_S, spread
    assert busiest <= RATE * (1 + LATE_S) + full, busiest
    ctx.db.dispose()
