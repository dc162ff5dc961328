"""The keyword interpreter: one engine runs every SMS command declared in `sms.commands`.

A message reads `KEYWORD FIELD FIELD ...`. Case, accents, commas, extra spaces and a missing
space after the keyword (`ABST0042`) are forgiven. Each field has a kind that recognises its
words by their shape (a trainee code, a day, a language), so fields may come in any order.
Every way a message can be wrong has its own reply (a msgid in the `sms` catalogue) that shows
the right format with an example, in the sender's language.

On a phone several people share, a command that needs a person and that more than one of them
may send is answered with "who is sending?" and the first names, numbered; the number sent back
within `WHO_WINDOW` runs the recorded message as that person. STOP and START are the phone's
(`Command.per_phone`): opt-outs are checked per number when an SMS is sent.

Replies go through the outbox at high priority. Senders that cannot be people (short codes,
alphanumeric sender IDs) never get one, and a message ikimina does not understand gets at most
`sms_fallback_max` replies per sender per `sms_fallback_window_s`, none to a repeated text: an
auto-responder cannot start a reply loop.
"""

from __future__ import annotations

import logging
import re
import unicodedata
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import date, timedelta
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from locales import N_, language_or_default, translate
from locales.formatting import to_local
from models import (
    InboundSms,
    InboundStatus,
    OutboundSms,
    Person,
    Priority,
    Role,
    try_normalize_phone,
    utcnow,
)
from runtime.context import Context
from runtime.settings import Settings
from services.gsm7 import fit
from services.outbox import queue_sms
from services.phones import numbered_names, people_on_phone, phone_language

log = logging.getLogger(__name__)

# ---------------------------------------------------------------------------------------------
# Field kinds: how a word is recognised and read


class BadValue(ValueError):
    """A word that has the shape of a field but cannot be read (e.g. `31/02`)."""


@dataclass(frozen=True)
class Kind:
    """A field type: `looks` tells it by shape, `parse` reads it (raising BadValue)."""

    name: str
    looks: Callable[[str], bool]
    parse: Callable[[str, date], Any]
    raw: bool = False  # takes the rest of the message as typed (not split into words)


_CODE = re.compile(r"^[A-Z]*\d[A-Z0-9]*$")
_DAY = re.compile(r"^(\d{1,4})[/.-](\d{1,2})(?:[/.-](\d{2,4}))?$")
LANGUAGE_NAMES = {
    "RW": "rw",
    "KINYARWANDA": "rw",
    "IKINYARWANDA": "rw",
    "KINY": "rw",
    "EN": "en",
    "ENG": "en",
    "ENGLISH": "en",
    "ICYONGEREZA": "en",
    "ANGLAIS": "en",
    "FR": "fr",
    "FRANCAIS": "fr",
    "FRENCH": "fr",
    "IGIFARANSA": "fr",
}


def parse_day(word: str, today: date) -> date:
    """`25/11` (this year, or last year if that is well past today), `25/11/2026`, `25/11/26`
    or `2026-11-25`."""
    match = _DAY.match(word)
    if match is None:
        raise BadValue(word)
    first, second, third = match.groups()
    try:
        if len(first) == 4:  # ISO: year-month-day
            if third is None:
                raise BadValue(word)
            return date(int(first), int(second), int(third))
        if third is None:
            day = date(today.year, int(second), int(first))
            return day.replace(year=today.year - 1) if day > today + timedelta(days=60) else day
        year = int(third) + (2000 if len(third) == 2 else 0)
        return date(year, int(second), int(first))
    except ValueError as exc:
        raise BadValue(word) from exc


def parse_language(word: str, today: date) -> str:
    if word not in LANGUAGE_NAMES:
        raise BadValue(word)
    return LANGUAGE_NAMES[word]


CODE = Kind("code", lambda w: bool(_CODE.match(w)), lambda w, today: w)
DAY = Kind("day", lambda w: bool(_DAY.match(w)), parse_day)
LANGUAGE = Kind("language", lambda w: w.isalpha(), parse_language)
TEXT = Kind("text", lambda w: True, lambda w, today: w, raw=True)


# ---------------------------------------------------------------------------------------------
# Declarations


