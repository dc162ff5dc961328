"""The screen atlas: every USSD screen and SMS text, rendered with demo data, with its key path.

The screens are reached as a caller reaches them: a throwaway SQLite database gets the demo
data, the app answers hops as Africa's Talking sends them, and each demo phone walks every
choice (and 98) from the dial, a few keys deep. Choices that change data (Confirm, a language,
"send me this by SMS") are not taken. SMS texts are the catalogue's, filled with long names.
"""

from __future__ import annotations

import re
import tempfile
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from babel.messages.pofile import read_po

from ikimina import db as schema
from ikimina.app import create_app
from ikimina.translations import example
from locales import LOCALES_DIR, translate
from models import Language, Person
from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings

#: Demo phones (spreadsheets.demo_data) and who they are.
CALLERS = (
    ("+250788100001", "member"),
    ("+250788100002", "leader"),
    ("+250788100010", "trainer"),
    ("+250788999990", "new caller"),
)
NOT_TAKEN = ("Confirm", "Send me this by SMS", "Kinyarwanda", "English", "Francais")
SMS_DOMAINS = ("sms", "services")
DEPTH = 3


@dataclass(frozen=True)
class Entry:
    who: str
    keys: str  # e.g. "*384*1234# 1 98"
    text: str


def screens(settings: Settings, lang: str) -> Iterator[Entry]:
    """Every screen the demo phones reach in `lang`, with the keys that lead there."""
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'atlas.db'}"
        local = settings.with_(database_url=url, redis_url="", sms_gateway="local")
        context = Context.build(local, runner=InProcessRunner(eager=True))
        try:
            schema.upgrade(url)
            from spreadsheets.demo_data import seed_demo

            seed_demo(context)
            with context.db.session() as s:
                for person in s.query(Person):
                    person.language = Language(lang)
            client = create_app(context=context).test_client()
            for phone, who in CALLERS:
                yield from _walk(client, local, phone, who, lang)
        finally:
            context.db.dispose()


def _walk(client, settings: Settings, phone: str, who: str, lang: str) -> Iterator[Entry]:  # type: ignore[no-untyped-def]
    skip = {translate(lang, label) for label in NOT_TAKEN} | set(NOT_TAKEN)
    seen: set[str] = set()
    todo: list[tuple[str, ...]] = [()]
    while todo:
        path = todo.pop(0)
        screen = _dial(client, settings, phone, path)
        if screen in seen:
            continue
        seen.add(screen)
        yield Entry(who, " ".join([settings.ussd_service_code, *path]), screen)
        if screen.startswith("END ") or len(path) >= DEPTH:
            continue
        for line in screen.removeprefix("CON ").split("\n"):
            found = re.match(r"(\d+)\. (.*)", line)
            if found and found.group(1) not in ("0", "00", "98") and found.group(2) not in skip:
                todo.append((*path, found.group(1)))
        if "\n98. " in screen:
            todo.append((*path, "98"))


def _dial(client, settings: Settings, phone: str, path: tuple[str, ...]) -> str:  # type: ignore[no-untyped-def]
    session, screen = f"atlas-{uuid.uuid4().hex}", ""
    for n in range(len(path) + 1):
        screen = _post(client, settings, session, phone, "*".join(path[:n]))
    if screen.startswith("CON "):  # home before hanging up: the next dial is not a resume
        _post(client, settings, session, phone, "*".join([*path, "00"]))
    return screen


def _post(client, settings: Settings, session: str, phone: str, text: str) -> str:  # type: ignore[no-untyped-def]
    response = client.post(
        "/ussd",
        query_string={"token": settings.callback_token},
        data={"sessionId": session, "serviceCode": settings.ussd_service_code,
              "phoneNumber": phone, "networkCode": "63510", "text": text},
    )
    response.close()
    return response.get_data(as_text=True)


def sms_texts(lang: str) -> Iterator[Entry]:
    """Every SMS text of the catalogues in `lang`, filled with long names."""
    for domain in SMS_DOMAINS:
        with open(LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string:
                    yield Entry(f"SMS ({domain})", "", example(str(message.string)))


def render(settings: Settings, lang: str) -> str:
    """The atlas as plain text."""
    out = []
    for entry in screens(settings, lang):
        out.append(f"== {entry.who}: {entry.keys} ({len(entry.text)} characters)\n{entry.text}\n")
    for entry in sms_texts(lang):
        out.append(f"== {entry.who} ({len(entry.text)} characters)\n{entry.text}\n")
    return "\n".join(out)
