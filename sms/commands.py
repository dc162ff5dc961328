"""The SMS commands, declared as data, and their small handlers.

Adding a command is adding one `Command(...)` to `COMMANDS` (keywords per language, fields,
rules with their replies, roles, a HELP line) and, at most, one handler. `INTERPRETER` runs
them all (sms.interpreter).
"""

from __future__ import annotations

from datetime import date

from locales import N_
from models import Channel, Language, Role, utcnow
from models.attendance import Outcome, Result, record_absences, record_presence
from sms.interpreter import (
    CODE,
    DAY,
    LANGUAGE,
    Command,
    Field,
    Interpreter,
    Request,
    Rule,
    fit,
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


def report_absence(request: Request) -> str:
    day = request.values.get("day", request.today)
    results = record_absences(
        request.session,
        request.sender,
        request.values["codes"],
        day,
        today=request.today,
        channel=Channel.SMS,
        inbound_sms_id=request.inbound.id,
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
    person = request.sender
    if not person.opted_out:
        person.opted_out, person.opted_out_at = True, utcnow()
    return request.t(MSG_STOPPED)


def opt_in(request: Request) -> str:
    person = request.sender
    person.opted_out, person.opted_out_at = False, None
    return request.t(MSG_STARTED)


def change_language(request: Request) -> str:
    request.sender.language = Language(request.values["language"])
    request.lang = request.values["language"]
    return request.t(MSG_LANGUAGE_SET)


def show_help(request: Request) -> str:
    return request.interpreter.help_text(request)


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
        "help",
        keywords={"rw": ("UBUFASHA",), "en": ("HELP",), "fr": ("AIDE",)},
        handler=show_help,
    ),
)

INTERPRETER = Interpreter(COMMANDS)
