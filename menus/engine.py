"""The USSD engine: runs screens declared as data, whatever the journey.

Africa's Talking sends every input of a session joined by `*`. The engine keeps each session's
state in a store (Redis or this process) with how many inputs it has consumed, and applies
only the new ones; when the state is missing it replays the inputs from the start. The same
keys work on every screen: `0` back (or the previous page), `00` main menu, `98` next page.
The engine, not the screens, fits each page into 160 characters. A wrong key shows one short
line above the same choices, with the same numbers; a choice keeps its number on every page.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from datetime import datetime
from functools import cached_property
from typing import Any, TypeVar

from redis.exceptions import RedisError
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.orm import Session

from locales import N_, language_or_default, translate
from menus.hop_log import HopLog
from menus.pager import BUDGET, Cursor, Page, layout, room_for_error, with_error
from menus.store import Put, SessionStore
from models import Person, try_normalize_phone, utcnow
from runtime.database import Database
from runtime.settings import Settings
from services.outbox import queue_sms
from services.people import set_language
from services.phones import chosen, people_on_phone, person_on_phone, phone_language

log = logging.getLogger(__name__)

BACK, HOME, MORE = "0", "00", "98"
#: More new inputs than this in one hop is not a person typing: the session is ended.
MAX_NEW_INPUTS = 40
MASK = "****"

INVALID = N_("Invalid choice.")
NO_MORE = N_("No more.")
APOLOGY = N_("Sorry, something went wrong. Dial {ussd} again.")
TOO_LONG = N_("Sorry, this session was too long. Dial {ussd} again.")
BAD_PHONE = N_("Sorry, we cannot read your phone number. Help: {help}")
#: The apology when a store the hop needs is down; `minutes`: when to try again.
OUTAGE_RETRY_MINUTES = 5
RETRY_LATER = N_("Sorry, the service is down for a moment. Please dial again in {minutes} minutes.")
BAD_SESSION = N_("Sorry, this session cannot be read. Please dial again.")
#: Longest session id accepted from Africa's Talking (theirs are about 40 characters).
MAX_SESSION_ID = 100
HINT_MORE = N_("98. More")
HINT_NAV = N_("0. Back 00. Home")
SEND_SMS = N_("Send me this by SMS")
#: The session's key for who is calling: set by `caller` (the only person on the phone) or by
#: the "who is calling?" chooser of a shared phone (`Visit.choose`), read by `caller`.
CHOSEN = "pid"

T = TypeVar("T")


@dataclass
class Visit:
    """What a screen's handlers see of one hop: the person, their data and the services.

    The caller is read from the database only when a handler asks for `person` (a menu hop
    that needs nothing of them runs no SQL). `people` are everyone on the calling phone (read
    when asked); on a shared phone `person` is None until the caller has said who they are
    (`choose`), then the one they chose, for the whole session.
    """

    db: Session
    settings: Settings
    session_id: str
    phone: str
    caller: Callable[[], Person | None]
    state: dict[str, Any]
    now: datetime = field(default_factory=utcnow)
    inputs: list[str] = field(default_factory=list)  # this hop's inputs, from Africa's Talking
    position: int = -1  # the index in `inputs` of the input being handled
    state_key: str = ""  # where the session's state is kept (code, phone, session id)

    @cached_property
    def person(self) -> Person | None:
        return self.caller()

    @cached_property
    def people(self) -> list[Person]:
        """Everyone on the calling phone, oldest first."""
        return load_people(self.db, self.phone)

    @property
    def lang(self) -> str:
        """The caller's language: theirs once they are read, else the session's (saved from
        theirs at every hop)."""
        if "person" in self.__dict__ and self.person is not None:
            return language_or_default(self.person.language)
        return language_or_default(self.state.get("lang"))

    @property
    def data(self) -> dict[str, Any]:
        """What this journey has collected so far (restored by `0`)."""
        return self.state["data"]

    def t(self, message: str, **values: object) -> str:
        """`message` in the person's language."""
        return translate(self.lang, message, **values)

    def choose(self, person: Person) -> None:
        """Carry on as `person` (one of `people`), in their language, until the session ends."""
        self.person = person
        self.state[CHOSEN] = person.id
        self.state["lang"] = language_or_default(person.language)

    def set_language(self, lang: str) -> None:
        if self.person is not None:
            set_language(self.person, lang)
        self.state["lang"] = lang


