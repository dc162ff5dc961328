"""USSD load benchmark: realistic sessions against gunicorn, PostgreSQL and Redis.

    .venv/bin/python bench/ussd_load.py [--sessions 50] [--think-ms 500] [--workers 2] [--threads 4]

It creates a fresh PostgreSQL database (dropped at the end), seeds members with a PIN and a
ledger, flushes Redis DB 12, and starts gunicorn twice with the same settings on loopback:
once with ikimina (`ikimina.wsgi:app`) and once with a bare Flask app answering `END ok`
(`bench/bare_app.py`). Each of N concurrent sessions dials, opens "My savings", enters the
PIN, sees the balances and goes back: four hops, again and again, until the time or request
limit. It prints throughput and p50/p99 latency per hop for both servers, and their ratio.
The hops' analytics wait in a Redis list; no RQ worker runs during the benchmark.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import random
import signal
import statistics
import subprocess
import sys
import time
import uuid
from collections import defaultdict
from datetime import date, timedelta
from pathlib import Path
from urllib.parse import urlencode

from sqlalchemy import create_engine, text
from sqlalchemy.engine import make_url

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

PG_ADMIN_URL = os.environ.get(
    "IKIMINA_BENCH_PG_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
)
REDIS_URL = os.environ.get("IKIMINA_BENCH_REDIS_URL", "redis://127.0.0.1:6379/12")
PEPPER = "bench-pepper"  # as in production: every PIN hash is keyed
TOKEN = "bench-token"
PIN = "4821"
#: The hops of one session: (name, text Africa's Talking sends).
HOPS = (("dial", ""), ("menu", "1"), ("pin", f"1*{PIN}"), ("back", f"1*{PIN}*0"))


def gunicorn_options(workers: int, threads: int) -> list[str]:
    """The server settings both apps run with."""
    return [
        "--worker-class",
        "gthread",
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--backlog",
        "512",
    ]


def phone(n: int) -> str:
    return f"+25078{8000000 + n:07d}"


def hop_form(session_id: str, number: str, typed: str) -> dict[str, str]:
    """One hop as Africa's Talking posts it."""
    return {
        "sessionId": session_id,
        "serviceCode": "*384*1234#",
        "phoneNumber": number,
        "networkCode": "63510",
        "text": typed,
    }


def create_database() -> str:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    name = f"ikimina_bench_{uuid.uuid4().hex[:8]}"
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    admin.dispose()
    return make_url(PG_ADMIN_URL).set(database=name).render_as_string(hide_password=False)


def drop_database(url: str) -> None:
    admin = create_engine(PG_ADMIN_URL, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'DROP DATABASE IF EXISTS "{make_url(url).database}" WITH (FORCE)'))
    admin.dispose()


def seed(url: str, members: int) -> None:
    """Members of VSLAs, each with a PIN and a ledger (shares, social fund, a loan)."""
    sys.path.insert(0, str(ROOT / "tests"))
    from support import factories as make

    from ikimina import db as schema
    from models import LedgerKind
    from models.pins import HASHER, keyed
    from runtime.database import Database

    schema.upgrade(url)
    pin_hash = HASHER.hash(keyed(PIN, PEPPER))
    today = date.today()
    database = Database(url)
    with database.session() as s:
        groups = [make.vsla(s, f"VSLA {n}") for n in range(20)]
        for n in range(members):
            member = make.person(s, phone(n), f"Member {n}", vsla=groups[n % len(groups)])
            member.pin_hash = pin_hash
            make.ledger(s, member, LedgerKind.SHARES, 15000, today)
            make.ledger(s, member, LedgerKind.SOCIAL_FUND, 2000, today)
            make.ledger(s, member, LedgerKind.LOAN, 10000, today, due=today + timedelta(days=30))
            make.ledger(s, member, LedgerKind.REPAYMENT, 4000, today)
    database.dispose()


def start_gunicorn(
    app: str, port: int, env: dict[str, str], options: list[str]
) -> subprocess.Popen[bytes]:
    args = [sys.executable, "-m", "gunicorn", app, "--bind", f"127.0.0.1:{port}", *options]
    proc = subprocess.Popen(args, cwd=ROOT, env={**os.environ, **env})
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            asyncio.run(_post("127.0.0.1", port, {"sessionId": "up", "phoneNumber": phone(0)}))
            return proc
        except OSError:
            time.sleep(0.2)
    proc.kill()
    raise SystemExit(f"gunicorn did not start on port {port}")


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()


async def _post(host: str, port: int, form: dict[str, str]) -> str:
    reader, writer = await asyncio.open_connection(host, port)
    try:
        return await _request(reader, writer, form)
    finally:
        writer.close()


async def _request(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, form: dict[str, str]
) -> str:
    body = urlencode(form).encode()
    writer.write(
        b"POST /ussd?token=" + TOKEN.encode() + b" HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        b"Content-Type: application/x-www-form-urlencoded\r\n"
        b"Content-Length: " + str(len(body)).encode() + b"\r\n\r\n" + body
    )
    await writer.drain()
    head = await reader.readuntil(b"\r\n\r\n")
    status = head.split(b" ", 2)[1]
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    answer = (await reader.readexactly(length)).decode()
    if status != b"200":
        raise RuntimeError(f"HTTP {status!r}: {answer[:80]}")
    return answer


