"""Attendance and absence cases: the one way a channel reports absences, the at-risk alert,
who owes a weekly report, and staff closing a case.

`report_absences` is what the SMS `ABS` command and the trainer's USSD menu both call: it
records through `models.attendance.record_absences` (with the two-week rule) and sends the alert
of any case it opens after commit. The alert goes to the field officers of the trainee's VTC
district and to the VTC director, in each one's language, once per case and recipient.
After the first days of a run of absences (`absence_nudge_days`, or as soon as a case opens)
the trainee gets one SMS asking them to come back and their trainer is told (`nudge`).
`trainers_missing_report` is the audience of the weekly missing-report reminder (a rule in
`services.reminder_rules`). `close_case` is what the console, `ikimina cases close` and the
field officers' menu call (replacing a trainee is `services.tvet.replace`).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta

from sqlalchemy import Select, exists, or_, select
from sqlalchemy.orm import Session

from locales import N_, language_or_default, translate
from locales.formatting import format_date, format_phone_local, short
from models import (
    AbsenceCase,
    AbsenceReason,
    AttendanceReport,
    CaseStatus,
    OutboundSms,
    Person,
    PersonRole,
    Priority,
    Role,
    TraineeStatus,
)
from models.at_risk import case_days, current_run, monday
from models.attendance import REPORTABLE, Outcome, Result, record_absences
from models.enums import Channel
from models.texts import text_in
from models.trades import trade_label
from models.tvet import Intake, Trainee, Vtc, set_status
from runtime.context import enqueue_after_commit
from runtime.settings import Settings
from services.gsm7 import fit
from services.outbox import queue_sms, tell

#: The job that tells the field officers and the VTC director (`alert_case` below).
ALERT_JOB = "worker.jobs.inbound.alert_case"

MSG_ALERT = N_(
    "{name} ({code}), {trade}, {vtc}: absent all {count} reported days in 2 weeks: {days}. "
    "Replace or justify (case {case})."
)
#: The same alert when names are long: without the trade and the centre.
MSG_ALERT_SHORT = N_(
    "{name} ({code}): absent all {count} reported days in 2 weeks: {days}. Replace or justify "
    "(case {case})."
)
MSG_DAYS_RANGE = N_("{first} to {last}")
#: The first-week nudge: to the trainee, and to their trainer (who calls when SMS is stopped).
MSG_NUDGE = N_(
    "{name}, you missed {trade} at {vtc} {count} times since {date}. Please come back, or call "
    "your trainer: {phone}"
)
MSG_NUDGE_TRAINER = N_(
    "We texted {name} ({code}), absent {count} times since {date}, to come back. Please call "
    "them too: {phone}"
)
MSG_NUDGE_OPTED_OUT = N_(
    "{name} ({code}) was absent {count} times since {date} and stopped our SMS. Please call "
    "them: {phone}"
)


class CaseError(ValueError):
    """A case that cannot be changed as asked; the message says why."""


def report_absences(
    session: Session,
    settings: Settings,
    trainer: Person,
    codes: list[str],
    day: date,
    *,
    today: date,
    channel: Channel,
    inbound_sms_id: int | None = None,
    reason: AbsenceReason = AbsenceReason.UNKNOWN,
) -> list[Result]:
    """Record the absences (SMS and USSD alike), nudge trainees at the end of their first days
    away, and alert, after commit, on every case opened."""
    results = record_absences(
        session,
        trainer,
        codes,
        day,
        today=today,
        channel=channel,
        inbound_sms_id=inbound_sms_id,
        absence_days_threshold=settings.absence_days_threshold,
        reason=reason,
    )
    for result in results:
        if result.outcome is Outcome.RECORDED and result.trainee is not None:
            nudge(session, settings, result.trainee, trainer, today=today, opened=result.case)
        if result.case is not None:
            enqueue_after_commit(session, ALERT_JOB, result.case.id, queue="high")
    return results


def nudge(
    session: Session,
    settings: Settings,
    trainee: Trainee,
    reporter: Person,
    *,
    today: date,
    opened: AbsenceCase | None = None,
) -> bool:
    """Text the trainee once per run of absences (and tell their trainer) when the run reaches
    `absence_nudge_days` days, or a case opened first. A day reported late that starts the run
    earlier is the same run: no second SMS. True when the SMS were queued."""
    if settings.absence_nudge_days <= 0 or trainee.status not in REPORTABLE:
        return False
    run = current_run(session, trainee, today=today)
    if not run or (len(run) < settings.absence_nudge_days and opened is None):
        return False
    if trainee.nudged_from is not None and run[0] <= trainee.nudged_from:
        return False
    trainee.nudged_from = run[0]
    who, teacher = trainee.person, trainee.trainer or reporter
    values = dict(
        name=short(who.name, 20),
        code=trainee.code,
        count=len(run),
        date=format_date(run[0]),
        vtc=short(trainee.vtc.name, 20),
    )
    tell(
        session,
        settings,
        who,
        MSG_NUDGE,
        kind="absence_nudge",
        priority=Priority.BULK,
        dedupe_key=f"absence-nudge:{trainee.id}:{run[0]}",
        trade=short(trade_label(trainee.trade, language_or_default(who.language)), 20),
        phone=format_phone_local(teacher.phone),
        **values,
    )
    tell(
        session,
        settings,
        teacher,
        MSG_NUDGE_OPTED_OUT if who.opted_out else MSG_NUDGE_TRAINER,
        kind="absence_nudge",
        priority=Priority.HIGH,
        dedupe_key=f"absence-nudge-trainer:{trainee.id}:{run[0]}",
        phone=format_phone_local(who.phone),
        **values,
    )
    return True


def recipients(session: Session, case: AbsenceCase) -> list[Person]:
    """The field officers of the trainee's VTC district, then the VTC director (each once)."""
    vtc = case.trainee.vtc
    people: list[Person] = []
    if vtc.district_id is not None:
        people += session.scalars(
            select(Person)
            .join(PersonRole, PersonRole.person_id == Person.id)
            .where(Person.district_id == vtc.district_id, PersonRole.role == Role.FIELD_OFFICER)
            .order_by(Person.id)
        )
    if vtc.director is not None:
        people.append(vtc.director)
    return list({p.id: p for p in people}.values())


