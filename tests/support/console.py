"""Helpers the console's tests share: staff accounts and signing in as a browser would."""

from __future__ import annotations

import re

from flask.testing import FlaskClient

from models import Language, StaffAccount, StaffRole
from runtime.context import Context

PASSWORD = "correct horse battery"
TOKEN = re.compile(r'name="csrf_token" value="([^"]+)"')


def add_staff(
    context: Context,
    username: str = "aline",
    *,
    admin: bool = False,
    language: Language = Language.EN,
    password: str = PASSWORD,
) -> int:
    """A staff account written straight through the model (the CLI has its own tests)."""
    with context.db.session() as session:
        account = StaffAccount(
            username=username,
            role=StaffRole.ADMIN if admin else StaffRole.STAFF,
            language=language,
        )
        account.set_password(password)
        session.add(account)
        session.flush()
        return account.id


def csrf_token(client: FlaskClient, path: str = "/console/login") -> str:
    """The CSRF token of the form on `path`, read from the page like a browser would."""
    found = TOKEN.search(client.get(path).get_data(as_text=True))
    assert found, f"no CSRF token on {path}"
    return found.group(1)


def sign_in(client: FlaskClient, username: str = "aline", password: str = PASSWORD):  # type: ignore[no-untyped-def]
    return client.post(
        "/console/login",
        data={"username": username, "password": password, "csrf_token": csrf_token(client)},
        headers={"Accept-Language": "en"},
    )


def post(client: FlaskClient, path: str, data: dict[str, str], page: str = "/console/"):  # type: ignore[no-untyped-def]
    """A form POST carrying the token from `page`, as the browser sends it."""
    return client.post(path, data={**data, "csrf_token": csrf_token(client, page)})
