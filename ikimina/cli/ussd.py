"""`ikimina unlock-pin` (staff lift a PIN lock) and `ikimina dial` (a terminal phone)."""

from __future__ import annotations

import uuid
from collections.abc import Callable

import click

from ikimina.cli.common import context, fail
from models import normalize_phone
from models.phones import BadPhone
from services.people import unlock_pin as unlock
from services.phones import people_on_phone


@click.command("unlock-pin")
@click.argument("phone")
@click.option("--name", default="", help="On a phone several people share: whose PIN.")
def unlock_pin(phone: str, name: str) -> None:
    """Lift the PIN lock of the person with PHONE (their PIN is kept)."""
    try:
        number = normalize_phone(phone)
    except BadPhone as exc:
        fail(str(exc))
    with context().db.session() as db:
        people = people_on_phone(db, number)
        wanted = name.strip().casefold()
        if len(people) > 1:
            people = [p for p in people if wanted in (p.name.casefold(), p.first_name.casefold())]
            if len(people) != 1:
                names = ", ".join(p.name for p in people_on_phone(db, number))
                fail(f"{number} is shared by {names}: say whose PIN with --name NAME")
        if not people:
            fail(f"nobody has the phone number {number}")
        person = people[0]
        unlock(person)
    click.echo(f"PIN unlocked for {person.name} ({number}).")


@click.command("dial")
@click.argument("phone")
@click.option("--url", default="", help="A running server, e.g. http://127.0.0.1:5000.")
@click.option("--token", envvar="CALLBACK_TOKEN", default="", help="The callback token.")
@click.option("--service-code", default="*384*1234#", show_default=True)
def dial(phone: str, url: str, token: str, service_code: str) -> None:
    """Play a USSD session as PHONE, screen by screen, as Africa's Talking would.

    Without --url the app runs in this process (DATABASE_URL, REDIS_URL as configured).
    Type a choice and Enter; an empty line or Ctrl-D hangs up.
    """
    post = _remote(url, token) if url else _local()
    session_id, inputs = f"dial-{uuid.uuid4().hex[:12]}", []
    while True:
        form = {
            "sessionId": session_id,
            "serviceCode": service_code,
            "phoneNumber": phone,
            "networkCode": "99999",
            "text": "*".join(inputs),
        }
        screen = post(form)
        click.echo("-" * 24)
        click.echo(screen)
        click.echo("-" * 24)
        if not screen.startswith("CON "):
            return
        answer = click.prompt(">", default="", show_default=False, prompt_suffix=" ")
        if not answer.strip():
            click.echo("(hung up)")
            return
        inputs.append(answer.strip())


def _remote(url: str, token: str) -> Callable[[dict[str, str]], str]:
    import requests

    endpoint = url.rstrip("/") + "/ussd"

    def post(form: dict[str, str]) -> str:
        response = requests.post(endpoint, data=form, params={"token": token}, timeout=15)
        if response.status_code != 200:
            return f"(HTTP {response.status_code})"
        return response.text

    return post


def _local() -> Callable[[dict[str, str]], str]:
    from ikimina.app import create_app

    ctx = context()
    client = create_app(context=ctx).test_client()
    query = {"token": ctx.settings.callback_token}

    def post(form: dict[str, str]) -> str:
        response = client.post("/ussd", data=form, query_string=query)
        response.close()  # as a WSGI server does: stores the hop's analytics
        return response.get_data(as_text=True)

    return post


def register(main: click.Group) -> None:
    for command in (unlock_pin, dial):
        main.add_command(command)
