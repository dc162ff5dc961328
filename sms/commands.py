"""The SMS commands, declared as data, and their small handlers.

Adding a command is adding one `Command(...)` to `COMMANDS` (keywords per language, fields,
rules with their replies, roles, a HELP line) and, at most, one handler. `INTERPRETER` runs
them all (sms.interpreter).
"""

from __future__ import annotations

import re
from datetime import date, timedelta

from sqlalchemy import select

from locales import N_
from locales.formatting import format_money
from models import AbsenceReason, Broadcast, BroadcastStatus, Channel, Role, utcnow
from models.attendance import Outcome, Result, record_presence
from models.audience import BadAudience, parse, unknown_names
from services import broadcasts
from services.attendance import report_absences
from services.gsm7 import fit
from services.people import set_language, set_opted_out
from sms.interpreter import (
    CODE,
    DAY,
    LANGUAGE,
    TEXT,
    Command,
    Field,
    Interpreter,
    Kind,
    Request,
    Rule,
)

# -- attendance --------------------------------------------------------------------------------

#: One reply line per outcome, in this order; `{who}` lists the trainees, `{day}` is 25/11.
OUTCOME_LINES: dict[Outcome, str] = {
    Outcome.RECORDED: N_("Absent on {day}: {who}."),
    Outcome.REMOVED: N_("Corrected, present on {day}: {who}."),
    Outcome.ALREADY: N_("Already reported absent on {day}: {who}."),
    Outcome.NOT_ABSENT: N_("Was not recorded absent on {day}: {who}."),
    Outcome.UNKNOWN: N_("Unknown code: {who}."),
    Outcome.OTHER_VTC: N_("Not a trainee of your VTC: {who}."),
    Outcome.INACTIVE: N_("No longer in training: {who}."),
    Outcome.BEFORE_START: N_("Had not started training on {day}: {who}."),
    Outcome.FUTURE: N_("{day} has not come yet: {who}."),
}
#: Outcomes whose trainees the reply names (the others show codes only).
NAMED = {Outcome.RECORDED, Outcome.REMOVED, Outcome.ALREADY, Outcome.NOT_ABSENT}
MSG_ALL_PRESENT = N_("Thank you. Report for {day} noted: everyone present.")


def attendance_reply(request: Request, results: list[Result], day: date) -> str:
    """Who was recorded, and what was wrong with the other codes; names when they fit."""

    def compose(named: bool) -> str:
        parts = []
        for outcome, line in OUTCOME_LINES.items():
            group = [r for r in results if r.outcome is outcome]
            if group:
                who = ", ".join(
                    f"{r.code} {r.trainee.person.name}"
                    if named and outcome in NAMED and r.trainee is not None
                    else r.code
                    for r in group
                )
                parts.append(request.t(line, day=f"{day:%d/%m}", who=who))
        return " ".join(parts)

    return fit(compose(True), compose(False))


#: The optional reason word after an absence report (`ABS T0042 25/11 SICK`), any language.
REASON_WORDS: dict[str, AbsenceReason] = {
    "SICK": AbsenceReason.SICK,
    "URWAYE": AbsenceReason.SICK,
    "MALADE": AbsenceReason.SICK,
    "TRANSPORT": AbsenceReason.TRANSPORT,
    "URUGENDO": AbsenceReason.TRANSPORT,
    "WORK": AbsenceReason.WORK,
    "AKAZI": AbsenceReason.WORK,
    "TRAVAIL": AbsenceReason.WORK,
    "FAMILY": AbsenceReason.FAMILY,
    "UMURYANGO": AbsenceReason.FAMILY,
    "FAMILLE": AbsenceReason.FAMILY,
}
REASON = Kind("reason", lambda w: w in REASON_WORDS, lambda w, today: REASON_WORDS[w])


def report_absence(request: Request) -> str:
    day = request.values.get("day", request.today)
    results = report_absences(
        request.session,
        request.settings,
        request.sender,
        request.values["codes"],
        day,
        today=request.today,
        channel=Channel.SMS,
        inbound_sms_id=request.inbound.id,
        reason=request.values.get("reason", AbsenceReason.UNKNOWN),
    )
    return attendance_reply(request, results, day)


def report_presence(request: Request) -> str:
    day = request.values.get("day", request.today)
    codes = request.values.get("codes", [])
    results = record_presence(
        request.session, request.sender, codes, day, today=request.today, channel=Channel.SMS
    )
    if not codes:
        return request.t(MSG_ALL_PRESENT, day=f"{day:%d/%m}")
    return attendance_reply(request, results, day)


