"""Benchmark: a broadcast to 100,000 people through the RQ worker to the local AT stand-in.

Not a test. Needs PostgreSQL (IKIMINA_BENCH_PG_URL, default the test server; a database is
created and dropped) and Redis (IKIMINA_BENCH_REDIS_URL, default DB 13, flushed). Run:

    .venv/bin/python bench/broadcast_bench.py [--people 100000] [--batch 200] [--workers 2]

It starts the stand-in and `--workers` RQ workers (`ikimina worker`), waits until they are up,
then creates the broadcast and waits until every SMS has an outcome. It asserts the work was
done (one outbox row and one SMS per person, the stand-in reached every number once) before it
prints the fan-out time, messages per second, API calls made and the workers' peak memory (max
RSS of any worker or work horse, from getrusage).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import subprocess
import sys
import time
import urllib.request
import uuid

from redis import Redis
from rq import Worker
from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

from ikimina import db as schema
from models import Broadcast, Language, OutboundSms, Person, SmsStatus
from runtime.context import Context
from runtime.runners import RqRunner
from runtime.settings import Settings
from services import broadcasts

PG = os.environ.get("IKIMINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
REDIS = os.environ.get("IKIMINA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/13")
STANDIN_PORT = int(os.environ.get("IKIMINA_BENCH_STANDIN_PORT", "8398"))
LANGS = [Language.RW] * 8 + [Language.EN, Language.FR]


def seed(url: str, count: int) -> None:
    engine = create_engine(url)
    with engine.begin() as conn:
        for start in range(0, count, 5000):
            rows = [
                {"phone": f"+25078{n:07d}", "name": f"Member {n}", "language": LANGS[n % 10]}
                for n in range(start, min(start + 5000, count))
            ]
            conn.execute(insert(Person.__table__), rows)
    engine.dispose()


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--people", type=int, default=100_000)
    parser.add_argument("--batch", type=int, default=200)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--timeout", type=float, default=900.0)
    args = parser.parse_args()

    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"ikimina_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    Redis.from_url(REDIS).flushdb()
    standin = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "from ikimina.cli import main; main()",
            "at-standin",
            "--port",
            str(STANDIN_PORT),
            "--quiet",
        ],
        stderr=subprocess.DEVNULL,
    )
    at_url = f"http://127.0.0.1:{STANDIN_PORT}"
    env = {
        "DATABASE_URL": url,
        "REDIS_URL": REDIS,
        "SMS_GATEWAY": "africastalking",
        "AT_API_KEY": "bench",
        "AT_API_URL": at_url,
        "SMS_BATCH_SIZE": str(args.batch),
        "SMS_RATE_PER_S": "0",  # unlimited: measure ikimina, not the configured rate
        "QUIET_HOURS_START": "00:00",
        "QUIET_HOURS_END": "00:00",
        "PIN_PEPPER": "bench-pepper",  # required by every process (unused by sending)
    }
    try:
        schema.upgrade(url)
        t0 = time.perf_counter()
        seed(url, args.people)
        print(f"seeded {args.people} people in {time.perf_counter() - t0:.1f} s")
        settings = Settings.from_env(env)
        ctx = Context.build(settings, runner=RqRunner(REDIS))
        workers = [
            subprocess.Popen(
                [sys.executable, "-c", "from ikimina.cli import main; main()", "worker"],
                env={**os.environ, **env},
                stdout=subprocess.DEVNULL,
            )
            for _ in range(args.workers)
        ]
        try:
            up = time.monotonic() + 60
            while len(Worker.all(connection=Redis.from_url(REDIS))) < args.workers:
                assert time.monotonic() < up, "the workers did not start"
                time.sleep(0.2)
            texts = {"rw": "Inama rusange ni ejo saa tatu."}
            started = time.perf_counter()
            with ctx.db.session() as session:
                shown = broadcasts.preview(session, settings, "all", texts)
                created = broadcasts.create(session, settings, "all", texts)
            deadline = time.monotonic() + args.timeout
            while True:
                with ctx.db.session() as session:
                    b = session.get(Broadcast, created.id)
                    assert b is not None
                    counts = broadcasts.counts(session, created.id)
                waiting = counts["queued"] + counts["sending"]
                if b.fanned_out_at is not None and counts["total"] and not waiting:
                    break
                assert time.monotonic() < deadline, f"not done after {args.timeout} s: {counts}"
                time.sleep(0.1)
            elapsed = time.perf_counter() - started
        finally:
            for worker in workers:
                worker.terminate()
            for worker in workers:
                worker.wait(30)
        print(
            f"preview: {shown.recipients} recipients, {shown.total_segments} segments, "
            f"RWF {shown.estimated_cost:,.0f}"
        )
        usage = resource.getrusage(resource.RUSAGE_CHILDREN)  # the workers and work horses
        peak_mib = usage.ru_maxrss / 1024
        worker_cpu = usage.ru_utime + usage.ru_stime
        with ctx.db.session() as session:
            b = session.get(Broadcast, created.id)
            assert b is not None and b.fanned_out_at is not None
            fan_out_s = (b.fanned_out_at - b.created_at).total_seconds()
            first, last = session.execute(
                select(func.min(OutboundSms.sent_at), func.max(OutboundSms.sent_at)).where(
                    OutboundSms.status == SmsStatus.SENT
                )
            ).one()
        with urllib.request.urlopen(f"{at_url}/standin/stats") as answer:
            stats = json.load(answer)
        with ctx.db.session() as session:
            reached = session.scalar(
                select(func.count(func.distinct(OutboundSms.phone))).where(
                    OutboundSms.broadcast_id == created.id, OutboundSms.status == SmsStatus.SENT
                )
            )
        # the work was done before any figure is printed: every person sent to, once
        assert counts["total"] == args.people, f"fan-out wrote {counts['total']} rows"
        assert counts["sent"] == reached == args.people, f"sent to {reached} of {args.people}"
        assert stats["recipients"] == args.people, f"the stand-in got {stats['recipients']}"
        sending_s = (last - first).total_seconds() if first and last else 0.0
        print(f"fan-out: {counts['total']} outbox rows in {fan_out_s:.1f} s")
        print(
            f"sent: {counts['sent']} (failed {counts['failed']}, review {counts['review']}) "
            f"in {elapsed:.1f} s end to end ({args.workers} workers)"
        )
        print(
            f"messages per second: {counts['sent'] / elapsed:,.0f} end to end, "
            f"{counts['sent'] / max(sending_s, 1e-9):,.0f} while sending"
        )
        print(
            f"API calls: {stats['calls']} for {stats['recipients']} recipients "
            f"(batch size {args.batch})"
        )
        print(f"peak worker memory (max RSS of a worker or work horse): {peak_mib:.0f} MiB")
        print(
            f"worker CPU: {worker_cpu:.1f} s, {worker_cpu / args.people * 1e6:.0f} us per SMS "
            "(fan-out and sending, all workers; repeatable under load, unlike the rates)"
        )
        ctx.db.dispose()
    finally:
        standin.terminate()
        standin.wait(10)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()
        Redis.from_url(REDIS).flushdb()


if __name__ == "__main__":
    main()
