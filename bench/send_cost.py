"""What fanning out and sending a broadcast costs in process: CPU and wall time, no RQ.

    .venv/bin/python bench/send_cost.py [--people 10000] [--profile fan|send]

It creates a PostgreSQL database (dropped at the end), seeds people, starts the AT stand-in
in a subprocess, runs the fan-out in this process (the send jobs it enqueues are collected,
not run), then runs each send job's `deliver` here. CPU time (`time.process_time`) is this
process's only: the stand-in and PostgreSQL are not counted. It asserts every person got one
outbox row and one accepted SMS before it prints a figure.
"""

from __future__ import annotations

import argparse
import cProfile
import os
import pstats
import subprocess
import sys
import time
import uuid
from pathlib import Path

from sqlalchemy import create_engine, func, insert, select, text
from sqlalchemy.engine import make_url

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from ikimina import db as schema  # noqa: E402
from models import Language, OutboundSms, Person, SmsStatus  # noqa: E402
from runtime.context import Context  # noqa: E402
from runtime.settings import Settings  # noqa: E402
from services import broadcasts  # noqa: E402
from services.gateways import gateway_for  # noqa: E402
from services.sending import deliver  # noqa: E402

PG = os.environ.get("IKIMINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test")
PORT = int(os.environ.get("IKIMINA_BENCH_STANDIN_PORT", "8398")) + 1


class Collected:
    """A job runner that keeps the jobs instead of running them."""

    def __init__(self) -> None:
        self.jobs: list[tuple[str, tuple]] = []

    def enqueue(self, job: str, *args: object, **options: object) -> None:
        self.jobs.append((job, args))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--people", type=int, default=10_000)
    parser.add_argument("--profile", choices=["fan", "send"])
    args = parser.parse_args()
    admin = create_engine(PG, isolation_level="AUTOCOMMIT")
    name = f"ikimina_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    url = make_url(PG).set(database=name).render_as_string(hide_password=False)
    standin = subprocess.Popen(
        [sys.executable, "-c", "from ikimina.cli import main; main()", "at-standin"]
        + ["--port", str(PORT), "--quiet"],
        stderr=subprocess.DEVNULL,
    )
    try:
        schema.upgrade(url)
        engine = create_engine(url)
        with engine.begin() as conn:
            for start in range(0, args.people, 5000):
                rows = [
                    {"phone": f"+25078{n:07d}", "name": f"M{n}", "language": Language.RW}
                    for n in range(start, min(start + 5000, args.people))
                ]
                conn.execute(insert(Person.__table__), rows)
        engine.dispose()
        env = {
            "DATABASE_URL": url,
            "SMS_GATEWAY": "africastalking",
            "AT_API_KEY": "bench",
            "AT_API_URL": f"http://127.0.0.1:{PORT}",
            "SMS_RATE_PER_S": "0",
            "QUIET_HOURS_START": "00:00",
            "QUIET_HOURS_END": "00:00",
            "PIN_PEPPER": "bench-pepper",
        }
        settings = Settings.from_env(env)
        jobs = Collected()
        ctx = Context.build(settings, runner=jobs)  # type: ignore[arg-type]
        time.sleep(1)  # the stand-in starts
        with ctx.db.session() as session:
            made = broadcasts.create(session, settings, "all", {"rw": "Inama ni ejo saa tatu."})
        jobs.jobs.clear()
        profile = cProfile.Profile()
        cpu, wall = time.process_time(), time.perf_counter()
        if args.profile == "fan":
            profile.enable()
        broadcasts.fan_out(ctx, made.id)
        profile.disable()
        fan_cpu, fan_wall = time.process_time() - cpu, time.perf_counter() - wall
        gateway = gateway_for(settings)
        cpu, wall = time.process_time(), time.perf_counter()
        if args.profile == "send":
            profile.enable()
        sent = sum(deliver(ctx, job_args[0], gateway) for _job, job_args in jobs.jobs)
        profile.disable()
        send_cpu, send_wall = time.process_time() - cpu, time.perf_counter() - wall
        with ctx.db.session() as session:
            reached = session.scalar(
                select(func.count(func.distinct(OutboundSms.phone))).where(
                    OutboundSms.status == SmsStatus.SENT
                )
            )
        assert sent == reached == args.people, f"sent {sent}, reached {reached} of {args.people}"
        print(
            f"fan-out {args.people}: {fan_cpu * 1000:.0f} ms CPU, {fan_wall:.2f} s wall, "
            f"{len(jobs.jobs)} send jobs"
        )
        print(
            f"send {sent}: {send_cpu:.2f} s CPU ({send_cpu / sent * 1e6:.0f} us per SMS), "
            f"{send_wall:.2f} s wall, {sent / send_wall:,.0f} msg/s in one process"
        )
        if args.profile:
            pstats.Stats(profile).sort_stats("cumulative").print_stats(40)
        ctx.db.dispose()
    finally:
        standin.terminate()
        standin.wait(10)
        with admin.connect() as conn:
            conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


if __name__ == "__main__":
    main()