#: On the balance screen after the right PIN: the seed's shares, as every language shows them.
BALANCE = "15,000 Frw"


async def drive(
    port: int,
    sessions: int,
    seconds: float,
    max_requests: int,
    members: int,
    think_s: float,
    check: bool = True,
):
    """Run `sessions` concurrent sessions until the time or request limit; latencies by hop."""
    latencies: dict[str, list[float]] = defaultdict(list)
    errors: list[str] = []
    done = 0
    stop_at = time.monotonic() + seconds

    async def caller(n: int) -> None:
        nonlocal done
        await asyncio.sleep(random.uniform(0, think_s))  # people do not all dial at once
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
        k = n
        try:
            while time.monotonic() < stop_at and done < max_requests:
                session_id, number = uuid.uuid4().hex, phone(k % members)
                k += sessions
                for name, typed in HOPS:
                    form = hop_form(session_id, number, typed)
                    started = time.perf_counter()
                    answer = await _request(reader, writer, form)
                    latencies[name].append((time.perf_counter() - started) * 1000)
                    done += 1
                    if not answer.startswith(("CON ", "END ")):
                        errors.append(answer[:80])
                    elif check and name == "pin" and BALANCE not in answer:
                        errors.append(f"the right PIN did not reach the balances: {answer!r}")
                    if think_s:  # the person reads and types, each at their own pace
                        await asyncio.sleep(random.uniform(0.5, 1.5) * think_s)
        finally:
            writer.close()

    began = time.monotonic()
    await asyncio.gather(*(caller(n) for n in range(sessions)))
    return latencies, done / (time.monotonic() - began), errors


def p(values: list[float], q: float) -> float:
    return statistics.quantiles(values, n=100, method="inclusive")[q - 1] if values else 0.0


def report(title: str, latencies: dict[str, list[float]], rate: float) -> None:
    print(f"\n{title}: {rate:,.0f} hops/s")
    print(f"  {'hop':<6} {'count':>7} {'p50 ms':>8} {'p99 ms':>8}")
    for name, _typed in (*HOPS, ("all", None)):
        values = [v for vs in latencies.values() for v in vs] if name == "all" else latencies[name]
        print(f"  {name:<6} {len(values):>7} {p(values, 50):>8.1f} {p(values, 99):>8.1f}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--sessions", type=int, default=50, help="concurrent sessions")
    parser.add_argument("--seconds", type=float, default=20.0, help="time limit per server")
    parser.add_argument("--max-requests", type=int, default=200_000)
    parser.add_argument("--members", type=int, default=2000)
    parser.add_argument("--port", type=int, default=8710)
    parser.add_argument("--workers", type=int, default=2, help="gunicorn processes")
    parser.add_argument("--threads", type=int, default=4, help="gunicorn threads per process")
    parser.add_argument(
        "--think-ms",
        type=float,
        default=500.0,
        help="mean pause after each screen, 0.5-1.5 times it (0: flat out)",
    )
    parser.add_argument(
        "--skip-bare", action="store_true", help="run ikimina only (no bare app, no ratio)"
    )
    args = parser.parse_args()

    from redis import Redis

    Redis.from_url(REDIS_URL).flushdb()
    url = create_database()
    try:
        print(f"seeding {args.members} members ...", flush=True)
        seed(url, args.members)
        env = {
            "DATABASE_URL": url,
            "REDIS_URL": REDIS_URL,
            "CALLBACK_TOKEN": TOKEN,
            "PIN_PEPPER": PEPPER,
            "SECRET_KEY": "bench-secret-key",
        }
        results = {}
        options = gunicorn_options(args.workers, args.threads)
        servers = [("ikimina", "ikimina.wsgi:app", args.port)]
        if not args.skip_bare:
            servers.append(("bare END ok", "bench.bare_app:app", args.port + 1))
        for title, app, port in servers:
            server = start_gunicorn(app, port, env, options)
            try:
                warm = drive(port, args.sessions, 2.0, 10_000, args.members, 0.0)
                asyncio.run(warm)
                latencies, rate, errors = asyncio.run(
                    drive(
                        port,
                        args.sessions,
                        args.seconds,
                        args.max_requests,
                        args.members,
                        args.think_ms / 1000,
                        check=title == "ikimina",
                    )
                )
            finally:
                stop(server)
            # the work was done before any figure is printed: every answer a screen, every
            # PIN hop on the balances (the right PIN accepted)
            if errors:
                raise SystemExit(f"{title}: {len(errors)} bad answers, e.g. {errors[0]!r}")
            results[title] = (latencies, rate)
            report(title, latencies, rate)
        mine, rate = results["ikimina"]
        every = [v for vs in mine.values() for v in vs]
        if not args.skip_bare:
            bare_rate = results["bare END ok"][1]
            print(f"\nratio ikimina/bare throughput: {rate / bare_rate:.2f} (target >= 0.25)")
        print(f"ikimina p99 per hop: {p(every, 99):.1f} ms")
        print(
            f"gunicorn {' '.join(options)}; {args.sessions} concurrent sessions, "
            f"think time {args.think_ms:g} ms"
        )
    finally:
        drop_database(url)
        Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
