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
from locales.formatting import format_date, format_money, format_when
from models import (
    AbsenceReason,
    Attendance,
    Broadcast,
    BroadcastStatus,
    Channel,
    FineKind,
    Role,
    VslaOffice,
    try_normalize_phone,
    utcnow,
)
from models.attendance import Outcome, Result, record_presence
from models.audience import BadAudience, parse, unknown_names
from models.pins import check_pin
from services import broadcasts, constitution, disputes, meetings
from services.attendance import report_absences
from services.book_ledger import Actor, BookError
from services.gsm7 import fit
from services.people import set_language, set_opted_out
from sms.interpreter import (
    CODE,
    DAY,
    LANGUAGE,
    TEXT,
    BadValue,
    Command,
    Field,
    Interpreter,
    Kind,
    Request,
    Rule,
    parse_day,
)

# -- attendance --------------------------------------------------------------------------------

#: One reply line per outcome, in this order; `{who}` lists the trainees, `{day}` is 25/11.
OUTCOME_LINES: dict[Outcome, str] = {
    Outcome.RECORDED: N_("Absent on {day}: {who}."),
    Outcome.REMOVED: N_("Corrected, present on {day}: {who}."),
    Outcome.ALREADY: N_("Already reported absent on {day}: {who}."),
    Outcome.NOT_ABSENT: N_("Was not recorded absent on {day}: {who}."),
    Outcome.UNKNOWN: N_("No trainee has the code {who}. Check it on your list and send again."),
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
    """STOP is the phone's: everyone on a shared phone (the outbox checks opt-outs per number,
    and the network's own blacklist is per number too)."""
    for person in request.people or [request.sender]:
        set_opted_out(person, True)
    return request.t(MSG_STOPPED)


def opt_in(request: Request) -> str:
    for person in request.people or [request.sender]:
        set_opted_out(person, False)
    return request.t(MSG_STARTED)


def change_language(request: Request) -> str:
    set_language(request.sender, request.values["language"])
    request.lang = request.values["language"]
    return request.t(MSG_LANGUAGE_SET)


def keeps_books(request: Request) -> bool:
    """The group's record-keepers: their HELP lists the books commands instead of STOP/START,
    so that it stays one SMS."""
    return bool(constitution.offices(request.session, request.sender) & RECORD_KEEPERS)


def in_a_group(request: Request) -> bool:
    return request.sender.vsla_id is not None


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
    "{people} people, {sms} SMS, about {cost}. To send it, reply YES and your PIN "
    "(YES 1234) within 10 minutes."
)
MSG_BC_PIN = N_("To send the broadcast, reply YES and your PIN, e.g. YES 1234.")
MSG_BC_WRONG_PIN = N_("Wrong PIN, nothing sent. Tries left: {n}.")
MSG_BC_LOCKED = N_("Your PIN is locked until {until}; nothing sent. Help: {help_phone}")
MSG_BC_NO_PIN = N_("Broadcasts need your PIN. First choose one: dial {ussd}.")
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
    """Send the sender's latest draft from the last 10 minutes, on `YES` and the sender's PIN
    (the USSD PIN, with its lockout), so a forged or stolen-phone SMS cannot broadcast. The
    PIN is masked in the stored message once read."""
    pin = request.values.get("pin", "").strip()
    request.inbound.text = re.sub(r"\d", "*", request.inbound.text)
    drafts = pending_drafts(request)
    if not drafts:
        return request.t(MSG_BC_NOTHING)
    person, settings = request.sender, request.settings
    if not person.pin_hash:
        return request.t(MSG_BC_NO_PIN, ussd=settings.ussd_service_code)
    if not pin:
        return request.t(MSG_BC_PIN)
    result = check_pin(
        person,
        pin,
        utcnow(),
        max_failures=settings.pin_max_failures,
        lock_hours=settings.pin_lock_hours,
        pepper=settings.pin_pepper,
    )
    if result.locked_until is not None:
        until = format_when(result.locked_until, request.lang, settings.tz)
        return request.t(MSG_BC_LOCKED, until=until, help_phone=settings.help_phone)
    if not result.ok:
        return request.t(MSG_BC_WRONG_PIN, n=result.tries_left)
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

