"""`ikimina demo`, `ikimina serve` and `ikimina worker`: running the service."""

from __future__ import annotations

import os
import sys

import click

from ikimina import db as schema
from ikimina.cli import demo_secrets
from ikimina.logs import install as install_log_masking
from runtime.settings import WEB_SECRETS, WORKER_SECRETS, MissingSecret, Settings

DEMO_DATABASE = "sqlite:///ikimina-demo.db"


def demo_settings(database_url: str) -> Settings:
    """The demo's settings: SQLite, in-process jobs, the local gateway, and its own secrets,
    made once and kept next to its database (`.ikimina-demo-secrets.json`, owner-only)."""
    secrets = demo_secrets.load(database_url)
    env = Settings.from_env()
    return Settings.from_env(
        database_url=database_url,
        redis_url="",
        sms_gateway="local",
        local_delivery_reports=True,
        callback_token="",
        secure_cookies=False,  # the demo is served over plain HTTP
        secret_key=env.secret_key or secrets["secret_key"],
        pin_pepper=env.pin_pepper or secrets["pin_pepper"],
    )


def _require(settings: Settings, names: tuple[str, ...]) -> None:
    try:
        settings.require(*names)
    except MissingSecret as missing:
        raise click.ClickException(str(missing)) from None


@click.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=5000, show_default=True)
@click.option("--database-url", default=DEMO_DATABASE, show_default=True)
def demo(host: str, port: int, database_url: str) -> None:
    """Try ikimina with demo data: SQLite, in-process jobs, local SMS gateway. No servers needed."""
    from ikimina.app import create_app
    from ikimina.demo import how_to_try
    from runtime.context import Context
    from spreadsheets.demo_data import seed_if_empty
    from worker.schedule import InProcessClock

    settings = demo_settings(database_url)
    schema.upgrade(settings.database_url)
    context = Context.build(settings)
    seeded = seed_if_empty(context)
    app = create_app(context=context)
    InProcessClock(context.runner).start()
    click.echo(how_to_try(context, f"http://{host}:{port}", seeded))
    app.run(host=host, port=port, threaded=True, use_reloader=False)


@click.command()
@click.option("--bind", default="0.0.0.0:8000", show_default=True)
@click.option("--workers", default=2, show_default=True, help="Web processes.")
@click.option("--threads", default=4, show_default=True, help="Threads per process.")
def serve(bind: str, workers: int, threads: int) -> None:
    """Serve the web app with gunicorn (production; needs SECRET_KEY and PIN_PEPPER)."""
    _require(Settings.from_env(), WEB_SECRETS)
    args = [
        sys.executable,
        "-m",
        "gunicorn",
        "ikimina.wsgi:app",
        "--bind",
        bind,
        "--workers",
        str(workers),
        "--threads",
        str(threads),
        "--access-logfile",
        "-",
        "--config",
        "python:ikimina.gunicorn_conf",
    ]
    os.execvp(args[0], args)


@click.command()
@click.option("--burst", is_flag=True, help="Stop when the queues are empty.")
def worker(burst: bool) -> None:
    """Run the RQ worker with its scheduler, on the queues in priority order (needs REDIS_URL)."""
    from worker.process import run_worker

    settings = Settings.from_env()
    if not settings.uses_redis:
        raise click.ClickException(
            "REDIS_URL is not set. The worker needs Redis; without it, jobs run inside "
            "the web process (ikimina demo)."
        )
    _require(settings, WORKER_SECRETS)
    install_log_masking(settings)
    run_worker(settings, burst=burst)


@click.command()
def scheduler() -> None:
    """Run RQ's cron scheduler for ikimina's periodic jobs (needs REDIS_URL).

    Safe to run twice: periodic jobs never send the same SMS twice."""
    from worker.schedule import run_cron_scheduler

    settings = Settings.from_env()
    if not settings.uses_redis:
        raise click.ClickException("REDIS_URL is not set. The scheduler needs Redis.")
    install_log_masking(settings)
    run_cron_scheduler(settings.redis_url)


def register(main: click.Group) -> None:
    for command in (demo, serve, worker, scheduler):
        main.add_command(command)
