"""Reminder rules, declared as data (the engine that runs them is `services.reminders`).

A rule names the objects it looks at (`source`: the occasions in a time range), who hears of
each (`audience`: a query for people), when (`timing`: a Kigali wall-clock time some days
before, or some hours before, or at once) and what they read (`message`: a catalogue msgid,
filled per person in their language by `values`). Adding a reminder is adding a rule here.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import Session

from locales import N_, translate
from locales.formatting import format_date, format_day, format_money, format_time, short
from models import (
    Cooperative,
    Instalment,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Officer,
    Person,
    PersonRole,
    Role,
    Stage,
    StageChange,
    Trainee,
    TraineeStatus,
    Training,
    Vsla,
    VslaOffice,
    loans_owed,
)
from models.at_risk import monday
from models.audience import BadAudience, parse, parse_training, people
from models.books import loan_paid
from models.registration import NEXT_STEPS, WAITING_ON, stage_label
from models.texts import text_in
from runtime.settings import Settings
from services.attendance import trainers_missing_report

log = logging.getLogger(__name__)

#: Trainees with these statuses get no training reminders.
INACTIVE_TRAINEES = (TraineeStatus.REPLACED, TraineeStatus.DROPPED, TraineeStatus.GRADUATED)
#: Registration stages that end the road (never "stalled").
FINAL_STAGES = (Stage.CERTIFIED, Stage.REJECTED)
#: The stalled-registration digest goes out on Mondays at 08:00 Kigali time.
DIGEST_WEEKDAY, DIGEST_TIME = 0, time(8, 0)
#: How many of the longest-stalled cooperatives the digest names, and how much of each name.
DIGEST_OLDEST, DIGEST_NAME_CHARS = 3, 20
#: Trainers who sent no attendance report this week hear of it on Fridays at 16:00 Kigali time.
REPORT_WEEKDAY, REPORT_TIME = 4, time(16, 0)
#: A borrower hears of an unpaid instalment the day after it was due, at 09:00 Kigali time.
OVERDUE_TIME = time(9, 0)


@dataclass(frozen=True)
class Occasion:
    """What a rule reminds people of: `key` names the object and its date, `at` is when it
    happens, `subject` is what the audience and the text are built from, `label` is for staff."""

    key: str
    at: datetime
    subject: Any
    label: str


@dataclass(frozen=True)
class Timing:
    """When to remind: `days_before` the event's day at `at` (local time), or `hours_before`
    the event; neither: at the event's own time (at once)."""

    days_before: int = 0
    at: time | None = None
    hours_before: int = 0

    @property
    def lead_max(self) -> timedelta:
        """The longest time between a reminder and its event."""
        if self.at is not None:
            return timedelta(days=self.days_before + 1)
        return timedelta(hours=self.hours_before)

    def send_at(self, event: datetime, tz: ZoneInfo) -> datetime:
        """The reminder time for an event at `event`, before quiet hours apply."""
        if self.at is not None:
            day = event.astimezone(tz).date() - timedelta(days=self.days_before)
            return datetime.combine(day, self.at, tz).astimezone(UTC)
        return event - timedelta(hours=self.hours_before)


AT_ONCE = Timing()

Source = Callable[[Session, datetime, datetime, Settings], Iterable[Occasion]]
Values = Callable[[Any, str, ZoneInfo], dict[str, object]]


@dataclass(frozen=True)
class Rule:
    """One kind of reminder. `source` is None for rules fired by an event (`deliver`)."""

    name: str
    source: Source | None
    audience: Callable[[Any], Select[tuple[Person]]]
    timing: Timing
    message: str
    values: Values


# --- What the rules look at -------------------------------------------------------------


@dataclass(frozen=True)
class Meeting:
    vsla: Vsla
    at: datetime


@dataclass(frozen=True)
class LoanDue:
    entry: LedgerEntry
    owed: int


@dataclass(frozen=True)
class InstalmentDue:
    """An instalment of a group's loan with something left on it."""

    instalment: Instalment
    left: int  # left on this instalment
    loan_left: int  # left on the whole loan


@dataclass(frozen=True)
class ReportWeek:
    """A week whose attendance reports are due; `day` is the day of the reminder (Friday)."""

    day: date


@dataclass(frozen=True)
class StalledDigest:
    days: int
    count: int
    oldest: tuple[tuple[str, int], ...]  # (cooperative name, days at its stage)