# -- savings group books ----------------------------------------------------------------------


def open_dispute(request: Request) -> str:
    """SIBYO / WRONG / FAUX: the member's last receipt is wrong; the officers are told."""
    try:
        _dispute, meeting = disputes.open_dispute(
            request.session,
            request.settings,
            request.sender,
            request.values.get("text") or "",
            request.today,
        )
    except BookError as error:
        return request.t(error.code, **error.values)
    vsla = request.sender.vsla
    return request.t(
        disputes.NOTED,
        group=vsla.name[:12] if vsla else "-",
        date=format_date(meeting.held_on),
    )


MEET_EXAMPLE = N_("Example: MEET 0788100001 S3 G200 K5000 A0")
MEET_ONLY = N_("Only the group's secretary records the meeting. Help: {help_phone}")
MEET_MEMBER = N_("Write the member's phone number or their number on the list.")
MEET_UNKNOWN = N_("{who} is not a member of {group}.")
MEET_SHARED = N_("{who} is the phone of several members: write their number on the list.")
MEET_WORD = N_("'{word}' is not understood: write S, G, K or A and a number.")
MEET_EMPTY = N_("Write at least one: S (shares), G (social fund), K (repaid), A (fine) or ABSENT.")
MEET_CLOSED = N_("The meeting of {date} is closed. Reopen it on {ussd}.")
MEET_SAVED = N_(
    "Saved {number} {name}: shares {shares} ({value} Frw), social {social}, repaid {repaid}, "
    "fine {fine}. Meeting {date}: {done}/{total}."
)
MEET_CORRECTED = N_(
    "Corrected {number} {name}: shares {shares} ({value} Frw), social {social}, "
    "repaid {repaid}, fine {fine}. Meeting {date}: {done}/{total}."
)
_TAG = re.compile(r"^([SGKA])(\d+)$")
_PHONE = re.compile(r"^(\+?250|0)7\d{8}$")
ABSENT_WORDS = {"SIBA", "ABS", "ABSENT", "ABSENCE"}
RECORD_KEEPERS = {VslaOffice.SECRETARY, VslaOffice.CHAIRPERSON}