def not_future(request: Request) -> bool:
    return request.values.get("day", request.today) <= request.today


TRAINERS = frozenset({Role.TRAINER})
MSG_TRAINERS_ONLY = N_("Only registered trainers can report attendance. Help: {help_phone}")
DAY_FIELD = Field(
    "day",
    DAY,
    required=False,
    invalid=N_("'{word}' is not a day. Write it as 25/11 or 25/11/2026. Example: ABS T0042 25/11"),
)

# -- the sender's own settings -----------------------------------------------------------------

MSG_STOPPED = N_("You will get no more reminders or news by SMS. To get them again, send START.")
MSG_STARTED = N_("Welcome back: you will get reminders and news by SMS. To stop, send STOP.")
#: Each language's translation names itself: "Your language is now Kinyarwanda."
MSG_LANGUAGE_SET = N_("Your language is now English.")


def opt_out(request: Request) -> str:
    set_opted_out(request.sender, True)
    return request.t(MSG_STOPPED)


def opt_in(request: Request) -> str:
    set_opted_out(request.sender, False)
    return request.t(MSG_STARTED)


def change_language(request: Request) -> str:
    set_language(request.sender, request.values["language"])
    request.lang = request.values["language"]
    return request.t(MSG_LANGUAGE_SET)


def show_help(request: Request) -> str:
    return request.interpreter.help_text(request)


# -- staff broadcasts by SMS ------------------------------------------------------------------

#: How long a `BC` preview waits for its YES.
CONFIRM_WINDOW = timedelta(minutes=10)
#: Leading audience terms of a `BC` message: `all`, or KEY:VALUE with VALUE maybe quoted.
AUDIENCE_TERM = re.compile(r'\s*(all\b|[a-z_]+:(?:"[^"]*"|[^\s"]+))', re.IGNORECASE)
STAFF = frozenset({Role.STAFF})
MSG_STAFF_ONLY = N_("Only registered staff phones can send broadcasts. Help: {help_phone}")
MSG_BC_FORMAT = N_("Write who, then the text. Example: BC district:Rubavu role:leader Inama ejo")
MSG_BC_AUDIENCE = N_(
    "'{audience}' is not an audience. Use all, district:, sector:, vsla:, cooperative:, vtc:, "
    "role: or language:. Example: BC district:Rubavu Inama ejo"
)
MSG_BC_UNKNOWN = N_("Not found: {names}. Check the spelling. Example: BC district:Rubavu Inama ejo")
MSG_BC_NOBODY = N_("Nobody is in that audience. Example: BC district:Rubavu Inama ejo")
MSG_BC_PREVIEW = N_(
    "{people} people, {sms} SMS, about {cost}. To send it, reply YES within 10 minutes."
)
MSG_BC_SENT = N_("Sending to {people} people (broadcast {number}).")
MSG_BC_NOTHING = N_("Nothing to send. First send BC, who, then the text.")


def split_audience(raw: str) -> tuple[str, str]:
    """`district:Rubavu role:leader Inama ejo` -> (`district:Rubavu role:leader`, `Inama ejo`)."""
    terms, pos = [], 0
    while (found := AUDIENCE_TERM.match(raw, pos)) is not None:
        terms.append(found.group(1))
        pos = found.end()
    return " ".join(terms), raw[pos:].strip()


def preview_broadcast(request: Request) -> str:
    """Store the staff member's broadcast as a draft and answer with its reach and cost."""
    audience, text = split_audience(request.values.get("message", ""))
    if not audience or not text:
        return request.t(MSG_BC_FORMAT)
    try:
        missing = unknown_names(request.session, parse(audience))
    except BadAudience:
        return request.t(MSG_BC_AUDIENCE, audience=audience)
    if missing:
        return request.t(MSG_BC_UNKNOWN, names=", ".join(missing))
    seen = broadcasts.preview(request.session, request.settings, audience, {request.lang: text})
    if not seen.recipients:
        return request.t(MSG_BC_NOBODY)
    for earlier in pending_drafts(request):
        earlier.status = BroadcastStatus.CANCELLED
    broadcasts.draft(
        request.session,
        request.settings,
        audience,
        {request.lang: text},
        created_by_id=request.sender.id,
    )
    return request.t(
        MSG_BC_PREVIEW,
        people=seen.recipients,
        sms=seen.total_segments,
        cost=format_money(round(seen.estimated_cost), request.lang),
    )