@dataclass(frozen=True)
class Go:
    """Show `screen` next, adding `data` to the journey's data.

    `replace`: do not come back to the current screen (nor the PIN screens before it) with `0`.
    `notice`: a short line (msgid) shown above the next screen.
    `back_to`: forget the screens after the last `back_to` screen, so `0` returns there (a long
    walk through a list keeps a short stack); going to that screen itself takes its place.
    """

    screen: str
    data: dict[str, Any] = field(default_factory=dict)
    replace: bool = False
    notice: str = ""
    back_to: str = ""


@dataclass(frozen=True)
class Again:
    """Show the same screen again, with one short line (`message`, a msgid) above it."""

    message: str = INVALID
    values: dict[str, Any] = field(default_factory=dict)


Step = Go | Again


@dataclass(frozen=True)
class Choice:
    """A numbered choice: its label (msgid) and where it leads."""

    label: str
    goto: str | Callable[[Visit], Step]
    show: Callable[[Visit], bool] | None = None


@dataclass(frozen=True)
class Item:
    """One entry of a list a screen builds from data (a district, a trainee, a day)."""

    label: str
    value: Any


@dataclass(frozen=True)
class Screen:
    """A screen declared as data.

    `text` (a msgid, `{placeholders}` filled by `values`) and `body` (already in the person's
    language) make the text; `items` (picked through `pick`), then `choices`, or free input
    (`entry`) make the answer. `redirect` screens are never shown: they send the person on at once.
    """

    key: str
    text: str = ""
    values: Callable[[Visit], dict[str, Any]] | None = None
    body: Callable[[Visit], str] | None = None
    choices: tuple[Choice, ...] = ()
    items: Callable[[Visit], list[Item]] | None = None
    pick: Callable[[Visit, Any], Step] | None = None
    entry: Callable[[Visit, str], Step] | None = None
    redirect: Callable[[Visit], Step] | None = None
    secret: bool = False  # its input is a PIN: masked, and never resumed to
    guarded: bool = False  # shows data behind the PIN
    end: bool = False  # ends the session
    sms: bool = False  # offers "send me this by SMS"
    root: bool = False  # a main menu: no back/home hints


#: Screens every set of journeys declares: where `00` leads (usually a redirect to the main
#: menu that fits the caller), and where a guarded screen sends a person first.
HOME_SCREEN, PIN_GATE = "home", "pin_gate"


def screen_table(screens: list[Screen]) -> dict[str, Screen]:
    """The journeys' screens and the engine's own, by key; keys must be unique."""
    table = {s.key: s for s in [*screens, *ENGINE_SCREENS]}
    if len(table) != len(screens) + len(ENGINE_SCREENS):
        raise ValueError("two screens share a key")
    missing = {HOME_SCREEN, PIN_GATE} - table.keys()
    if missing:
        raise ValueError(f"journeys lack the screens {sorted(missing)}")
    for screen in table.values():
        for choice in screen.choices:
            if isinstance(choice.goto, str) and choice.goto not in table:
                raise ValueError(f"screen {screen.key!r}: {choice.label!r} goes to no screen")
    return table


@dataclass(frozen=True)
class Hop:
    """One request from Africa's Talking."""

    session_id: str
    phone: str
    text: str = ""
    service_code: str = ""
    network_code: str = ""


@dataclass(frozen=True)
class Reply:
    text: str  # without CON/END
    end: bool
    screen: str
    hop: dict[str, Any] = field(default_factory=dict)  # for the analytics, see Engine.record

    @property
    def body(self) -> str:
        return ("END " if self.end else "CON ") + self.text


