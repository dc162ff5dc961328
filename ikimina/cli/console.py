"""`ikimina create-staff`: accounts for the web console."""

from __future__ import annotations

import re
import sys

import click
from sqlalchemy import func, select

from ikimina.cli.common import context, fail
from models import Language, Person, StaffAccount, StaffRole, try_normalize_phone

MIN_PASSWORD = 10
USERNAME = re.compile(r"[a-z0-9][a-z0-9._-]{0,59}")


@click.command("create-staff")
@click.argument("username")
@click.option("--admin", is_flag=True, help="May also manage staff accounts.")
@click.option(
    "--password-stdin", is_flag=True, help="Read the password from the first line of stdin."
)
@click.option(
    "--language",
    type=click.Choice([lang.value for lang in Language]),
    default=None,
    help="The console's language for this account (default: DEFAULT_LANGUAGE).",
)
@click.option("--phone", default=None, help="Link the account to the person with this phone.")
def create_staff(
    username: str, admin: bool, password_stdin: bool, language: str | None, phone: str | None
) -> None:
    """Create a console account USERNAME (asks for the password twice unless --password-stdin)."""
    username = username.strip().lower()
    if not USERNAME.fullmatch(username):
        fail("The username may use letters, digits, dot, dash and underscore (at most 60).")
    if password_stdin:
        password = sys.stdin.readline().rstrip("\r\n")
    else:
        password = click.prompt("Password", hide_input=True, confirmation_prompt=True)
    if len(password) < MIN_PASSWORD:
        fail(f"The password must have at least {MIN_PASSWORD} characters.")
    ctx = context()
    with ctx.db.session() as session:
        taken = session.scalar(
            select(StaffAccount.id).where(func.lower(StaffAccount.username) == username)
        )
        if taken is not None:
            fail(f"There is already a staff account {username!r}.")
        person = None
        if phone is not None:
            normalized = try_normalize_phone(phone)
            person = normalized and session.scalar(select(Person).where(Person.phone == normalized))
            if person is None:
                fail(f"No person with the phone number {phone!r}.")
        account = StaffAccount(
            username=username,
            role=StaffRole.ADMIN if admin else StaffRole.STAFF,
            language=Language(language or ctx.settings.default_language),
            person=person,
        )
        account.set_password(password)
        session.add(account)
    role = "admin" if admin else "staff"
    click.echo(f"Created {role} account {username!r}: sign in at /console/login")


def register(main: click.Group) -> None:
    main.add_command(create_staff)
