"""A trainer reports absent trainees: pick them, choose the day, confirm.

Recorded through `services.attendance.report_absences`, the same path SMS reports take.
"""

from __future__ import annotations

from datetime import date, timedelta
from zoneinfo import ZoneInfo

from locales import N_
from locales.formatting import format_day
from menus.engine import Choice, Go, Item, Screen, Step, Visit
from models import AbsenceReason, Channel
from models.attendance import Outcome, trainees_of
from models.tvet import REASON_LABELS
from services.attendance import report_absences

#: Days a trainer may report on: today and the 6 before it.
DAYS_BACK = 6


def _today(visit: Visit) -> date:
    return visit.now.astimezone(ZoneInfo(visit.settings.tz)).date()


def _trainees(visit: Visit) -> list[Item]:
    assert visit.person is not None
    chosen = set(visit.data.get("codes", []))
    return [
        Item(f"{t.code} {t.person.name}", t.code)
        for t in trainees_of(visit.db, visit.person)
        if t.code not in chosen
    ]


def _none_left(visit: Visit) -> str:
    if _trainees(visit):
        return ""
    return visit.t(N_("No trainee left to choose."))


def _pick(visit: Visit, code: str) -> Step:
    return Go("absence_picked", data={"codes": [*visit.data.get("codes", []), code]})


def _days(visit: Visit) -> list[Item]:
    today = _today(visit)
    days = [today - timedelta(days=n) for n in range(DAYS_BACK + 1)]
    return [Item(format_day(day, visit.lang), day.isoformat()) for day in days]


#: The first item of the day list: back to the trainees, to add one more.
ANOTHER = N_("Add another trainee")


def _another_or_days(visit: Visit) -> list[Item]:
    return [Item(visit.t(ANOTHER), None), *_days(visit)]


def _picked_day(visit: Visit, day: str | None) -> Step:
    if day is None:
        return Go("absence_pick")
    return Go("absence_confirm", data={"day": day})


def _summary(visit: Visit) -> dict[str, object]:
    day = visit.data.get("day")
    when = format_day(date.fromisoformat(day), visit.lang) if day else "-"
    return {"codes": ", ".join(visit.data.get("codes", [])), "day": when}


def _reasons(visit: Visit) -> list[Item]:
    """The known reasons, each confirming the report with it ("Confirm" alone: not known)."""
    return [
        Item(visit.t(label), reason.value)
        for reason, label in REASON_LABELS.items()
        if reason is not AbsenceReason.UNKNOWN
    ]


def _record_with(visit: Visit, reason: str) -> Step:
    visit.data["reason"] = reason
    return _record(visit)


def _record(visit: Visit) -> Step:
    assert visit.person is not None
    results = report_absences(
        visit.db,
        visit.settings,
        visit.person,
        visit.data.get("codes", []),
        date.fromisoformat(visit.data["day"]),
        today=_today(visit),
        channel=Channel.USSD,
        reason=AbsenceReason(visit.data.get("reason", AbsenceReason.UNKNOWN.value)),
    )

    def named(outcome: Outcome) -> list[str]:
        return [
            f"{r.code} {r.trainee.person.name}" if r.trainee else r.code
            for r in results
            if r.outcome is outcome
        ]

    refused = [r.code for r in results if r.outcome not in (Outcome.RECORDED, Outcome.ALREADY)]
    outcome = {
        "recorded": named(Outcome.RECORDED),
        "already": named(Outcome.ALREADY),
        "refused": refused,
    }
    return Go("absence_done", data={"outcome": outcome}, replace=True)


#: The result lines, in order: which outcome list each one shows.
RESULT_LINES = (
    ("recorded", N_("Recorded absent on {day}: {names}.")),
    ("already", N_("Already reported: {names}.")),
    ("refused", N_("Not recorded: {names}.")),
)


def _done(visit: Visit) -> str:
    outcome, day = visit.data.get("outcome", {}), _summary(visit)["day"]
    return "\n".join(
        visit.t(message, day=day, names=", ".join(outcome[key]))
        for key, message in RESULT_LINES
        if outcome.get(key)
    )


SCREENS = [
    Screen(
        "absence_pick",
        text=N_("Choose an absent trainee:"),
        body=_none_left,
        items=_trainees,
        pick=_pick,
    ),
    Screen(
        "absence_picked",
        text=N_("Absent: {codes}. Which day?"),
        values=_summary,
        items=_another_or_days,
        pick=_picked_day,
    ),
    Screen(
        "absence_confirm",
        text=N_("Record {codes} absent on {day}?"),
        values=_summary,
        items=_reasons,
        pick=_record_with,
        choices=(Choice(N_("Confirm"), _record),),
    ),
    Screen("absence_done", body=_done, end=True),
]