class Engine:
    """Answers hops: state in, screen out, analytics to the hop log."""

    def __init__(
        self,
        settings: Settings,
        db: Database,
        store: SessionStore,
        hop_log: HopLog,
        screens: list[Screen],
    ) -> None:
        self.settings = settings
        self.db = db
        self.store = store
        self.hop_log = hop_log
        self.screens = screen_table(screens)

    def answer(self, hop: Hop) -> Reply:
        """The screen for `hop`; any failure becomes a short apology (logged).

        Pass the reply to `record` once it has been sent (analytics never delay a screen).
        """
        started = time.perf_counter()
        state: dict[str, Any] = {}
        try:
            reply, masked = self._answer(hop, state)
        except (OperationalError, InterfaceError, RedisError) as error:  # an outage, not a bug
            log.warning("ussd: hop failed, a store is down: %s", str(error).splitlines()[0][:200])
            lang = language_or_default(state.get("lang"))
            text = translate(lang, RETRY_LATER, minutes=OUTAGE_RETRY_MINUTES)
            reply, masked = Reply(text, True, "outage"), ""
        except Exception:  # noqa: BLE001 - a person must always get an answer
            log.exception("ussd: hop failed (session %r)", hop.session_id[:MAX_SESSION_ID])
            phone = try_normalize_phone(hop.phone) or ""
            self._forget(_session_key(hop.service_code, phone, hop.session_id.strip()))
            lang = language_or_default(state.get("lang"))
            apology = translate(lang, APOLOGY, ussd=self.settings.ussd_service_code)
            reply, masked = Reply(apology, True, "error"), ""
        elapsed = (time.perf_counter() - started) * 1000
        return replace(reply, hop=self._describe(hop, state, reply, masked, elapsed))

    # -- one hop -------------------------------------------------------------------------------

    def _answer(self, hop: Hop, state: dict[str, Any]) -> tuple[Reply, str]:
        phone = try_normalize_phone(hop.phone)
        if phone is None:
            help_line = self.settings.help_phone
            return Reply(translate(None, BAD_PHONE, help=help_line), True, "bad_phone"), ""
        session_id = hop.session_id.strip()
        if not session_id or len(session_id) > MAX_SESSION_ID or not session_id.isprintable():
            return Reply(translate(None, BAD_SESSION), True, "bad_session"), ""
        tokens = hop.text.split("*") if hop.text else []
        key = _session_key(hop.service_code, phone, session_id)
        with self.db.session() as db:
            keys = [key] + ([] if tokens else [_resume_key(phone)])
            saved, point = [*self.store.get_many(*keys, session=db), None][:2]
            if saved is None or saved["consumed"] > len(tokens):
                saved = None
            state.update(saved or {})
            visit = Visit(
                db,
                self.settings,
                session_id,
                phone,
                lambda: caller(db, phone, state),
                state,
                inputs=tokens,
            )
            visit.state_key = key
            if saved is None:
                person = visit.person
                state["lang"] = person.language if person else phone_language(visit.people)
            if saved is None:
                self._start(visit, point)
            new = tokens[state["consumed"] :]
            if len(new) > MAX_NEW_INPUTS:
                self._forget(key)
                too_long = visit.t(TOO_LONG, ussd=self.settings.ussd_service_code)
                return Reply(too_long, True, "too_long"), state.get("masked", "")
            masked = [state["masked"]] if state["consumed"] else []
            for visit.position, token in enumerate(new, state["consumed"]):
                masked.append(MASK if self._may_be_pin(state, token) else token)
                self._input(visit, token.strip())
                if self._pin_area(self.screen(state["screen"])):
                    state["pin_seen"] = True
            state["consumed"] = len(tokens)
            state["masked"] = "*".join(masked)[-200:]
            screen = self.screen(state["screen"])
            page = self._page(visit, screen)
            ended = screen.end and page.next is None  # a long last screen stays open for 98
            self._save(visit, screen, ended)
        return Reply(page.text, ended, screen.key), state["masked"]

    def screen(self, key: str) -> Screen:
        return self.screens[key]

    @staticmethod
    def _pin_area(screen: Screen) -> bool:
        """A screen that asks for a PIN, or after which a PIN typed ahead could arrive."""
        return screen.secret or screen.guarded or screen.key.startswith("pin_")

    def _may_be_pin(self, state: dict[str, Any], token: str) -> bool:
        """Mask `token` in the analytics: on a PIN screen, after an end screen, and, once the
        session has been near a PIN, anything longer than a menu choice."""
        if token in (BACK, HOME, MORE):
            return False
        screen = self.screen(state["screen"])
        if screen.secret or screen.end or screen.key.startswith("pin_"):
            return True
        return bool(state.get("pin_seen")) and len(token.strip()) > 2

    def _start(self, visit: Visit, point: dict[str, Any] | None) -> None:
        """A new session: offer to resume a dropped one (`point`), or show home. On a shared
        phone the point waits until the caller says who they are: it is offered only to the
        person who dropped it (`resume_for`)."""
        visit.state.update(consumed=0, masked="", stack=[], data={}, hops=0)
        if point is not None and visit.person is None and len(visit.people) > 1:
            visit.state["later"] = point
            self._show(visit, HOME_SCREEN)
        elif point is not None:
            visit.state["resume"] = point
            self._show(visit, "resume")
        else:
            self._show(visit, HOME_SCREEN)

    def _input(self, visit: Visit, token: str) -> None:
        state, screen = visit.state, self.screen(visit.state["screen"])
        pages: list[list[int]] = state["pages"]
        if state.get("view") is None:
            self._page(visit, screen)
        if token == HOME:
            state["stack"], state["data"] = [], {}
            self._show(visit, HOME_SCREEN)
        elif token == BACK:
            if len(pages) > 1:
                pages.pop()
                state.update(notice=None, error=None, view=None)
            else:
                self._back(visit)
        elif token == MORE:
            if state.get("next"):
                pages.append(state["next"])
                state.update(notice=None, error=None, view=None)
            else:
                self._apply(visit, Again(NO_MORE))
        elif screen.entry is not None and not self._picks_choice(visit, screen, token):
            self._apply(visit, screen.entry(visit, token))
        else:
            self._apply(visit, self._choose(visit, screen, token))

    @staticmethod
    def _picks_choice(visit: Visit, screen: Screen, token: str) -> bool:
        """On a screen that takes typed input and also shows choices (the PIN screen's "Forgot
        PIN"), the number of a choice shown picks it; anything else is the input."""
        if not screen.choices or not token.isdigit() or len(token) > 2:
            return False
        first, count, *_shown = visit.state["view"]
        return first < int(token) <= first + count

    def _choose(self, visit: Visit, screen: Screen, token: str) -> Step:
        first, count, *shown = visit.state["view"]
        options = self._options(visit, screen, shown[0] if shown else None)
        if not token.isdigit() or not first < int(token) <= first + count:
            return Again()
        _label, kind, what = options[int(token) - 1]
        if kind == "choice":
            goto = what.goto
            return Go(goto) if isinstance(goto, str) else goto(visit)
        if kind == "item":
            assert screen.pick is not None
            return screen.pick(visit, what)
        return self._send_copy(visit, screen)

    def _apply(self, visit: Visit, step: Step) -> None:
        if isinstance(step, Again):
            visit.state["error"] = visit.t(step.message, **step.values)
            return
        state = visit.state
        frame = {"screen": state["screen"], "data": dict(state["data"])}
        marks = [i for i, f in enumerate(state["stack"]) if f["screen"] == step.back_to]
        if step.back_to and (marks or state["screen"] == step.back_to):
            if marks:
                kept = state["stack"][: marks[-1] + 1]
                frame = kept.pop() if step.screen == step.back_to else kept[-1]
                state["stack"], state["data"] = kept, dict(frame["data"])
            if step.screen != step.back_to and state["screen"] == step.back_to:
                state["stack"].append(frame)
        elif step.replace:
            while state["stack"] and self.screen(state["stack"][-1]["screen"]).secret:
                state["stack"].pop()
        elif not self.screen(state["screen"]).end:
            state["stack"].append(frame)
        state["data"] = {**state["data"], **step.data}
        self._show(visit, step.screen)
        if step.notice:
            state["notice"] = visit.t(step.notice)

    def _show(self, visit: Visit, key: str) -> None:
        """Make `key` the current screen, following redirects and the PIN guard."""
        for _ in range(10):
            screen = self.screen(key)
            if screen.guarded and not visit.data.get("pin_ok"):
                visit.data["after_pin"] = key
                key = PIN_GATE
                continue
            if screen.redirect is None:
                break
            step = screen.redirect(visit)
            if isinstance(step, Go):
                visit.state["data"] = {**visit.data, **step.data}
                key = step.screen
        visit.state.update(
            screen=key, pages=[[0, 0]], next=None, notice=None, error=None, view=None
        )

    def _back(self, visit: Visit) -> None:
        state = visit.state
        if not state["stack"]:
            state.update(notice=None, error=None)
            return
        frame = state["stack"].pop()
        state["data"] = frame["data"]
        state.update(
            screen=frame["screen"], pages=[[0, 0]], next=None, notice=None, error=None, view=None
        )

    # -- rendering -----------------------------------------------------------------------------

    def _options(
        self, visit: Visit, screen: Screen, shown: list[int] | None = None
    ) -> list[tuple[str, str, Any]]:
        """The screen's numbered options in order: (label, kind, what it leads to). `shown`:
        the choices shown when the page was laid out (kept with the view), else asked again."""
        options: list[tuple[str, str, Any]] = []
        if screen.items is not None:
            options += [(item.label, "item", item.value) for item in screen.items(visit)]
        if shown is None:
            shown = self._shown(visit, screen)
        options += [(visit.t(screen.choices[i].label), "choice", screen.choices[i]) for i in shown]
        if screen.sms:
            options.append((visit.t(SEND_SMS), "sms", None))
        return options

    @staticmethod
    def _shown(visit: Visit, screen: Screen) -> list[int]:
        """The indices of the choices `screen` shows this caller."""
        return [i for i, c in enumerate(screen.choices) if c.show is None or c.show(visit)]

    def full_text(self, visit: Visit, screen: Screen) -> str:
        """The screen's text before paging (also what "send me this by SMS" sends)."""
        values = screen.values(visit) if screen.values else {}
        head = visit.t(screen.text, **values) if screen.text else ""
        body = screen.body(visit) if screen.body else ""
        return "\n".join(part for part in (head, body) if part)

    def _page(self, visit: Visit, screen: Screen) -> Page:
        """The current page; after a wrong key, the same page with the error line on top."""
        page = self._layout(visit, screen)
        error = visit.state.get("error")
        return replace(page, text=with_error(page, error)) if error else page

    def _layout(self, visit: Visit, screen: Screen) -> Page:
        """The page at the current cursor. A page of choices so full that the error line would
        not fit above them is laid out with room for it, always, so that a wrong key never
        moves a choice to another page."""
        state = visit.state
        footer = "" if screen.root or screen.end else visit.t(HINT_NAV)
        word, choice = state["pages"][-1]
        text = self.full_text(visit, screen)
        shown = self._shown(visit, screen)
        labels = [label for label, _kind, _what in self._options(visit, screen, shown)]
        notice = state.get("notice") or ""
        more = visit.t(HINT_MORE)
        page = layout(text, labels, Cursor(word, choice), notice=notice, more=more, footer=footer)
        invalid = visit.t(INVALID)
        if labels and not room_for_error(page, invalid):
            budget = BUDGET - len(invalid) - 1
            page = layout(
                text,
                labels,
                Cursor(word, choice),
                notice=notice,
                more=more,
                footer=footer,
                budget=budget,
            )
        state["view"] = [page.first_choice, page.choices, shown]
        state["next"] = [page.next.word, page.next.choice] if page.next else None
        return page

    def _send_copy(self, visit: Visit, screen: Screen) -> Step:
        """Queue the screen's text as one SMS; pressing again in this session sends nothing.
        A person who sent STOP is told why nothing comes (it would be cancelled unsent)."""
        if visit.person is not None and visit.person.opted_out:
            return Go("sms_refused")
        queue_sms(
            visit.db,
            visit.settings,
            visit.phone,
            self.full_text(visit, screen),
            person=visit.person,
            kind="ussd_copy",
            dedupe_key=f"ussd-copy:{visit.session_id[:100]}:{screen.key}",
        )
        return Go("sms_sent")

    # -- storage -------------------------------------------------------------------------------

    def _save(self, visit: Visit, screen: Screen, ended: bool) -> None:
        """Keep the session's state and its resume point, in one write."""
        state = visit.state
        state["hops"] = state.get("hops", 0) + 1
        session, resume = visit.state_key, _resume_key(visit.phone)
        if ended:
            self.store.write(deletes=[session, resume], session=visit.db)
            return
        state["lang"] = visit.lang
        puts: list[Put] = [(session, state, self.settings.ussd_session_ttl_s)]
        deletes: list[str] = []
        if screen.root and state["stack"] == []:
            deletes.append(resume)  # back home: nothing to resume
        elif self._resumable(state):
            point = {k: state[k] for k in ("screen", "stack", "data", "lang")}
            point["person_id"] = visit.person.id if visit.person is not None else None
            puts.append((resume, point, self.settings.ussd_resume_window_s))
        self.store.write(puts, deletes, session=visit.db)

    def _resumable(self, state: dict[str, Any]) -> bool:
        """A screen worth coming back to: not home, and nothing behind or about the PIN."""
        frames = [state["screen"], *(f["screen"] for f in state["stack"])]
        current = self.screen(state["screen"])
        if current.key == "resume" or current.root or current.end:
            return False
        if state["data"].get("pin_ok") or any(f["data"].get("pin_ok") for f in state["stack"]):
            return False
        return not any(self._pin_area(self.screen(k)) for k in frames)

    def _forget(self, key: str) -> None:
        if not key:
            return
        try:
            self.store.write(deletes=[key])
        except Exception:  # noqa: BLE001 - the store being down must not hide the apology
            log.exception("ussd: could not drop session state")

    @staticmethod
    def _describe(
        hop: Hop, state: dict[str, Any], reply: Reply, masked: str, elapsed: float
    ) -> dict[str, Any]:
        return {
            "session_id": hop.session_id[:100],
            "phone": hop.phone[:40],
            "service_code": hop.service_code[:40],
            "network_code": hop.network_code[:10],
            "language": language_or_default(state.get("lang")),
            "n": state.get("hops", 1),
            "input": masked,
            "screen": reply.screen,
            "ended": reply.end,
            "elapsed_ms": round(elapsed, 2),
            "at": utcnow().isoformat(),
        }

    def record(self, reply: Reply) -> None:
        """Hand the hop to the hop log for the analytics tables."""
        try:
            self.hop_log.add(reply.hop)
        except Exception:  # noqa: BLE001 - analytics never cost a person their answer
            log.exception("ussd: could not queue hop analytics")