def alert_case(session: Session, settings: Settings, case: AbsenceCase) -> list[OutboundSms]:
    """Queue the case's alert to each recipient (a second call queues nothing new)."""
    trainee = case.trainee
    shown = [f"{d:%d/%m}" for d in case_days(case)]
    values = dict(
        name=trainee.person.name,
        code=trainee.code,
        trade=trainee.trade,  # replaced per recipient below
        vtc=trainee.vtc.name,
        case=case.id,
        count=len(shown),
    )
    rows = []
    for person in recipients(session, case):
        lang = person.language.value
        values["trade"] = text_in(trainee, "trade", lang, mark=False)  # to staff, in one SMS
        ranged = translate(lang, MSG_DAYS_RANGE, first=shown[0], last=shown[-1], count=len(shown))
        text = fit(
            translate(lang, MSG_ALERT, days=", ".join(shown), **values),
            translate(lang, MSG_ALERT, days=ranged, **values),
            translate(lang, MSG_ALERT_SHORT, days=ranged, **values),
        )
        rows.append(
            queue_sms(
                session,
                settings,
                person.phone,
                text,
                person=person,
                kind="alert",
                priority=Priority.HIGH,
                dedupe_key=f"absence-case:{case.id}:{person.id}",
            )
        )
    return rows


def alert_opened(session: Session, settings: Settings, case_id: int) -> list[OutboundSms]:
    """Queue the alert of case `case_id` if it is still open (the job after the case opened)."""
    case = session.get(AbsenceCase, case_id)
    if case is None or case.status is not CaseStatus.OPEN:
        return []
    return alert_case(session, settings, case)


