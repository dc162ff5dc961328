"""`ikimina create-staff`: an operator makes console accounts from the command line."""

from __future__ import annotations

import pytest
from click.testing import CliRunner
from sqlalchemy import select
from support import factories as make
from support.console import sign_in

from ikimina.cli import main
from models import Language, StaffAccount, StaffRole
from worker.process import install


@pytest.fixture
def run(context, monkeypatch):  # type: ignore[no-untyped-def]
    """Run `ikimina ...` on the test database, then put the test's services back."""
    monkeypatch.setenv("DATABASE_URL", context.settings.database_url)
    monkeypatch.delenv("REDIS_URL", raising=False)

    def invoke(*args: str, input: str | None = None):  # type: ignore[no-untyped-def]
        result = CliRunner().invoke(main, list(args), input=input)
        install(context)
        return result

    return invoke


def _account(context, username: str) -> StaffAccount | None:  # type: ignore[no-untyped-def]
    with context.db.session() as session:
        return session.scalar(select(StaffAccount).where(StaffAccount.username == username))


def test_create_staff_from_stdin_then_sign_in(run, context, client) -> None:
    result = run("create-staff", "Aline", "--password-stdin", input="a long passphrase\n")
    assert result.exit_code == 0, result.output
    assert "Created staff account 'aline'" in result.output
    account = _account(context, "aline")
    assert account.role is StaffRole.STAFF and account.language is Language.RW
    assert "a long passphrase" not in account.password_hash
    assert sign_in(client, "aline", "a long passphrase").status_code == 302


def test_create_staff_asks_for_the_password_twice(run, context) -> None:
    result = run("create-staff", "boss", "--admin", "--language", "fr",
                 input="first passphrase\nother passphrase\nfirst passphrase\nfirst passphrase\n")
    assert result.exit_code == 0, result.output
    assert "do not match" in result.output
    account = _account(context, "boss")
    assert account.role is StaffRole.ADMIN and account.language is Language.FR


def test_create_staff_links_a_person_by_phone(run, context) -> None:
    with context.db.session() as session:
        make.person(session, "+250788100030", "Staff Person")
    result = run("create-staff", "eric", "--phone", "0788 100 030", "--password-stdin",
                 input="a long passphrase\n")
    assert result.exit_code == 0, result.output
    assert _account(context, "eric").person_id is not None
    unknown = run("create-staff", "yves", "--phone", "0788 999 999", "--password-stdin",
                  input="a long passphrase\n")
    assert unknown.exit_code == 1 and "No person with the phone number" in unknown.output


@pytest.mark.parametrize(
    ("username", "password", "error"),
    [
        ("aline", "short", "at least 10 characters"),
        ("not a name!", "a long passphrase", "The username may use"),
    ],
)
def test_create_staff_refuses_bad_input(run, context, username, password, error) -> None:
    result = run("create-staff", username, "--password-stdin", input=password + "\n")
    assert result.exit_code == 1
    assert error in result.output
    with context.db.session() as session:
        assert session.scalar(select(StaffAccount)) is None


def test_create_staff_refuses_a_username_taken(run) -> None:
    first = run("create-staff", "aline", "--password-stdin", input="a long passphrase\n")
    assert first.exit_code == 0
    again = run("create-staff", "ALINE", "--password-stdin", input="a long passphrase\n")
    assert again.exit_code == 1 and "already a staff account" in again.output
