"""What one USSD hop costs, in process: SQL statements, Redis round trips, CPU and wall time.

    .venv/bin/python bench/ussd_hop_cost.py [--rounds 200] [--profile pin]

It creates a PostgreSQL database (dropped at the end), seeds members as the load benchmark
does, uses Redis DB 12, and plays the load benchmark's session (dial, menu, PIN, back) through
Flask's test client, closing each response as a WSGI server does (so the analytics hand-off is
counted). For each hop it prints the SQL statements, the Redis commands and round trips, and
the mean CPU and wall time. `--profile HOP` prints cProfile's top functions for that hop.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import sys
import time
import uuid
from collections import Counter
from contextlib import contextmanager
from pathlib import Path

from sqlalchemy import event

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from bench.ussd_load import (  # noqa: E402 - after the path is set
    HOPS,
    PEPPER,
    REDIS_URL,
    TOKEN,
    create_database,
    drop_database,
    hop_form,
    phone,
    seed,
)


class Tally:
    """SQL statements and Redis commands / round trips seen while `counting`."""

    def __init__(self) -> None:
        self.on = False
        self.counts: Counter[str] = Counter()

    def add(self, what: str, n: int = 1) -> None:
        if self.on:
            self.counts[what] += n

    @contextmanager
    def counting(self):  # type: ignore[no-untyped-def]
        self.counts.clear()
        self.on = True
        try:
            yield self.counts
        finally:
            self.on = False


def watch(tally: Tally, engine) -> None:  # type: ignore[no-untyped-def]
    """Count SQL statements on `engine` and Redis traffic in this process."""
    from redis.client import Pipeline, Redis
    from redis.connection import Connection

    @event.listens_for(engine, "before_cursor_execute")
    def _sql(conn, cursor, statement, params, context, executemany):  # type: ignore[no-untyped-def]
        tally.add("sql")

    @event.listens_for(engine, "commit")
    def _commit(conn):  # type: ignore[no-untyped-def]
        tally.add("commits")

    @event.listens_for(engine, "rollback")
    def _rollback(conn):  # type: ignore[no-untyped-def]
        tally.add("rollbacks")

    ping = engine.dialect.do_ping

    def do_ping(dbapi_connection):  # type: ignore[no-untyped-def]
        tally.add("pings")
        return ping(dbapi_connection)

    engine.dialect.do_ping = do_ping

    single, piped, sent = Redis.execute_command, Pipeline.execute, Connection.send_packed_command

    def execute_command(self, *args, **options):  # type: ignore[no-untyped-def]
        if not isinstance(self, Pipeline):
            tally.add("redis commands")
        return single(self, *args, **options)

    def execute(self, *args, **options):  # type: ignore[no-untyped-def]
        tally.add("redis commands", len(self.command_stack))
        return piped(self, *args, **options)

    def send_packed_command(self, *args, **options):  # type: ignore[no-untyped-def]
        tally.add("redis round trips")
        return sent(self, *args, **options)

    Redis.execute_command = execute_command  # type: ignore[method-assign]
    Pipeline.execute = execute  # type: ignore[method-assign]
    Connection.send_packed_command = send_packed_command  # type: ignore[method-assign]


#: On the balance screen after the right PIN (the seed's shares, in Kinyarwanda).
BALANCE = ""


def play(client, number: str, tally: Tally, costs: dict, profiles: dict) -> None:  # type: ignore[no-untyped-def]
    """One session of the load benchmark, hop by hop, adding each hop's cost to `costs`."""
    session_id = uuid.uuid4().hex
    for name, typed in HOPS:
        form = hop_form(session_id, number, typed)
        profile = profiles.get(name)
        with tally.counting() as counts:
            cpu, wall = time.process_time(), time.perf_counter()
            if profile:
                profile.enable()
            response = client.post(f"/ussd?token={TOKEN}", data=form)
            response.close()  # as a WSGI server does: runs the after-send hand-off
            if profile:
                profile.disable()
            cpu, wall = time.process_time() - cpu, time.perf_counter() - wall
        assert response.status_code == 200, response.status_code
        body = response.get_data(as_text=True)
        assert body.startswith(("CON ", "END ")) and "Sorry" not in body, body
        if name == "pin":  # the right PIN: the balances, never "wrong PIN" or a lock
            assert BALANCE in body, f"the PIN hop did not reach the balances: {body!r}"
        cost = costs.setdefault(name, Counter())
        cost.update(counts)
        cost.update({"cpu": cpu, "wall": wall, "hops": 1})


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--rounds", type=int, default=200, help="sessions to play")
    parser.add_argument("--members", type=int, default=200)
    parser.add_argument("--profile", choices=[name for name, _ in HOPS], action="append")
    args = parser.parse_args()

    from redis import Redis

    from ikimina.app import create_app
    from locales.formatting import format_money
    from runtime.settings import Settings

    global BALANCE
    BALANCE = format_money(15000, "rw")

    Redis.from_url(REDIS_URL).flushdb()
    url = create_database()
    try:
        seed(url, args.members)
        settings = Settings.from_env(
            {}, database_url=url, redis_url=REDIS_URL, callback_token=TOKEN, pin_pepper=PEPPER
        )
        app = create_app(settings)
        tally = Tally()
        watch(tally, app.extensions["ikimina"].db.engine)
        client = app.test_client()
        for n in range(20):  # warm up: imports, catalogues, pools
            play(client, phone(n % args.members), Tally(), {}, {})
        costs: dict[str, Counter] = {}
        profiles = {name: cProfile.Profile() for name in args.profile or ()}
        for n in range(args.rounds):
            play(client, phone(n % args.members), tally, costs, profiles)
        print(f"{args.rounds} sessions, every PIN hop reached the balances; per hop (mean):")
        print(f"  {'hop':<6} {'SQL':>5} {'SQL trips':>9} {'Redis cmds':>11} "
              f"{'Redis trips':>11} {'CPU ms':>8} {'wall ms':>8}")
        for name, cost in costs.items():
            n = cost["hops"]
            trips = sum(cost[k] for k in ("sql", "commits", "rollbacks", "pings"))
            print(
                f"  {name:<6} {cost['sql'] / n:>5.1f} {trips / n:>9.1f} "
                f"{cost['redis commands'] / n:>11.1f} "
                f"{cost['redis round trips'] / n:>11.1f} {cost['cpu'] / n * 1000:>8.2f} "
                f"{cost['wall'] / n * 1000:>8.2f}"
            )
        for name, profile in profiles.items():
            print(f"\n--- {name}: top functions by cumulative time ---")
            pstats.Stats(profile).sort_stats("cumulative").print_stats(35)
        app.extensions["ikimina"].db.dispose()
    finally:
        drop_database(url)
        Redis.from_url(REDIS_URL).flushdb()


if __name__ == "__main__":
    main()