def alert_open_cases(session: Session, settings: Settings) -> int:
    """Queue any alert still missing for an open case (safe to repeat: one SMS per recipient);
    covers an alert job lost between the case's commit and its enqueue."""
    cases = session.scalars(select(AbsenceCase).where(AbsenceCase.status == CaseStatus.OPEN))
    return sum(len(alert_case(session, settings, case)) for case in cases)


def trainers_missing_report(day: date) -> Select[tuple[Person]]:
    """Trainers with trainees in training on `day` who sent no report (SMS or USSD) for any
    day of `day`'s week (Monday to Sunday), and did not opt out."""
    week_start = monday(day)
    intake_on = exists().where(Intake.id == Trainee.intake_id, Intake.end_date >= day)
    has_trainees = exists().where(
        Trainee.status.in_(REPORTABLE),
        Trainee.start_date <= day,
        or_(Trainee.intake_id.is_(None), intake_on),
        or_(Trainee.trainer_id == Person.id, Trainee.vtc_id == Person.vtc_id),
    )
    reported = exists().where(
        AttendanceReport.trainer_id == Person.id,
        AttendanceReport.day >= week_start,
        AttendanceReport.day <= week_start + timedelta(days=6),
    )
    return (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.TRAINER, Person.opted_out.is_(False))
        .where(has_trainees, ~reported)
        .order_by(Person.id)
    )


def close_case(
    session: Session,
    case_id: int,
    outcome: CaseStatus,
    *,
    now: datetime,
    note: str | None = None,
    by: Person | None = None,
    reason: AbsenceReason | None = None,
) -> AbsenceCase:
    """Close an open case: REPLACED gives the place away (the trainee is dropped: no more
    reminders nor counts), JUSTIFIED brings the trainee back to active (a later episode opens a
    new case). The place's new holder, if any, is `services.tvet.replace`'s."""
    if outcome is CaseStatus.OPEN:
        raise CaseError("close a case as replaced or justified")
    case = session.get(AbsenceCase, case_id, with_for_update=True)
    if case is None:
        raise CaseError(f"no case {case_id}")
    if case.status is not CaseStatus.OPEN:
        raise CaseError(f"case {case_id} is already closed ({case.status.value})")
    case.status = outcome
    case.closed_at = now
    case.note = note
    case.closed_by_id = by.id if by is not None else None
    trainee = case.trainee
    if outcome is CaseStatus.REPLACED:
        set_status(trainee, TraineeStatus.DROPPED, now)
    else:
        case.reason = reason or AbsenceReason.UNKNOWN
        if trainee.status is TraineeStatus.AT_RISK:
            set_status(trainee, TraineeStatus.ACTIVE, now)
    session.flush()
    return case


def close_justified(
    session: Session,
    case_id: int,
    reason: AbsenceReason,
    *,
    by: Person,
    now: datetime,
    note: str | None = None,
) -> AbsenceCase:
    """A field officer (of the trainee's VTC district) or staff closes a case as justified."""
    case = session.get(AbsenceCase, case_id)
    if case is None:
        raise CaseError(f"no case {case_id}")
    check_officer(by, case)
    return close_case(
        session, case_id, CaseStatus.JUSTIFIED, now=now, note=note, by=by, reason=reason
    )


def check_officer(by: Person | None, case: AbsenceCase) -> None:
    """Raise CaseError unless `by` is staff (or nobody: the CLI) or a field officer of the
    district of the case's VTC."""
    if by is None or by.has_role(Role.STAFF):
        return
    district = case.trainee.vtc.district_id
    if not by.has_role(Role.FIELD_OFFICER) or district is None or by.district_id != district:
        raise CaseError("not a case of your district")


def open_cases_in(session: Session, district_id: int) -> list[AbsenceCase]:
    """The open cases whose trainee's VTC is in the district, oldest first."""
    return list(
        session.scalars(
            select(AbsenceCase)
            .join(Trainee, Trainee.id == AbsenceCase.trainee_id)
            .join(Vtc, Vtc.id == Trainee.vtc_id)
            .where(AbsenceCase.status == CaseStatus.OPEN, Vtc.district_id == district_id)
            .order_by(AbsenceCase.opened_at, AbsenceCase.id)
        )
    )