def caller(db: Session, phone: str, state: dict[str, Any]) -> Person | None:
    """Who is calling: the person this session chose or found (`state[CHOSEN]`), else the
    only one with `phone` (kept in the session for the next hops); None for a phone nobody
    or several people use, until the caller says who they are (`Visit.choose`)."""
    pid = state.get(CHOSEN)
    if pid is not None:
        person = _retrying(db, lambda: person_on_phone(db, phone, pid))
        if person is not None:
            return person
    person = chosen(load_people(db, phone), None)
    state[CHOSEN] = person.id if person is not None else None
    return person


def load_people(db: Session, phone: str) -> list[Person]:
    """Everyone with `phone` (usually one person or none), oldest first."""
    return _retrying(db, lambda: people_on_phone(db, phone))


def _retrying(db: Session, read: Callable[[], T]) -> T:
    """`read()`, tried once more on a dropped connection. The pool does not ping connections
    before use, so a connection the database dropped (a restart) fails on the hop's first
    statement: SQLAlchemy then discards it and the pool's older ones."""
    try:
        return read()
    except DBAPIError as error:
        if not error.connection_invalidated:
            raise
        db.rollback()
        return read()


def resume_for(visit: Visit, person: Person) -> Step:
    """After the caller of a shared phone said who they are: their dropped session, if the
    point kept for the phone is theirs, else home."""
    point = visit.state.pop("later", None)
    visit.state["stack"] = []
    if point is not None and point.get("person_id") == person.id:
        visit.state["resume"] = point
        return Go("resume", replace=True)
    return Go(HOME_SCREEN, replace=True)


def _session_key(service_code: str, phone: str, session_id: str) -> str:
    """A session's state is bound to the code dialled and the phone: another phone posting
    the same session id starts its own session."""
    return f"s:{service_code[:40]}:{phone}:{session_id}"


def _resume_key(phone: str) -> str:
    return "r:" + phone


def _resume(visit: Visit) -> Step:
    point = visit.state.pop("resume", None) or {}
    visit.state.update(stack=point.get("stack", []))
    return Go(point.get("screen", HOME_SCREEN), data=point.get("data", {}), replace=True)


def _restart(visit: Visit) -> Step:
    visit.state.pop("resume", None)
    return Go(HOME_SCREEN, replace=True)


#: Screens every set of journeys has: resume a dropped session, and "sent by SMS".
ENGINE_SCREENS = [
    Screen(
        "resume",
        text=N_("Welcome back."),
        choices=(
            Choice(N_("Continue where you stopped"), _resume),
            Choice(N_("Start again"), _restart),
        ),
        root=True,
    ),
    Screen("sms_sent", text=N_("We are sending you this by SMS.")),
    Screen(
        "sms_refused",
        text=N_(
            "You asked for no SMS (you sent STOP), so we cannot send this. "
            "To get SMS again, send START."
        ),
    ),
]
