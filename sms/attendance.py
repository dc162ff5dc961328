"""Attendance over SMS and USSD: the one way a channel reports absences, the at-risk alert and
the missing-report reminder.

`report_absences` is what the SMS `ABS` command and the trainer's USSD menu both call: it
records through `models.attendance.record_absences` (with the two-week rule) and sends the alert
of any case it opens after commit. The alert goes to the field officers of the trainee's VTC
district and to the VTC director, in each one's language, once per case and recipient. The
reminder goes to each trainer who has trainees in training and sent no attendance report (SMS or
USSD) in a week, once per week.
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import exists, or_, select
from sqlalchemy.orm import Session

from ikimina.settings import Settings
from locales import N_, translate
from models import AbsenceCase, AttendanceReport, OutboundSms, Person, PersonRole, Priority, Role
from models.at_risk import case_days, monday
from models.attendance import REPORTABLE, Result, record_absences
from models.enums import Channel
from models.tvet import Trainee
from sms.interpreter import fit
from sms.outbox import queue_sms
from worker.context import enqueue_after_commit

#: The job that tells the field officers and the VTC director (`alert_case` below).
ALERT_JOB = "worker.jobs.inbound.alert_case"

MSG_ALERT = N_(
    "Absent two weeks: {name} ({code}), {trade}, {vtc}. Days: {days}. Please replace or justify "
    "(case {case})."
)
MSG_DAYS_RANGE = N_("{first} to {last}, {count} days")
MSG_REMINDER = N_(
    "You sent no attendance report this week. Send ABS and the codes of absent trainees "
    "(ABS T0042), or PRESENT if all came."
)


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
) -> list[Result]:
    """Record the absences (SMS and USSD alike) and alert, after commit, on every case opened."""
    results = record_absences(
        session,
        trainer,
        codes,
        day,
        today=today,
        channel=channel,
        inbound_sms_id=inbound_sms_id,
        absence_days_threshold=settings.absence_days_threshold,
    )
    for result in results:
        if result.case is not None:
            enqueue_after_commit(session, ALERT_JOB, result.case.id, queue="high")
    return results


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


def alert_case(session: Session, case: AbsenceCase) -> list[OutboundSms]:
    """Queue the case's alert to each recipient (a second call queues nothing new)."""
    trainee = case.trainee
    shown = [f"{d:%d/%m}" for d in case_days(case)]
    values = dict(
        name=trainee.person.name,
        code=trainee.code,
        trade=trainee.trade,
        vtc=trainee.vtc.name,
        case=case.id,
    )
    rows = []
    for person in recipients(session, case):
        lang = person.language.value
        ranged = translate(lang, MSG_DAYS_RANGE, first=shown[0], last=shown[-1], count=len(shown))
        text = fit(
            translate(lang, MSG_ALERT, days=", ".join(shown), **values),
            translate(lang, MSG_ALERT, days=ranged, **values),
        )
        rows.append(
            queue_sms(
                session,
                person.phone,
                text,
                person=person,
                kind="alert",
                priority=Priority.HIGH,
                dedupe_key=f"absence-case:{case.id}:{person.id}",
            )
        )
    return rows


def trainers_missing_report(session: Session, today: date) -> list[Person]:
    """Trainers with trainees in training who sent no report from Monday to `today`."""
    week_start = monday(today)
    has_trainees = exists().where(
        Trainee.status.in_(REPORTABLE),
        Trainee.start_date <= today,
        or_(Trainee.trainer_id == Person.id, Trainee.vtc_id == Person.vtc_id),
    )
    reported = exists().where(
        AttendanceReport.trainer_id == Person.id,
        AttendanceReport.day >= week_start,
        AttendanceReport.day <= today,
    )
    query = (
        select(Person)
        .join(PersonRole, PersonRole.person_id == Person.id)
        .where(PersonRole.role == Role.TRAINER, Person.opted_out.is_(False))
        .where(has_trainees, ~reported)
        .order_by(Person.id)
    )
    return list(session.scalars(query))


def remind_missing_reports(session: Session, today: date) -> list[OutboundSms]:
    """Queue this week's reminder to each trainer who has not reported (once per week)."""
    week = monday(today)
    return [
        queue_sms(
            session,
            trainer.phone,
            translate(trainer.language.value, MSG_REMINDER),
            person=trainer,
            kind="reminder",
            priority=Priority.BULK,
            dedupe_key=f"report-reminder:{trainer.id}:{week.isoformat()}",
        )
        for trainer in trainers_missing_report(session, today)
    ]