@dataclass(frozen=True)
class Field:
    """A positional field. `missing` and `invalid` are the replies (msgids) when it is absent
    or a word of its shape cannot be read; they may use `{word}`."""

    name: str
    kind: Kind
    many: bool = False
    required: bool = True
    missing: str = ""
    invalid: str = ""


@dataclass(frozen=True)
class Rule:
    """A condition on a parsed request, and the reply (msgid) when it fails."""

    name: str
    holds: Callable[[Request], bool]
    reply: str


@dataclass(frozen=True)
class Command:
    """One SMS command: keywords per language, fields, rules, who may send it, its handler.

    `summary` is the command's line in HELP (the format with an example); `roles` limits the
    command to people with one of them (`forbidden` is the reply to others). A handler returns
    the reply text (None: no reply).
    """

    name: str
    keywords: dict[str, tuple[str, ...]]
    handler: Callable[[Request], str | None]
    fields: tuple[Field, ...] = ()
    rules: tuple[Rule, ...] = ()
    roles: frozenset[Role] = frozenset()
    forbidden: str = ""
    summary: str = ""
    reply_unregistered: bool = True  # False: an unknown sender gets no reply (e.g. STOP)
    per_phone: bool = False  # acts for everyone on the phone: a shared phone is not asked who
    in_help: Callable[[Request], bool] | None = None  # whose HELP shows `summary` (None: all)

    def allows(self, person: Person) -> bool:
        return not self.roles or bool(self.roles & person.roles)

    def senders(self, people: list[Person]) -> list[Person]:
        """Who among the people of a phone may send this command."""
        return [p for p in people if self.allows(p)]


@dataclass
class Request:
    """What a handler works with: the message, its sender, their language and the fields."""

    session: Session
    inbound: InboundSms
    person: Person | None
    phone: str
    lang: str
    today: date
    settings: Settings
    interpreter: Interpreter
    values: dict[str, Any] = field(default_factory=dict)
    people: list[Person] = field(default_factory=list)  # everyone on the sender's phone

    def t(self, message: str, **values: object) -> str:
        """`message` in the sender's language."""
        return translate(self.lang, message, **values)

    @property
    def sender(self) -> Person:
        """The registered sender (commands that reach a handler always have one)."""
        assert self.person is not None
        return self.person


@dataclass(frozen=True)
class Handled:
    """What became of a message: the command's name (for the inbound row) and the reply."""

    command: str
    reply: str | None


# ---------------------------------------------------------------------------------------------
# Reading a message


