"""Periodic jobs, declared as data, run by RQ's cron scheduler or, in the demo, by a thread.

Cron strings are read in UTC (as RQ 2.x reads them); Kigali is UTC+2 all year, so 18:00 in
Kigali is `0 16 * * *`. Every periodic job must be safe to run twice at once (two schedulers):
the jobs queue SMS with dedupe keys, so a second run sends nothing new.
"""

from __future__ import annotations

import logging
import threading
from dataclasses import dataclass
from datetime import datetime
from typing import TYPE_CHECKING

from croniter import croniter

from runtime.clock import utcnow
from runtime.runners import QUEUE_PREFIX, JobRunner, resolve

if TYPE_CHECKING:
    from rq.cron import CronScheduler

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class Periodic:
    """A job to run on a cron schedule (UTC) or every `interval_s` seconds."""

    job: str
    cron: str | None = None
    interval_s: int | None = None
    queue: str = "default"

    def next_after(self, moment: datetime) -> datetime:
        if self.cron:
            return croniter(self.cron, moment).get_next(datetime)
        assert self.interval_s
        return datetime.fromtimestamp(moment.timestamp() + self.interval_s, moment.tzinfo)


#: Every periodic job of ikimina. Each feature adds its line here.
PERIODIC: tuple[Periodic, ...] = (
    # Reminders (services/reminder_rules.py): every 15 minutes, every reminder whose time has
    # come, the Monday 08:00 staff digest and the Friday 16:00 missing-report reminder included.
    Periodic("worker.jobs.reminders.queue_due_reminders", cron="*/15 * * * *"),
    # 05:00 Kigali: intakes that ended yesterday graduate their trainees before quiet hours end
    Periodic("worker.jobs.tvet.graduate_ended_intakes", cron="0 3 * * *", queue="bulk"),
    # every minute: any absence-case alert lost between a commit and its job
    Periodic("worker.jobs.inbound.alert_open_cases", interval_s=60, queue="high"),
    # every minute: inbound SMS stored while Redis was down (their job was never queued)
    Periodic("worker.jobs.inbound.sweep_inbound", interval_s=60, queue="high"),
    Periodic("worker.jobs.outbound.sweep_outbox", interval_s=60),
    # every 10 seconds: USSD hops the web processes appended in Redis, into ussd_hops
    Periodic("worker.jobs.ussd.store_hops", interval_s=10, queue="bulk"),
)


def cron_scheduler(redis_url: str, periodic: tuple[Periodic, ...] = PERIODIC) -> CronScheduler:
    """RQ's CronScheduler with each periodic job registered."""
    from redis import Redis
    from rq.cron import CronScheduler

    scheduler = CronScheduler(connection=Redis.from_url(redis_url), logging_level=logging.INFO)
    for item in periodic:
        scheduler.register(
            resolve(item.job),
            QUEUE_PREFIX + item.queue,
            cron=item.cron,
            interval=item.interval_s,
        )
    return scheduler


def run_cron_scheduler(redis_url: str, periodic: tuple[Periodic, ...] = PERIODIC) -> None:
    """`ikimina scheduler`: RQ's CronScheduler enqueues each periodic job on time (blocks).
    A Redis restart does not end it: it reconnects with backoff (see `supervise`)."""
    from worker.process import supervise

    def run() -> bool:
        cron_scheduler(redis_url, periodic).start()
        return True  # start() returns only when asked to stop

    supervise(run, redis_url, "scheduler")


class InProcessClock:
    """The demo's scheduler: a daemon thread that enqueues due periodic jobs on `runner`."""

    def __init__(self, runner: JobRunner, periodic: tuple[Periodic, ...] = PERIODIC) -> None:
        self.runner = runner
        self.periodic = periodic
        self._stop = threading.Event()
        start = utcnow()
        self._due = {item: item.next_after(start) for item in periodic}

    def tick(self, now: datetime | None = None) -> list[Periodic]:
        """Enqueue every job due at `now`; return them."""
        now = now or utcnow()
        ran = []
        for item, due in self._due.items():
            if due <= now:
                self.runner.enqueue(item.job, queue=item.queue)
                self._due[item] = item.next_after(now)
                ran.append(item)
        return ran

    def start(self) -> threading.Thread:
        thread = threading.Thread(target=self._loop, daemon=True, name="clock")
        thread.start()
        return thread

    def _loop(self) -> None:
        while not self._stop.wait(1.0):
            try:
                self.tick()
            except Exception:  # noqa: BLE001 - keep the clock alive
                log.exception("periodic job enqueue failed")

    def stop(self) -> None:
        self._stop.set()