@dataclass(frozen=True)
class OfficialDigest:
    """What waits on one local leader's office: cooperatives of their sector or district."""

    person_id: int
    area: str
    count: int
    oldest: tuple[tuple[str, int], ...]  # (cooperative name, days at its stage), longest first


def _local_days(start: datetime, end: datetime, tz: ZoneInfo) -> list[date]:
    first, last = start.astimezone(tz).date(), end.astimezone(tz).date()
    return [first + timedelta(days=n) for n in range((last - first).days + 1)]


def _at(day: date, moment: time, tz: ZoneInfo) -> datetime:
    return datetime.combine(day, moment, tz).astimezone(UTC)


def training_sessions(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    tz = ZoneInfo(settings.tz)
    query = select(Training).where(Training.starts_at >= start, Training.starts_at <= end)
    for training in session.scalars(query.order_by(Training.starts_at, Training.id)):
        try:
            parse_training(training.audience)
        except BadAudience as exc:
            log.warning("training %s: no reminders: %s", training.id, exc)
            continue
        day = training.starts_at.astimezone(tz).date()
        label = f"{training.topic} ({training.audience})"
        yield Occasion(f"training:{training.id}:{day}", training.starts_at, training, label)


def vsla_meetings(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    tz = ZoneInfo(settings.tz)
    days = _local_days(start, end, tz)
    query = select(Vsla).where(
        Vsla.meeting_day.in_({day.weekday() for day in days}), Vsla.meeting_time.is_not(None)
    )
    for vsla in session.scalars(query.order_by(Vsla.id)):
        for day in days:
            assert vsla.meeting_time is not None
            at = _at(day, vsla.meeting_time, tz)
            if day.weekday() == vsla.meeting_day and start <= at <= end:
                yield Occasion(f"vsla:{vsla.id}:{day}", at, Meeting(vsla, at), vsla.name)


def loans_falling_due(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    tz = ZoneInfo(settings.tz)
    days = _local_days(start, end, tz)
    query = select(LedgerEntry).where(
        LedgerEntry.kind == LedgerKind.LOAN,
        LedgerEntry.due_date >= days[0],
        LedgerEntry.due_date <= days[-1],
    )
    for entry in session.scalars(query.order_by(LedgerEntry.due_date, LedgerEntry.id)):
        assert entry.due_date is not None
        at = _at(entry.due_date, time(0, 0), tz)
        loans = loans_owed(session, entry.person_id)
        owed = next((loan.owed for loan in loans if loan.entry_id == entry.id), 0)
        if owed and start <= at <= end:
            label = f"{entry.vsla.name}: {entry.person.name} owes {owed} RWF"
            yield Occasion(f"loan:{entry.id}:{entry.due_date}", at, LoanDue(entry, owed), label)


def _instalments_due_on(session: Session, days: list[date]) -> Iterator[InstalmentDue]:
    """Instalments of active loans due on `days` and not covered by the payments so far."""
    query = (
        select(Instalment)
        .join(Loan, Loan.id == Instalment.loan_id)
        .where(Loan.status == LoanStatus.ACTIVE, Instalment.due_on.in_(days))
        .order_by(Instalment.due_on, Instalment.id)
    )
    for instalment in session.scalars(query):
        loan = instalment.loan
        paid = loan_paid(session, loan.id)
        through = sum(
            i.principal + i.charge for i in loan.instalments if i.number <= instalment.number
        )
        total = loan.principal + loan.charge
        left = min(through - paid, instalment.principal + instalment.charge)
        if left > 0:
            yield InstalmentDue(instalment, left, total - paid)


def instalments_falling_due(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    tz = ZoneInfo(settings.tz)
    for due in _instalments_due_on(session, _local_days(start, end, tz)):
        day = due.instalment.due_on
        at = _at(day, time(0, 0), tz)
        if start <= at <= end:
            label = f"{due.instalment.loan.person.name} owes {due.left} RWF on {day}"
            yield Occasion(f"instalment:{due.instalment.id}:{day}", at, due, label)


def overdue_since(days_late: int, tag: str) -> Source:
    """Instalments due `days_late` days before a day and still not covered, at 09:00 of it."""

    def source(
        session: Session, start: datetime, end: datetime, settings: Settings
    ) -> Iterator[Occasion]:
        tz = ZoneInfo(settings.tz)
        for day in _local_days(start, end, tz):
            at = _at(day, OVERDUE_TIME, tz)
            if not start <= at <= end:
                continue
            for due in _instalments_due_on(session, [day - timedelta(days=days_late)]):
                label = f"{due.instalment.loan.person.name}: {due.left} RWF overdue"
                yield Occasion(f"{tag}:{due.instalment.id}", at, due, label)

    return source


def stalled_registrations(session: Session, today: date, days: int) -> StalledDigest:
    """Cooperatives whose registration stage has not changed for `days` days or more."""
    stalled = (
        Cooperative.stage.not_in(FINAL_STAGES),
        Cooperative.stage_date <= today - timedelta(days=days),
    )
    count = session.scalar(select(func.count(Cooperative.id)).where(*stalled)) or 0
    oldest = session.execute(
        select(Cooperative.name, Cooperative.stage_date)
        .where(*stalled)
        .order_by(Cooperative.stage_date, Cooperative.id)
        .limit(DIGEST_OLDEST)
    )
    return StalledDigest(
        days, count, tuple((name, (today - since).days) for name, since in oldest if since)
    )


def weekly_stalled_digest(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    tz = ZoneInfo(settings.tz)
    for day in _local_days(start, end, tz):
        at = _at(day, DIGEST_TIME, tz)
        if day.weekday() != DIGEST_WEEKDAY or not start <= at <= end:
            continue
        digest = stalled_registrations(session, day, settings.stalled_registration_days)
        if digest.count:
            yield Occasion(f"stalled:{day}", at, digest, f"{digest.count} cooperatives stalled")


def officials_waiting(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    """On Mondays 08:00, one occasion per sector or district official whose area has
    cooperatives waiting on their office (`WAITING_ON`)."""
    tz = ZoneInfo(settings.tz)
    levels = (
        (Role.SECTOR_OFFICIAL, "sector", Person.sector_id, Cooperative.sector_id, "sector"),
        (
            Role.DISTRICT_OFFICIAL,
            "district",
            Person.district_id,
            Cooperative.district_id,
            "district",
        ),
    )
    for day in _local_days(start, end, tz):
        at = _at(day, DIGEST_TIME, tz)
        if day.weekday() != DIGEST_WEEKDAY or not start <= at <= end:
            continue
        for role, level, mine, theirs, relation in levels:
            stages = [stage for stage, who in WAITING_ON.items() if who == level]
            officials = session.scalars(
                select(Person)
                .join(PersonRole, PersonRole.person_id == Person.id)
                .where(PersonRole.role == role, mine.is_not(None))
                .order_by(Person.id)
            )
            for official in officials:
                area_id = getattr(official, mine.key)
                rows = session.execute(
                    select(Cooperative.name, Cooperative.stage_date)
                    .where(theirs == area_id, Cooperative.stage.in_(stages))
                    .order_by(Cooperative.stage_date, Cooperative.id)
                ).all()
                if not rows:
                    continue
                place = getattr(official, relation)
                oldest = tuple(
                    (name, (day - since).days if since else 0)
                    for name, since in rows[:DIGEST_OLDEST]
                )
                subject = OfficialDigest(
                    official.id, place.name if place else "-", len(rows), oldest
                )
                key = f"officials:{official.id}:{level}:{day}"
                yield Occasion(
                    key, at, subject, f"{official.name}: {len(rows)} cooperatives waiting"
                )


def missing_report_weeks(
    session: Session, start: datetime, end: datetime, settings: Settings
) -> Iterator[Occasion]:
    """The Fridays 16:00 in the range of a week in which some trainer has not reported yet."""
    tz = ZoneInfo(settings.tz)
    for day in _local_days(start, end, tz):
        at = _at(day, REPORT_TIME, tz)
        if day.weekday() != REPORT_WEEKDAY or not start <= at <= end:
            continue
        missing = trainers_missing_report(day).with_only_columns(func.count()).order_by(None)
        if session.scalar(missing):
            label = f"trainers without a report for the week of {monday(day):%d/%m}"
            yield Occasion(f"week:{monday(day)}", at, ReportWeek(day), label)


# --- Who hears of it ----------------------------------------------------------------------


def training_audience(training: Training) -> Select[tuple[Person]]:
    """The training's audience, less trainees replaced, dropped or graduated."""
    inactive = select(Trainee.person_id).where(Trainee.status.in_(INACTIVE_TRAINEES))
    active = select(Trainee.person_id).where(Trainee.status.not_in(INACTIVE_TRAINEES))
    return people(parse_training(training.audience)).where(
        or_(Person.id.not_in(inactive), Person.id.in_(active))
    )


def vsla_members(meeting: Meeting) -> Select[tuple[Person]]:
    """Everyone in the group: members and leaders."""
    return select(Person).where(Person.vsla_id == meeting.vsla.id).order_by(Person.id)


def borrower(loan: LoanDue) -> Select[tuple[Person]]:
    return select(Person).where(Person.id == loan.entry.person_id)


def instalment_borrower(due: InstalmentDue) -> Select[tuple[Person]]:
    return select(Person).where(Person.id == due.instalment.loan.person_id)


def group_chairperson(due: InstalmentDue) -> Select[tuple[Person]]:
    chairs = select(Officer.person_id).where(
        Officer.vsla_id == due.instalment.loan.vsla_id, Officer.office == VslaOffice.CHAIRPERSON
    )
    return select(Person).where(Person.id.in_(chairs)).order_by(Person.id)


def cooperative_members(change: StageChange) -> Select[tuple[Person]]:
    """Everyone in the cooperative, leaders included: registration news is theirs."""
    return select(Person).where(Person.cooperative_id == change.cooperative_id).order_by(Person.id)


def the_official(digest: OfficialDigest) -> Select[tuple[Person]]:
    return select(Person).where(Person.id == digest.person_id)


def staff(_digest: StalledDigest) -> Select[tuple[Person]]:
    return people(parse("role:staff"))


def trainers_owing_a_report(week: ReportWeek) -> Select[tuple[Person]]:
    return trainers_missing_report(week.day)


# --- What they read -----------------------------------------------------------------------


def _when(moment: datetime, lang: str, tz: ZoneInfo) -> dict[str, object]:
    local = moment.astimezone(tz)
    return {"day": format_day(local.date(), lang), "time": format_time(local.time(), lang)}


def training_values(training: Training, lang: str, tz: ZoneInfo) -> dict[str, object]:
    # unmarked: a reminder must stay one SMS (the USSD screens mark a missing translation)
    topic = text_in(training, "topic", lang, mark=False)
    venue = text_in(training, "venue", lang, mark=False)
    return {"topic": topic, "venue": venue, **_when(training.starts_at, lang, tz)}


def meeting_values(meeting: Meeting, lang: str, tz: ZoneInfo) -> dict[str, object]:
    place = meeting.vsla.meeting_place or "-"
    return {"vsla": meeting.vsla.name, "place": place, **_when(meeting.at, lang, tz)}


def loan_values(loan: LoanDue, lang: str, tz: ZoneInfo) -> dict[str, object]:
    assert loan.entry.due_date is not None
    return {
        "amount": format_money(loan.owed, lang),
        "day": format_day(loan.entry.due_date, lang),
        "vsla": loan.entry.vsla.name,
    }


def instalment_values(due: InstalmentDue, lang: str, tz: ZoneInfo) -> dict[str, object]:
    loan = due.instalment.loan
    vsla = loan.person.vsla
    return {
        "amount": format_money(due.left),
        "day": format_day(due.instalment.due_on, lang),
        "date": format_date(due.instalment.due_on),
        "vsla": vsla.name[:12] if vsla else "-",
        "borrower": loan.person.name[:19],
        "phone": loan.person.phone,
        "left": format_money(due.loan_left),
    }


def stage_values(change: StageChange, lang: str, tz: ZoneInfo) -> dict[str, object]:
    """The cooperative, its stage and next step; a rejection reason or certificate number is
    cut so that the SMS every member gets stays one SMS."""
    cooperative = change.cooperative
    next_text = translate(
        lang,
        NEXT_STEPS[cooperative.stage],
        certificate=short(cooperative.certificate_no or "-", 20),
        reason=short(cooperative.rejection_reason or "-", 30),
    )
    return {
        "cooperative": short(cooperative.name, 24),
        "stage": stage_label(change.stage, lang),
        "next_step": next_text,
    }


def digest_values(digest: StalledDigest, lang: str, tz: ZoneInfo) -> dict[str, object]:
    oldest = ", ".join(f"{name[:DIGEST_NAME_CHARS]} ({days})" for name, days in digest.oldest)
    return {"count": digest.count, "days": digest.days, "oldest": oldest}


MSG_OFFICIALS = N_(
    "{name}, {count} cooperatives of {area} wait for your office. Longest (days): {list}"
)


def official_values(digest: OfficialDigest, lang: str, tz: ZoneInfo) -> dict[str, object]:
    """The longest-waiting cooperatives, as many (3, 2, then 1) as fit one SMS."""
    values: dict[str, object] = {"count": digest.count, "area": short(digest.area, 20)}
    for n in range(len(digest.oldest), 0, -1):
        shown = ", ".join(f"{short(name, 20)} ({days})" for name, days in digest.oldest[:n])
        values["list"] = shown
        if len(translate(lang, MSG_OFFICIALS, name="x" * 20, **values)) <= 160:
            break
    return values


def no_values(_subject: object, lang: str, tz: ZoneInfo) -> dict[str, object]:
    return {}


# --- The rules ------------------------------------------------------------------------------

TRAINING_TOMORROW = Rule(
    name="training_tomorrow",
    source=training_sessions,
    audience=training_audience,
    timing=Timing(days_before=1, at=time(18, 0)),
    message=N_("{name}, reminder: training on {topic} tomorrow {day} at {time}, {venue}."),
    values=training_values,
)
#: The same sessions, audience and values as the day before; another time and text.
TRAINING_SOON = replace(
    TRAINING_TOMORROW,
    name="training_soon",
    timing=Timing(hours_before=2),
    message=N_("{name}, training on {topic} starts today at {time}, {venue}."),
)
VSLA_MEETING = Rule(
    name="vsla_meeting",
    source=vsla_meetings,
    audience=vsla_members,
    timing=Timing(days_before=1, at=time(18, 0)),
    message=N_("{name}, your savings group {vsla} meets tomorrow {day} at {time}, {place}."),
    values=meeting_values,
)
LOAN_REPAYMENT = Rule(
    name="loan_repayment",
    source=loans_falling_due,
    audience=borrower,
    timing=Timing(days_before=3, at=time(9, 0)),
    message=N_("{name}, your loan repayment of {amount} is due on {day} ({vsla})."),
    values=loan_values,
)
#: The same reminder for each instalment of a loan from a group's own books.
LOAN_INSTALMENT = replace(
    LOAN_REPAYMENT,
    name="loan_instalment",
    source=instalments_falling_due,
    audience=instalment_borrower,
    values=instalment_values,
)
LOAN_OVERDUE = Rule(
    name="loan_overdue",
    source=overdue_since(1, "overdue"),
    audience=instalment_borrower,
    timing=AT_ONCE,
    message=N_(
        "{name}, your loan payment of {amount} was due on {date} and is not paid ({vsla}). "
        "Please pay at the next meeting."
    ),
    values=instalment_values,
)
LOAN_OVERDUE_CHAIR = Rule(
    name="loan_overdue_chair",
    source=overdue_since(7, "overdue7"),
    audience=group_chairperson,
    timing=AT_ONCE,
    message=N_(
        "{vsla}: {borrower} ({phone}) has not paid {amount} of their loan since {date} "
        "(7 days). Loan left: {left}."
    ),
    values=instalment_values,
)
STALLED_REGISTRATIONS = Rule(
    name="stalled_registrations",
    source=weekly_stalled_digest,
    audience=staff,
    timing=AT_ONCE,
    message=N_(
        "{name}, {count} cooperatives at the same registration stage for {days}+ days. "
        "Longest (days): {oldest}"
    ),
    values=digest_values,
)
OFFICIALS_DIGEST = Rule(
    name="officials_digest",
    source=officials_waiting,
    audience=the_official,
    timing=AT_ONCE,
    message=MSG_OFFICIALS,
    values=official_values,
)
MISSING_REPORT = Rule(
    name="missing_report",
    source=missing_report_weeks,
    audience=trainers_owing_a_report,
    timing=AT_ONCE,
    message=N_(
        "You sent no attendance report this week. Send ABS and the codes of absent trainees "
        "(ABS T0042), or PRESENT if all came."
    ),
    values=no_values,
)
#: Fired by `services.registration.change_stage`, not by the clock.
STAGE_CHANGED = Rule(
    name="stage_changed",
    source=None,
    audience=cooperative_members,
    timing=AT_ONCE,
    message=N_("{name}, registration of {cooperative}: {stage}. {next_step}"),
    values=stage_values,
)

#: Every rule, in the order staff read them.
RULES: tuple[Rule, ...] = (
    TRAINING_TOMORROW,
    TRAINING_SOON,
    VSLA_MEETING,
    LOAN_REPAYMENT,
    LOAN_INSTALMENT,
    LOAN_OVERDUE,
    LOAN_OVERDUE_CHAIR,
    STALLED_REGISTRATIONS,
    OFFICIALS_DIGEST,
    MISSING_REPORT,
    STAGE_CHANGED,
)
