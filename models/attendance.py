"""Attendance: the one code path that records absences (SMS and USSD both call it).

Recording an absence also runs the two-week rule (models.at_risk), whatever the channel.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import at_risk
from models.enums import AbsenceReason, Channel
from models.people import Person
from models.tvet import IN_TRAINING, Absence, AbsenceCase, AttendanceReport, Trainee

#: Trainees a trainer still reports on (graduated and dropped ones leave the lists).
REPORTABLE = IN_TRAINING


class Outcome(StrEnum):
    RECORDED = "recorded"  # absence written
    ALREADY = "already"  # the same trainee and day was already reported
    REMOVED = "removed"  # a mistaken absence taken back (present)
    NOT_ABSENT = "not_absent"  # present reported, but no absence was recorded
    UNKNOWN = "unknown"  # no trainee with that code
    OTHER_VTC = "other_vtc"  # the trainee is not at the trainer's VTC
    BEFORE_START = "before_start"  # the day is before the trainee started
    FUTURE = "future"  # the day has not come yet
    INACTIVE = "inactive"  # replaced, dropped or graduated


@dataclass(frozen=True)
class Result:
    code: str
    outcome: Outcome
    trainee: Trainee | None = None
    case: AbsenceCase | None = None  # the case this absence opened (two-week rule)


def trainer_vtc_ids(session: Session, trainer: Person) -> set[int]:
    """The VTCs a trainer works at: their own, and those of the trainees assigned to them."""
    ids = set(session.scalars(select(Trainee.vtc_id).where(Trainee.trainer_id == trainer.id)))
    if trainer.vtc_id is not None:
        ids.add(trainer.vtc_id)
    return ids


def trainees_of(session: Session, trainer: Person) -> list[Trainee]:
    """The trainees a trainer can report on, by code."""
    query = (
        select(Trainee)
        .where(Trainee.vtc_id.in_(trainer_vtc_ids(session, trainer)))
        .where(Trainee.status.in_(REPORTABLE))
        .order_by(Trainee.code)
    )
    return list(session.scalars(query))


def _check(
    session: Session, trainer: Person, code: str, day: date, today: date, vtcs: set[int]
) -> Result:
    code = code.strip().upper()
    trainee = session.scalar(select(Trainee).where(Trainee.code == code))
    if trainee is None:
        return Result(code, Outcome.UNKNOWN)
    if trainee.vtc_id not in vtcs:
        return Result(code, Outcome.OTHER_VTC, trainee)
    if trainee.status not in REPORTABLE:
        return Result(code, Outcome.INACTIVE, trainee)
    if day > today:
        return Result(code, Outcome.FUTURE, trainee)
    if day < trainee.start_date:
        return Result(code, Outcome.BEFORE_START, trainee)
    return Result(code, Outcome.RECORDED, trainee)


def record_absences(
    session: Session,
    trainer: Person,
    codes: list[str],
    day: date,
    *,
    today: date,
    channel: Channel,
    inbound_sms_id: int | None = None,
    absence_days_threshold: int,
    reason: AbsenceReason = AbsenceReason.UNKNOWN,
) -> list[Result]:
    """Record each trainee in `codes` absent on `day`; one result per distinct code.

    Each trainee newly recorded absent is then checked against the two-week rule; a result whose
    absence opened a case carries it (`Result.case`). Channels call this through
    `services.attendance.report_absences`, which also sends the case's alert.
    """
    vtcs = trainer_vtc_ids(session, trainer)
    results = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        result = _check(session, trainer, code, day, today, vtcs)
        if result.outcome is Outcome.RECORDED and result.trainee is not None:
            exists = session.scalar(
                select(Absence).where(Absence.trainee_id == result.trainee.id, Absence.day == day)
            )
            if exists is not None:
                if reason is not AbsenceReason.UNKNOWN:
                    exists.reason = reason  # the trainer now knows why
                result = Result(code, Outcome.ALREADY, result.trainee)
            else:
                session.add(
                    Absence(
                        trainee_id=result.trainee.id,
                        day=day,
                        reporter_id=trainer.id,
                        channel=channel,
                        inbound_sms_id=inbound_sms_id,
                        reason=reason,
                    )
                )
        results.append(result)
    note_report(session, trainer, day, channel)
    session.flush()
    checked = []
    for result in results:
        if result.outcome is Outcome.RECORDED and result.trainee is not None:
            case = at_risk.check(
                session, result.trainee, today=today, threshold=absence_days_threshold
            )
            result = replace(result, case=case)
        checked.append(result)
    return checked


def record_presence(
    session: Session,
    trainer: Person,
    codes: list[str],
    day: date,
    *,
    today: date,
    channel: Channel,
) -> list[Result]:
    """Take back absences reported by mistake: each trainee in `codes` was present on `day`."""
    vtcs = trainer_vtc_ids(session, trainer)
    results = []
    for code in dict.fromkeys(c.strip().upper() for c in codes if c.strip()):
        result = _check(session, trainer, code, day, today, vtcs)
        if result.outcome is Outcome.RECORDED and result.trainee is not None:
            absence = session.scalar(
                select(Absence).where(Absence.trainee_id == result.trainee.id, Absence.day == day)
            )
            if absence is None:
                result = Result(code, Outcome.NOT_ABSENT, result.trainee)
            else:
                session.delete(absence)
                result = Result(code, Outcome.REMOVED, result.trainee)
        results.append(result)
    note_report(session, trainer, day, channel)
    session.flush()
    return results


def note_report(session: Session, trainer: Person, day: date, channel: Channel) -> None:
    """Remember that `trainer` reported on `day` (for missing-report reminders)."""
    exists = session.scalar(
        select(AttendanceReport.id).where(
            AttendanceReport.trainer_id == trainer.id, AttendanceReport.day == day
        )
    )
    if exists is None:
        session.add(AttendanceReport(trainer_id=trainer.id, day=day, channel=channel))
