"""The demo's own secrets (SECRET_KEY, PIN_PEPPER), made once and kept next to its database in
`.ikimina-demo-secrets.json` (owner-only), so the demo server and the CLI on its database agree."""

from __future__ import annotations

import json
import os
from pathlib import Path
from secrets import token_hex

from sqlalchemy.engine import make_url

FILE = ".ikimina-demo-secrets.json"


def load(database_url: str, create: bool = True) -> dict[str, str]:
    """The secrets kept beside `database_url`'s SQLite file; made now when missing and `create`."""
    database = make_url(database_url).database or ""
    folder = Path(database).resolve().parent if database else Path.cwd()
    path = folder / FILE
    try:
        return dict(json.loads(path.read_text()))
    except (OSError, ValueError):
        if not create:
            return {}
    made = {"secret_key": token_hex(32), "pin_pepper": token_hex(32)}
    fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, 0o600)
    with os.fdopen(fd, "w") as out:
        json.dump(made, out)
    return made