def record_meeting(request: Request) -> str:
    """INAMA / MEET / REUNION: one member's entry at today's meeting, in one SMS."""
    sender = request.sender
    if not constitution.offices(request.session, sender) & RECORD_KEEPERS:
        return request.t(MEET_ONLY, help_phone=request.settings.help_phone)
    example = request.t(MEET_EXAMPLE)
    text = re.sub(r"(?<=\d)[,.](?=\d{3}\b)", "", request.values.get("text") or "")
    who, tags, absent, day = None, {}, False, request.today
    for word in text.upper().split():
        tag = _TAG.match(word)
        if tag:
            tags[tag[1]] = (word, int(tag[2]))
        elif word in ABSENT_WORDS:
            absent = True
        elif "/" in word:
            try:
                day = parse_day(word, request.today)
            except BadValue:
                return f"{request.t(MEET_WORD, word=word)} {example}"
        elif who is None and (_PHONE.match(word) or (word.isdigit() and len(word) <= 3)):
            who = word
        else:
            return f"{request.t(MEET_WORD, word=word)} {example}"
    if who is None:
        return f"{request.t(MEET_MEMBER)} {example}"
    if not tags and not absent:
        return f"{request.t(MEET_EMPTY)} {example}"
    vsla = sender.vsla
    assert vsla is not None
    session, actor = request.session, Actor(sender.id, Channel.SMS)
    meeting = meetings.current(session, vsla.id)
    if meeting is None:
        last = meetings.last(session, vsla.id)
        if last is not None and last.held_on >= day:
            ussd = request.settings.ussd_service_code
            return request.t(MEET_CLOSED, date=format_date(last.held_on), ussd=ussd)
        try:
            meeting = meetings.open_(session, request.settings, vsla, day, actor)
        except BookError as error:
            return f"{request.t(error.code, **error.values)} {example}"
    listed = meetings.members(session, meeting)
    if _PHONE.match(who):
        phone = try_normalize_phone(who)
        on_phone = [m for m in listed if m.person.phone == phone]
        if len(on_phone) > 1:
            return f"{request.t(MEET_SHARED, who=who)} {example}"
        found = on_phone[0] if on_phone else None
    else:
        found = next((m for m in listed if m.number == int(who)), None)
    if found is None:
        return f"{request.t(MEET_UNKNOWN, who=who, group=vsla.name[:16])} {example}"
    get = {k: v[1] for k, v in tags.items()}
    money = any(get.values())
    attendance = Attendance.PRESENT
    if absent:
        attendance = Attendance.REPRESENTED if money else Attendance.ABSENT
    values = meetings.EntryInput(
        attendance,
        shares=get.get("S", 0),
        social_fund=get.get("G", 0),
        repayment=get.get("K", 0),
        fine=get.get("A", 0),
        fine_kind=FineKind.OTHER if get.get("A") else None,
    )
    before = meetings.entries(session, meeting).get(found.person_id)
    try:
        saved = meetings.record(session, meeting, found.person, values, actor)
    except BookError as error:
        field = {"S": meetings.BAD_SHARES, "G": meetings.BAD_SOCIAL, "K": meetings.OVER_OWED}
        blamed = next((tags[k][0] for k, code in field.items() if code == error.code), None)
        if error.code == meetings.NO_LOAN:
            blamed = tags.get("K", ("K",))[0]
        line = request.t(error.code, **error.values)
        return f"{blamed}: {line} {example}" if blamed else f"{line} {example}"
    cycle = meeting.cycle
    done = meetings.entries(session, meeting)
    corrected = before is not None and saved.changed
    return request.t(
        MEET_CORRECTED if corrected else MEET_SAVED,
        number=found.number,
        name=found.person.name[:19],
        shares=values.shares,
        value=f"{values.shares * cycle.share_value:,}",
        social=f"{values.social_fund:,}",
        repaid=f"{values.repayment:,}",
        fine=f"{values.fine:,}",
        date=format_date(meeting.held_on),
        done=sum(1 for m in listed if m.person_id in done),
        total=len(listed),
    )


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
        in_help=lambda request: not keeps_books(request),
        handler=opt_out,
        reply_unregistered=False,
        per_phone=True,
    ),
    Command(
        "start",
        keywords={"rw": ("TANGIRA",), "en": ("START",)},
        summary=N_("START (reminders again)"),
        in_help=lambda request: not keeps_books(request),
        handler=opt_in,
        per_phone=True,
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
        fields=(Field("pin", TEXT, required=False),),
        roles=STAFF,
        forbidden=MSG_STAFF_ONLY,
        handler=confirm_broadcast,
    ),
    Command(
        "dispute",
        keywords={"rw": ("SIBYO",), "en": ("WRONG",), "fr": ("FAUX",)},
        fields=(Field("text", TEXT, required=False),),  # every receipt says how to use it
        summary=N_("WRONG (a wrong receipt)"),
        in_help=in_a_group,
        handler=open_dispute,
    ),
    Command(
        "meeting",
        keywords={"rw": ("INAMA",), "en": ("MEET",), "fr": ("REUNION",)},
        fields=(Field("text", TEXT, required=False),),  # read by the handler, word by word
        summary=N_("MEET 0788100001 S3 G200 K5000 A0 (meeting)"),
        in_help=keeps_books,
        handler=record_meeting,
    ),
    Command(
        "help",
        keywords={"rw": ("UBUFASHA",), "en": ("HELP",), "fr": ("AIDE",)},
        handler=show_help,
    ),
)

INTERPRETER = Interpreter(COMMANDS)
