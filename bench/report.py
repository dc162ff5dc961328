"""Every benchmark in order, on servers of its own, then the README's performance tables.

    bench/report [--quick]

Starts its own Redis (port 18950) and PostgreSQL (18951, initdb in a temporary folder, run as
`postgres`), runs: the in-process hop cost; the flat-out load (50 sessions) side by side with
the bare app; the paced load with 500 sessions; the flat-out load with 1, 2 and 4 web
processes; the broadcast to 5,000 and 100,000 people with two workers; the broadcast to 20,000
with 1, 2 and 4 workers. Each benchmark asserts its work was done before printing a figure; a
failed one stops the report. Raw outputs go to bench/results/report-<time>/; the tables are
printed at the end (markdown, for the README). `--quick` runs small sizes (a smoke test).
"""

from __future__ import annotations

import argparse
import glob
import os
import re
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
PY = sys.executable
REDIS_PORT, PG_PORT, STANDIN_PORT, WEB_PORT = 18950, 18951, 18952, 18960
#: The Procfile's web defaults (chosen with this report's scaling run).
WEB = {"workers": 2, "threads": 4}
BASELINE = ROOT / "bench" / "results" / "baseline-d3cd4eb-hop-cost.txt"


def wait_port(port: int, timeout: float = 30) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            socket.create_connection(("127.0.0.1", port), 1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise SystemExit(f"nothing answers on port {port}")


class Servers:
    """Redis and PostgreSQL for the report only, removed at the end."""

    def __init__(self) -> None:
        self.folder = Path(tempfile.mkdtemp(prefix="ikimina-report-"))
        self.folder.chmod(0o755)
        self.redis: subprocess.Popen[bytes] | None = None
        self.pg_data = self.folder / "pg"

    def _as_postgres(self, *args: str) -> None:
        prefix = ["runuser", "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run([*prefix, *args], check=True, stdout=subprocess.DEVNULL)

    def start(self) -> None:
        self.redis = subprocess.Popen(
            ["redis-server", "--port", str(REDIS_PORT), "--save", "", "--appendonly", "no"],
            stdout=subprocess.DEVNULL,
        )
        found = sorted(glob.glob("/usr/lib/postgresql/*/bin"))
        bindir = Path(found[-1]) if found else Path(shutil.which("pg_ctl") or "pg_ctl").parent
        self.pg_ctl = str(bindir / "pg_ctl")
        if os.geteuid() == 0:
            shutil.chown(self.folder, "postgres")
        self._as_postgres(
            str(bindir / "initdb"), "-D", str(self.pg_data), "-A", "trust", "-U", "postgres"
        )
        options = f"-p {PG_PORT} -k {self.folder} -c listen_addresses=127.0.0.1"
        options += " -c max_connections=200"
        self._as_postgres(
            self.pg_ctl, "-D", str(self.pg_data), "-l", str(self.folder / "pg.log"),
            "-o", options, "-w", "start",
        )  # fmt: skip
        wait_port(REDIS_PORT)

    def stop(self) -> None:
        if self.redis is not None:
            self.redis.terminate()
            self.redis.wait(10)
        if (self.pg_data / "postmaster.pid").exists():
            self._as_postgres(self.pg_ctl, "-D", str(self.pg_data), "-m", "fast", "-w", "stop")
        shutil.rmtree(self.folder, ignore_errors=True)


def run(out: Path, name: str, *args: str) -> str:
    """Run a benchmark script; keep and return its output (stop the report if it failed)."""
    started = time.monotonic()
    print(f"-- {name}: {' '.join(args)}", flush=True)
    done = subprocess.run(
        [PY, *args], cwd=ROOT, capture_output=True, text=True, env={**os.environ, **ENV}
    )
    text = done.stdout + ("\n" + done.stderr if done.returncode else "")
    (out / f"{name}.txt").write_text(text)
    if done.returncode:
        raise SystemExit(f"{name} failed:\n{text[-3000:]}")
    print(f"   {time.monotonic() - started:.0f} s", flush=True)
    return done.stdout


def hop_costs(text: str) -> dict[str, tuple[float, float]]:
    """hop -> (SQL statements, CPU ms) from bench/ussd_hop_cost.py's table."""
    found = {}
    for line in text.splitlines():
        parts = line.split()
        if len(parts) == 7 and parts[0] in ("dial", "menu", "pin", "back"):
            found[parts[0]] = (float(parts[1]), float(parts[5]))
    return found


def load_figures(text: str) -> dict[str, float]:
    """Throughput and p99 of ikimina (and the bare app) from bench/ussd_load.py."""
    figures: dict[str, float] = {}
    for title, key in (("ikimina", "ikimina"), ("bare END ok", "bare")):
        m = re.search(rf"^{re.escape(title)}: ([\d,]+) hops/s", text, re.M)
        if m:
            figures[f"{key}_rate"] = float(m.group(1).replace(",", ""))
            block = text[m.end() :]
            p99 = re.search(r"^\s+all\s+\d+\s+([\d.]+)\s+([\d.]+)", block, re.M)
            if p99:
                figures[f"{key}_p50"], figures[f"{key}_p99"] = map(float, p99.groups())
    return figures


def broadcast_figures(text: str) -> dict[str, float]:
    def number(pattern: str) -> float:
        m = re.search(pattern, text)
        assert m, f"no {pattern!r} in {text!r}"
        return float(m.group(1).replace(",", ""))

    return {
        "fan_out_s": number(r"fan-out: \d+ outbox rows in ([\d.]+) s"),
        "end_to_end_s": number(r"in ([\d.]+) s end to end"),
        "rate_e2e": number(r"messages per second: ([\d,]+) end to end"),
        "rate_sending": number(r"end to end, ([\d,]+) while sending"),
        "calls": number(r"API calls: (\d+)"),
        "memory": number(r"peak worker memory.*: (\d+) MiB"),
    }


ENV: dict[str, str] = {}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes: a smoke test")
    args = parser.parse_args()
    quick = args.quick
    seconds = "4" if quick else "15"
    big = 5000 if quick else 100_000
    scale_people = 2000 if quick else 20_000
    out = ROOT / "bench" / "results" / time.strftime("report-%Y%m%dT%H%M%S")
    out.mkdir(parents=True)
    servers = Servers()
    began = time.monotonic()
    try:
        servers.start()
        ENV.update(
            IKIMINA_BENCH_PG_URL=f"postgresql+psycopg://postgres@127.0.0.1:{PG_PORT}/postgres",
            IKIMINA_BENCH_REDIS_URL=f"redis://127.0.0.1:{REDIS_PORT}/0",
            IKIMINA_BENCH_STANDIN_PORT=str(STANDIN_PORT),
        )
        hops = hop_costs(run(out, "hop-cost", "bench/ussd_hop_cost.py", "--rounds", "200"))
        web = ["--workers", str(WEB["workers"]), "--threads", str(WEB["threads"])]
        load = ["bench/ussd_load.py", "--port", str(WEB_PORT)]
        flat = load_figures(
            run(out, "flat-out", *load, "--think-ms", "0", "--seconds", seconds, *web)
        )
        paced = load_figures(
            run(
                out, "paced-500", *load, "--sessions", "500", "--think-ms", "500",
                "--seconds", "10" if quick else "30", "--skip-bare", *web,
            )
        )  # fmt: skip
        scaling = {}
        for n in (1, 2, 4):
            scaling[n] = load_figures(
                run(
                    out, f"web-{n}", *load, "--think-ms", "0", "--seconds", seconds,
                    "--workers", str(n), "--threads", str(WEB["threads"]),
                )
            )  # fmt: skip
        broadcast = {}
        for people in (5000, big):
            broadcast[people] = broadcast_figures(
                run(out, f"broadcast-{people}", "bench/broadcast_bench.py",
                    "--people", str(people), "--workers", "2")
            )  # fmt: skip
        workers = {}
        for n in (1, 2, 4):
            workers[n] = broadcast_figures(
                run(out, f"broadcast-workers-{n}", "bench/broadcast_bench.py",
                    "--people", str(scale_people), "--workers", str(n))
            )  # fmt: skip
    finally:
        servers.stop()
    before = hop_costs(BASELINE.read_text()) if BASELINE.exists() else {}
    lines = [f"Report of {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, "
             f"{os.cpu_count()} cores, {time.monotonic() - began:.0f} s; raw outputs in "
             f"{out.relative_to(ROOT)}.", ""]  # fmt: skip
    lines += ["USSD hop in process (bench/ussd_hop_cost.py, 200 sessions, mean per hop):", ""]
    lines += ["| hop | SQL before | CPU ms before (d3cd4eb) | SQL now | CPU ms now |"]
    lines += ["|---|---|---|---|---|"]
    for hop, (sql, cpu) in hops.items():
        was = before.get(hop)
        old = f"{was[0]:.0f} | {was[1]:.2f}" if was else "- | -"
        lines.append(f"| {hop} | {old} | {sql:.0f} | {cpu:.2f} |")
    g = f"gunicorn gthread {WEB['workers']}x{WEB['threads']}"
    lines += ["", f"USSD under load (bench/ussd_load.py, {g}, same run):", ""]
    lines += ["| run | ikimina hops/s | bare hops/s | ratio | ikimina p50 ms | p99 ms |"]
    lines += ["|---|---|---|---|---|---|"]
    ratio = flat["ikimina_rate"] / flat["bare_rate"]
    lines.append(
        f"| flat out, 50 sessions | {flat['ikimina_rate']:,.0f} | {flat['bare_rate']:,.0f} | "
        f"{ratio:.2f} | {flat['ikimina_p50']:.1f} | {flat['ikimina_p99']:.1f} |"
    )
    lines.append(
        f"| paced, 500 sessions | {paced['ikimina_rate']:,.0f} | - | - | "
        f"{paced['ikimina_p50']:.1f} | {paced['ikimina_p99']:.1f} |"
    )
    lines += ["", "Web processes (flat out, 50 sessions, 4 threads each):", ""]
    lines += ["| processes | ikimina hops/s | factor | bare hops/s | ratio | p99 ms |"]
    lines += ["|---|---|---|---|---|---|"]
    for n, f in scaling.items():
        factor = f["ikimina_rate"] / scaling[1]["ikimina_rate"]
        lines.append(
            f"| {n} | {f['ikimina_rate']:,.0f} | {factor:.2f}"
            f" | {f['bare_rate']:,.0f} | {f['ikimina_rate'] / f['bare_rate']:.2f} | "
            f"{f['ikimina_p99']:.1f} |"
        )
    lines += ["", "Broadcasts (bench/broadcast_bench.py, 2 workers, SMS_RATE_PER_S=0):", ""]
    lines += ["| people | fan-out s | sent in s | msg/s end to end | msg/s sending | API calls "
              "| worker peak MiB |", "|---|---|---|---|---|---|---|"]  # fmt: skip
    for people, f in broadcast.items():
        lines.append(
            f"| {people:,} | {f['fan_out_s']:.1f} | {f['end_to_end_s']:.1f} | "
            f"{f['rate_e2e']:,.0f} | {f['rate_sending']:,.0f} | {f['calls']:.0f} | "
            f"{f['memory']:.0f} |"
        )
    lines += ["", f"Workers ({scale_people:,} people):", ""]
    lines += ["| workers | msg/s sending | factor | msg/s end to end | worker peak MiB |"]
    lines += ["|---|---|---|---|---|"]
    for n, f in workers.items():
        factor = f["rate_sending"] / workers[1]["rate_sending"]
        lines.append(
            f"| {n} | {f['rate_sending']:,.0f} | {factor:.2f}"
            f" | {f['rate_e2e']:,.0f} | {f['memory']:.0f} |"
        )
    text = "\n".join(lines)
    (out / "tables.md").write_text(text + "\n")
    print("\n" + text)


if __name__ == "__main__":
    main()