def fold(text: str) -> str:
    """Upper case without accents, one character for one (so offsets still match the text)."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFKD", ch)[:1]
        out.append(base if base.isascii() else ch)
    return "".join(out).upper()


def words_of(rest: str) -> list[str]:
    """The words after the keyword: commas, semicolons and colons separate, end dots dropped."""
    return [w.strip(".") for w in re.split(r"[\s,;:]+", fold(rest)) if w.strip(".")]


MSG_UNREGISTERED = N_(
    "This number is not registered with ikimina. To join a savings group, dial {ussd}. "
    "Help: {help_phone}"
)
MSG_NOT_UNDERSTOOD = N_("Sorry, I did not understand.")
MSG_YOU_CAN_SEND = N_("You can send:")
MSG_HELP_LINE = N_("Menu: {ussd}. Help: {help_phone}")
MSG_MENU_LINE = N_("Menu: {ussd}")
MSG_STILL_NOT_UNDERSTOOD = N_("Sorry, I still did not understand. Send HELP, or call {help_phone}.")
MSG_SEND_HELP = N_("Sorry, I did not understand. Send HELP for the list of commands.")
MSG_NOT_UNDERSTOOD_WORD = N_("'{word}' is not understood.")
MSG_ERROR = N_("Sorry, something went wrong. Please send your message again later.")
MSG_WHO = N_("Who is this message from? Reply with the number: {names}")
MSG_WHO_AGAIN = N_("Reply with one of the numbers: {names}")
#: How long a "who is sending?" question waits for its number.
WHO_WINDOW = timedelta(minutes=10)
_NUMBER = re.compile(r"^\s*(\d{1,2})\s*\.?\s*$")


class Interpreter:
    """Runs declared commands against inbound messages."""

    def __init__(self, commands: tuple[Command, ...]) -> None:
        self.commands = commands
        #: (alias, command, language), longest alias first (for glued keywords)
        self._aliases = sorted(
            (
                (fold(alias), command, lang)
                for command in commands
                for lang, aliases in command.keywords.items()
                for alias in aliases
            ),
            key=lambda item: -len(item[0]),
        )

    # -- matching ------------------------------------------------------------------------------

    def match(self, text: str) -> tuple[Command, str, str] | None:
        """The command a text starts with, the keyword's language and the rest as typed."""
        raw = text.strip()
        head = re.match(r"[A-Z]+", fold(raw))
        if head is None:
            return None
        letters = head.group(0)
        for alias, command, lang in self._aliases:
            if letters == alias:
                return command, lang, raw[len(alias) :]
        for alias, command, lang in self._aliases:
            if letters.startswith(alias) and self._takes(command, raw[len(alias) :]):
                return command, lang, raw[len(alias) :]
        return None

    @staticmethod
    def _takes(command: Command, rest: str) -> bool:
        """True when `rest`'s first word is one of the command's fields (a glued keyword)."""
        words = words_of(rest)
        return bool(words) and any(f.kind.looks(words[0]) for f in command.fields)

    def command_name(self, text: str) -> str:
        """The name of the command `text` is, or `unknown`."""
        found = self.match(text)
        return found[0].name if found else "unknown"

    # -- running -------------------------------------------------------------------------------

    def run_stored(self, ctx: Context, inbound_id: int) -> None:
        """Run the command in one stored inbound SMS and queue its reply; a message is run once.

        On an error the message is marked failed with the error, a registered sender is asked
        to send it again later, and the error is raised again (the job fails).
        """
        try:
            with ctx.db.session() as session:
                inbound = session.get(InboundSms, inbound_id, with_for_update=True)
                if inbound is None or inbound.status is not InboundStatus.RECEIVED:
                    return
                handled = self.handle(session, inbound, ctx.settings)
                inbound.command = handled.command
                inbound.status = InboundStatus.PROCESSED
                inbound.processed_at = utcnow()
        except Exception as exc:
            log.exception("inbound SMS %s failed", inbound_id)
            with ctx.db.session() as session:
                inbound = session.get(InboundSms, inbound_id)
                if inbound is not None:
                    inbound.command = self.command_name(inbound.text)
                    inbound.status = InboundStatus.FAILED
                    inbound.error = f"{type(exc).__name__}: {exc}"[:2000]
                    inbound.processed_at = utcnow()
                    self.apologise(session, inbound, ctx.settings)
            raise

    def handle(self, session: Session, inbound: InboundSms, settings: Settings) -> Handled:
        """Run the command in `inbound` and queue its reply (in the caller's transaction)."""
        phone = try_normalize_phone(inbound.sender)
        if phone is None:  # a short code or an alphanumeric sender: never answer
            return Handled("ignored", None)
        people = people_on_phone(session, phone)
        person = people[0] if len(people) == 1 else None
        found = self.match(inbound.text)
        keyword_lang = found[1] if found else None
        lang = (
            person.language.value
            if person
            else language_or_default(
                phone_language(people) or keyword_lang or settings.default_language
            )
        )
        today = to_local(inbound.received_at, settings.tz).date()
        request = Request(session, inbound, person, phone, lang, today, settings, self)
        request.people = people
        if len(people) > 1:
            return self._shared(request, found)
        if found is None or person is None:
            name = "unregistered" if person is None else "unknown"
            if found is not None and person is None and not found[0].reply_unregistered:
                return Handled(found[0].name, None)
            return self._fallback(request, name)
        command, _, rest = found
        reply = self._run(command, rest, request)
        self.reply(request, reply)
        return Handled(command.name, reply)

    # -- a phone several people share ---------------------------------------------------------

    def _shared(self, request: Request, found: tuple[Command, str, str] | None) -> Handled:
        """A message from a shared phone: run it as the one person it can be from, or ask who
        it is from; a number answers the question asked last (within `WHO_WINDOW`)."""
        if found is None:
            number = _NUMBER.match(request.inbound.text)
            question = self._open_question(request) if number else None
            if number is None or question is None:
                return self._fallback(request, "unknown")
            return self._answer(request, question, int(number.group(1)))
        command, _, rest = found
        if command.per_phone:
            return self._run_as(request, command, rest, None)
        senders = command.senders(request.people)
        if len(senders) == 1:
            return self._run_as(request, command, rest, senders[0])
        if not senders:
            text = request.t(command.forbidden, help_phone=request.settings.help_phone)
            self.reply(request, text)
            return Handled(command.name, text)
        text = request.t(MSG_WHO, names=numbered_names(senders))
        self.reply(request, text, key=f"who:{request.inbound.id}")
        return Handled("who", text)

    def _run_as(
        self, request: Request, command: Command, rest: str, person: Person | None
    ) -> Handled:
        """Run `command` for the shared phone's `person` (None: for the whole phone)."""
        if person is not None:
            request.person, request.lang = person, language_or_default(person.language)
            request.inbound.person_id = person.id
        reply = self._run(command, rest, request)
        self.reply(request, reply)
        return Handled(command.name, reply)

    def _open_question(self, request: Request) -> InboundSms | None:
        """The sender's last message answered with "who is sending?", still unanswered."""
        inbound = request.inbound
        question = request.session.scalar(
            select(InboundSms)
            .where(
                InboundSms.sender == inbound.sender,
                InboundSms.id < inbound.id,
                InboundSms.command == "who",
                InboundSms.received_at >= inbound.received_at - WHO_WINDOW,
            )
            .order_by(InboundSms.id.desc())
            .limit(1)
        )
        if question is None:
            return None
        answered = request.session.scalar(
            select(InboundSms.id).where(InboundSms.answers_id == question.id)
        )
        return None if answered else question

    def _answer(self, request: Request, question: InboundSms, number: int) -> Handled:
        """The number sent back to "who is sending?": run the recorded message as that person
        (its reply once per recorded message, whatever repeats)."""
        found = self.match(question.text)
        assert found is not None  # only a matched command is asked about
        command, _, rest = found
        senders = command.senders(request.people)
        if not 1 <= number <= len(senders):
            text = request.t(MSG_WHO_AGAIN, names=numbered_names(senders))
            self.reply(request, text)
            return Handled("who_again", text)
        person = senders[number - 1]
        try:
            with request.session.begin_nested():
                request.inbound.answers_id, request.inbound.person_id = question.id, person.id
                request.session.flush()
        except IntegrityError:  # answered a moment ago by a parallel message
            request.inbound.answers_id = request.inbound.person_id = None
            return self._fallback(request, "unknown")
        today = to_local(question.received_at, request.settings.tz).date()
        asked = Request(
            request.session,
            question,
            person,
            request.phone,
            language_or_default(person.language),
            today,
            request.settings,
            self,
            people=request.people,
        )
        reply = self._run(command, rest, asked)
        self.reply(asked, reply)
        return Handled(command.name, reply)

    def _run(self, command: Command, rest: str, request: Request) -> str | None:
        if request.person is not None and not command.allows(request.person):
            return request.t(command.forbidden, help_phone=request.settings.help_phone)
        problem = self._parse(command, rest, request)
        if problem is not None:
            return problem
        for rule in command.rules:
            if not rule.holds(request):
                return request.t(rule.reply, **_shown(request.values))
        return command.handler(request)

    def _parse(self, command: Command, rest: str, request: Request) -> str | None:
        """Fill `request.values` from `rest`; the reply for the first problem, or None."""
        if not command.fields:
            return None
        if command.fields[0].kind.raw:
            request.values[command.fields[0].name] = rest.strip()
            return None
        taken: dict[str, list[str]] = {f.name: [] for f in command.fields}
        for word in words_of(rest):
            target = next(
                (f for f in command.fields if f.kind.looks(word) and (f.many or not taken[f.name])),
                None,
            )
            if target is None:
                first = command.fields[0]
                return request.t(first.invalid or MSG_NOT_UNDERSTOOD_WORD, word=word)
            taken[target.name].append(word)
        for f in command.fields:
            words = taken[f.name]
            if not words:
                if f.required:
                    return request.t(f.missing)
                continue
            try:
                values = [f.kind.parse(w, request.today) for w in words]
            except BadValue as exc:
                return request.t(f.invalid, word=str(exc))
            request.values[f.name] = values if f.many else values[0]
        return None

    # -- replies -------------------------------------------------------------------------------

    def reply(self, request: Request, text: str | None, *, key: str | None = None) -> None:
        """Queue `text` to the sender: high priority, kind `reply`, once per inbound message."""
        if not text:
            return
        queue_sms(
            request.session,
            request.settings,
            request.phone,
            text,
            person=request.person,
            kind="reply",
            priority=Priority.HIGH,
            dedupe_key=key or f"reply:{request.inbound.id}",
        )

    def apologise(self, session: Session, inbound: InboundSms, settings: Settings) -> None:
        """Tell a registered sender their message could not be handled (after an error)."""
        phone = try_normalize_phone(inbound.sender)
        people = people_on_phone(session, phone) if phone else []
        if not people or phone is None:
            return
        person = next((p for p in people if p.id == inbound.person_id), None)
        person = people[0] if len(people) == 1 else person
        lang = person.language if person is not None else phone_language(people)
        request = Request(
            session,
            inbound,
            person,
            phone,
            language_or_default(lang),
            to_local(inbound.received_at, settings.tz).date(),
            settings,
            self,
            people=people,
        )
        self.reply(request, request.t(MSG_ERROR))

    def help_text(self, request: Request) -> str:
        """What the sender can send, per their roles, and the help line."""
        lines = [
            request.t(c.summary)
            for c in self.commands
            if c.summary
            and request.person is not None
            and c.allows(request.person)
            and (c.in_help is None or c.in_help(request))
        ]
        settings = request.settings
        head = f"{request.t(MSG_YOU_CAN_SEND)} {'; '.join(lines)}. "
        code = settings.ussd_service_code
        return fit(
            head + request.t(MSG_HELP_LINE, ussd=code, help_phone=settings.help_phone),
            head + request.t(MSG_MENU_LINE, ussd=code),
        )

    def _fallback(self, request: Request, name: str) -> Handled:
        """One helpful reply to a message not understood, within the reply-loop limits; past
        them, one short answer per window (never silence, never a loop)."""
        allowed = self._fallback_allowed(request)
        if not allowed:
            if allowed is None or not request.people:
                return Handled(name, None)  # the same text again: maybe a machine, stay silent
            if self._sent_lately(request, "fallback-short:%"):
                return Handled(name, None)
            text = request.t(MSG_STILL_NOT_UNDERSTOOD, help_phone=request.settings.help_phone)
            self.reply(request, text, key=f"fallback-short:{request.inbound.id}")
            return Handled(name, text)
        settings = request.settings
        if not request.people:
            text = request.t(
                MSG_UNREGISTERED, ussd=settings.ussd_service_code, help_phone=settings.help_phone
            )
        elif request.person is None:  # a shared phone: HELP asks who, then lists their commands
            text = request.t(MSG_SEND_HELP)
        else:
            text = fit(
                f"{request.t(MSG_NOT_UNDERSTOOD)} {self.help_text(request)}",
                request.t(MSG_SEND_HELP),
            )
        self.reply(request, text, key=f"fallback:{request.inbound.id}")
        return Handled(name, text)

    @staticmethod
    def _sent_lately(request: Request, key_pattern: str) -> int:
        """How many replies with a dedupe key like `key_pattern` went to the sender lately."""
        since = utcnow() - timedelta(seconds=request.settings.sms_fallback_window_s)
        sent = request.session.scalar(
            select(func.count(OutboundSms.id)).where(
                OutboundSms.phone == request.phone,
                OutboundSms.dedupe_key.like(key_pattern),
                OutboundSms.created_at >= since,
            )
        )
        return sent or 0

    @classmethod
    def _fallback_allowed(cls, request: Request) -> bool | None:
        """True: answer in full; False: answered lately; None: the same text came before."""
        settings, session, inbound = request.settings, request.session, request.inbound
        since = utcnow() - timedelta(seconds=settings.sms_fallback_window_s)
        if cls._sent_lately(request, "fallback:%") >= settings.sms_fallback_max:
            return False
        earlier = session.scalars(
            select(InboundSms.text)
            .where(
                InboundSms.sender == inbound.sender,
                InboundSms.id < inbound.id,
                InboundSms.received_at >= since,
            )
            .order_by(InboundSms.id.desc())
            .limit(100)
        )
        same = " ".join(words_of(inbound.text))
        return True if all(" ".join(words_of(text)) != same for text in earlier) else None


def _shown(values: dict[str, Any]) -> dict[str, object]:
    """Field values as a reply shows them (days as 25/11)."""
    return {k: f"{v:%d/%m/%Y}" if isinstance(v, date) else v for k, v in values.items()}