def confirm_broadcast(request: Request) -> str:
    """Send the sender's latest draft from the last 10 minutes."""
    drafts = pending_drafts(request)
    if not drafts:
        return request.t(MSG_BC_NOTHING)
    sent = broadcasts.release(request.session, drafts[0])
    return request.t(MSG_BC_SENT, people=sent.recipients, number=sent.id)


def pending_drafts(request: Request) -> list[Broadcast]:
    """The sender's drafts still waiting for YES, newest first."""
    query = (
        select(Broadcast)
        .where(
            Broadcast.created_by_id == request.sender.id,
            Broadcast.status == BroadcastStatus.DRAFT,
            Broadcast.created_at >= utcnow() - CONFIRM_WINDOW,
        )
        .order_by(Broadcast.id.desc())
    )
    return list(request.session.scalars(query))


# -- the declarations --------------------------------------------------------------------------

COMMANDS: tuple[Command, ...] = (
    Command(
        "absence",
        keywords={"rw": ("SIBA",), "en": ("ABS", "ABSENT"), "fr": ("ABSENCE",)},
        fields=(
            Field(
                "codes",
                CODE,
                many=True,
                missing=N_("Write the codes of the absent trainees. Example: ABS T0042 T0107"),
                invalid=N_("'{word}' is not a trainee code. Example: ABS T0042 T0107"),
            ),
            DAY_FIELD,
            Field("reason", REASON, required=False),
        ),
        rules=(
            Rule(
                "not_future",
                not_future,
                N_(
                    "{day} has not come yet. Report an absence on the day or after. "
                    "Example: ABS T0042 25/11"
                ),
            ),
        ),
        roles=TRAINERS,
        forbidden=MSG_TRAINERS_ONLY,
        summary=N_("ABS T0042 25/11 (absent)"),
        handler=report_absence,
    ),
    Command(
        "presence",
        keywords={"rw": ("YAJE",), "en": ("PRESENT",), "fr": ("PRESENCE",)},
        fields=(
            Field(
                "codes",
                CODE,
                many=True,
                required=False,
                invalid=N_("'{word}' is not a trainee code. Example: PRESENT T0042 25/11"),
            ),
            DAY_FIELD,
        ),
        rules=(
            Rule(
                "not_future",
                not_future,
                N_("{day} has not come yet. Example: PRESENT T0042 25/11"),
            ),
        ),
        roles=TRAINERS,
        forbidden=MSG_TRAINERS_ONLY,
        summary=N_("PRESENT T0042 (came)"),
        handler=report_presence,
    ),
    Command(
        "language",
        keywords={"rw": ("URURIMI",), "en": ("LANG", "LANGUAGE"), "fr": ("LANGUE",)},
        fields=(
            Field(
                "language",
                LANGUAGE,
                missing=N_("Write the language: RW, EN or FR. Example: LANG EN"),
                invalid=N_("'{word}' is not a language. Write RW, EN or FR. Example: LANG EN"),
            ),
        ),
        summary=N_("LANG EN (language)"),
        handler=change_language,
    ),
    Command(
        "stop",
        keywords={"rw": ("HAGARIKA",), "en": ("STOP",), "fr": ("ARRET",)},
        summary=N_("STOP (no reminders)"),
        handler=opt_out,
        reply_unregistered=False,
    ),
    Command(
        "start",
        keywords={"rw": ("TANGIRA",), "en": ("START",)},
        summary=N_("START (reminders again)"),
        handler=opt_in,
    ),
    Command(
        "broadcast",
        keywords={"rw": ("BC",), "en": ("BC",), "fr": ("BC",)},
        fields=(Field("message", TEXT),),
        roles=STAFF,
        forbidden=MSG_STAFF_ONLY,
        summary=N_("BC district:Rubavu TEXT (broadcast)"),
        handler=preview_broadcast,
    ),
    Command(
        "confirm",
        keywords={"rw": ("YEGO",), "en": ("YES",), "fr": ("OUI",)},
        roles=STAFF,
        forbidden=MSG_STAFF_ONLY,
        handler=confirm_broadcast,
    ),
    Command(
        "help",
        keywords={"rw": ("UBUFASHA",), "en": ("HELP",), "fr": ("AIDE",)},
        handler=show_help,
    ),
)

INTERPRETER = Interpreter(COMMANDS)
