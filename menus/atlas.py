"""The screen atlas: walk every screen a phone reaches, with the keys that lead there, and list
every SMS text of the catalogues filled with long names (`ikimina screens`, the console page).

The walk answers hops through the engine as Africa's Talking sends them, from the dial, taking
every numbered choice and 98 a few keys deep. Choices that change data (Confirm, a language,
"send me this by SMS") and free input (a PIN, a name) are not taken, so walking writes nothing.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from dataclasses import dataclass

from babel.messages.pofile import read_po

from locales import LOCALES_DIR, translate
from locales.examples import example
from menus.engine import Engine, Hop

NOT_TAKEN = ("Confirm", "Send me this by SMS", "Kinyarwanda", "English", "Francais")
SMS_DOMAINS = ("sms", "services")
DEPTH = 3


@dataclass(frozen=True)
class Entry:
    who: str
    keys: str  # e.g. "*384*1234# 1 98"; empty for an SMS
    text: str


def walk(engine: Engine, phone: str, who: str, lang: str, depth: int = DEPTH) -> Iterator[Entry]:
    """Every screen `phone` reaches, once each, with its key path."""
    code = engine.settings.ussd_service_code
    skip = {translate(lang, label) for label in NOT_TAKEN} | set(NOT_TAKEN)
    seen: set[str] = set()
    todo: list[tuple[str, ...]] = [()]
    while todo:
        path = todo.pop(0)
        screen = _dial(engine, phone, path)
        if screen in seen:
            continue
        seen.add(screen)
        yield Entry(who, " ".join([code, *path]), screen)
        if screen.startswith("END ") or len(path) >= depth:
            continue
        for line in screen.removeprefix("CON ").split("\n"):
            found = re.match(r"(\d+)\. (.*)", line)
            if found and found.group(1) not in ("0", "00", "98") and found.group(2) not in skip:
                todo.append((*path, found.group(1)))
        if "\n98. " in screen:
            todo.append((*path, "98"))


def _dial(engine: Engine, phone: str, path: tuple[str, ...]) -> str:
    session, screen = f"atlas-{uuid.uuid4().hex}", ""
    for n in range(len(path) + 1):
        screen = engine.answer(Hop(session, phone, "*".join(path[:n]))).body
    if screen.startswith("CON "):  # home before hanging up: the next dial is not a resume
        engine.answer(Hop(session, phone, "*".join([*path, "00"])))
    return screen


def sms_texts(lang: str) -> Iterator[Entry]:
    """Every SMS text of the catalogues in `lang`, filled with long names."""
    for domain in SMS_DOMAINS:
        with open(LOCALES_DIR / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as fh:
            for message in read_po(fh, locale=lang):
                if message.id and message.string:
                    yield Entry(f"SMS ({domain})", "", example(str(message.string)))


def render(entries: Iterator[Entry]) -> str:
    """The atlas as plain text."""
    out = []
    for entry in entries:
        keys = f": {entry.keys}" if entry.keys else ""
        out.append(f"== {entry.who}{keys} ({len(entry.text)} characters)\n{entry.text}\n")
    return "\n".join(out)
