"""Which database a command uses, and the one sentence an error becomes."""

from __future__ import annotations

import os
from collections.abc import MutableMapping
from pathlib import Path

import click
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, OperationalError, ProgrammingError

from ikimina.cli import demo_secrets

DEMO_FILE = "ikimina-demo.db"
DEMO_URL = f"sqlite:///{DEMO_FILE}"
DEFAULT_URL = "sqlite:///ikimina.db"


def resolve_database(environ: MutableMapping[str, str]) -> None:
    """Point DATABASE_URL at the demo's database (and SMS at its local gateway) when none is set
    and it exists; refuse, in one line, a SQLite file that does not exist (connecting would
    create an empty one)."""
    url = environ.get("DATABASE_URL", "")
    if not url:
        if Path(DEMO_FILE).exists():
            environ["DATABASE_URL"] = DEMO_URL
            # on the demo's data, SMS stay in the local gateway and are reported as the demo does
            environ.setdefault("SMS_GATEWAY", "local")
            environ.setdefault("LOCAL_DELIVERY_REPORTS", "true")
            # the demo server's PIN pepper, or PINs set in the simulator would not check here
            kept = demo_secrets.load(DEMO_URL, create=False)
            for name, key in (("PIN_PEPPER", "pin_pepper"), ("SECRET_KEY", "secret_key")):
                if kept.get(key):
                    environ.setdefault(name, kept[key])
            return
        if not Path("ikimina.db").exists():
            raise click.ClickException(
                "No database: set DATABASE_URL (e.g. postgresql+psycopg://user@host/db, "
                "then `ikimina db upgrade`), or run ./scripts/demo once in this folder "
                f"(the commands then use {DEMO_FILE})."
            )
        return
    try:
        parsed = make_url(url)
    except ArgumentError:
        raise click.ClickException(
            f"DATABASE_URL is not a database URL: {url!r} "
            "(e.g. sqlite:///ikimina.db or postgresql+psycopg://user@host/db)."
        ) from None
    path = parsed.database or ""
    if parsed.get_backend_name() == "sqlite" and path and path != ":memory:" \
            and not path.startswith("file:") and not Path(path).exists():
        raise click.ClickException(
            f"No database file {path}: create it with `ikimina db upgrade` "
            "(or fix DATABASE_URL)."
        )


def _where() -> str:
    url = os.environ.get("DATABASE_URL") or DEFAULT_URL
    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return "DATABASE_URL"


def one_sentence(exc: BaseException) -> str:
    """What went wrong, in one line a person can act on."""
    text = str(getattr(exc, "orig", None) or exc).strip().splitlines()
    first = text[0] if text else type(exc).__name__
    if isinstance(exc, (OperationalError, ProgrammingError)):
        lowered = first.lower()
        if "no such table" in lowered or ("relation" in lowered and "does not exist" in lowered):
            return (f"The database {_where()} has no tables yet: run `ikimina db upgrade` "
                    "(or `ikimina seed-demo` after it for demo data).")
        return f"Database {_where()}: {first} (run with --debug for the traceback)."
    name = type(exc).__module__.split(".")[0]
    if name == "redis":
        return (f"Redis ({os.environ.get('REDIS_URL', '')}): {first} "
                "(is it running? unset REDIS_URL to run jobs in process).")
    return f"{type(exc).__name__}: {first} (run with --debug for the traceback)."
