"""The two-week rule: when a trainee's absences put their place at risk (staff close the cases
with `services.attendance.close_case`).

A trainee is at risk when absent on every reported training day of two consecutive calendar
weeks (Monday to Sunday), or on `absence_days_threshold` of the last 14 days. A reported
training day is a day on which the trainee's trainer sent an attendance report, or on which the
trainee was reported absent. Each episode opens exactly one `AbsenceCase`; days up to the last
day of a closed case no longer count, so a trainee whose absence was justified starts afresh.
"""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from models.enums import CaseStatus, TraineeStatus
from models.tvet import Absence, AbsenceCase, AttendanceReport, Trainee

WINDOW_DAYS = 14
WEEK = timedelta(days=7)


def monday(day: date) -> date:
    """The Monday of `day`'s week."""
    return day - timedelta(days=day.weekday())


def open_case(session: Session, trainee_id: int) -> AbsenceCase | None:
    """The trainee's open case, if any."""
    return session.scalar(
        select(AbsenceCase).where(
            AbsenceCase.trainee_id == trainee_id, AbsenceCase.status == CaseStatus.OPEN
        )
    )


def case_days(case: AbsenceCase) -> list[date]:
    """The absent days a case was opened for."""
    return [date.fromisoformat(d) for d in case.days.split(",") if d]


def check(session: Session, trainee: Trainee, *, today: date, threshold: int) -> AbsenceCase | None:
    """Open a case and mark `trainee` at risk if the rule now holds.

    Returns the new case (its alert is the caller's: services.attendance.report_absences), or None
    (the rule does not hold, or this episode already has one).
    """
    session.refresh(trainee, with_for_update=True)  # one check at a time per trainee
    if trainee.status is not TraineeStatus.ACTIVE or open_case(session, trainee.id) is not None:
        return None
    days = at_risk_days(session, trainee, today=today, threshold=threshold)
    if not days:
        return None
    case = AbsenceCase(trainee_id=trainee.id, days=",".join(d.isoformat() for d in days))
    trainee.status = TraineeStatus.AT_RISK
    session.add(case)
    session.flush()
    return case


def _days(session: Session, trainee: Trainee, today: date) -> tuple[set[date], set[date], date]:
    """The trainee's absent days and reported training days the rule looks at, and from when:
    the last three weeks and this one, after their start and after their last closed case."""
    since = max(trainee.start_date, monday(today) - 3 * WEEK)
    last_case = session.scalar(
        select(AbsenceCase)
        .where(AbsenceCase.trainee_id == trainee.id, AbsenceCase.status != CaseStatus.OPEN)
        .order_by(AbsenceCase.id.desc())
        .limit(1)
    )
    if last_case is not None and case_days(last_case):
        since = max(since, max(case_days(last_case)) + timedelta(days=1))
    absent = set(
        session.scalars(
            select(Absence.day).where(
                Absence.trainee_id == trainee.id, Absence.day >= since, Absence.day <= today
            )
        )
    )
    reported = set(absent)
    if absent and trainee.trainer_id is not None:
        reported |= set(
            session.scalars(
                select(AttendanceReport.day).where(
                    AttendanceReport.trainer_id == trainee.trainer_id,
                    AttendanceReport.day >= since,
                    AttendanceReport.day <= today,
                )
            )
        )
    return absent, reported, since


def current_run(session: Session, trainee: Trainee, *, today: date) -> list[date]:
    """The absent days of the trainee's latest run: reported training days in a row, all
    missed, since the last day they came (the first-week nudge counts these)."""
    absent, reported, _since = _days(session, trainee, today)
    run = []
    for day in sorted(reported, reverse=True):
        if day not in absent:
            break
        run.append(day)
    return sorted(run)


def at_risk_days(session: Session, trainee: Trainee, *, today: date, threshold: int) -> list[date]:
    """The absent days that make `trainee` at risk on `today`; empty when they are not."""
    absent, reported, _since = _days(session, trainee, today)
    if not absent:
        return []
    days = set(two_week_streak(sorted(reported), absent))
    recent = {d for d in absent if d > today - timedelta(days=WINDOW_DAYS)}
    if threshold > 0 and len(recent) >= threshold:
        days |= recent
    return sorted(days)


def two_week_streak(reported: list[date], absent: set[date]) -> list[date]:
    """The missed days of the latest run of reported days, if it covers every reported day of
    two consecutive weeks; empty otherwise. `reported` is sorted and includes `absent`."""
    run: list[date] = []
    broken_in: date | None = None  # the week of the last reported day the trainee came
    for day in reversed(reported):
        if day not in absent:
            broken_in = monday(day)
            break
        run.append(day)
    weeks = {monday(d) for d in run if broken_in is None or monday(d) > broken_in}
    if not any(week - WEEK in weeks for week in weeks):
        return []
    return sorted(d for d in run if monday(d) in weeks)


def open_cases(session: Session) -> list[AbsenceCase]:
    """Every open case, oldest first."""
    return list(
        session.scalars(
            select(AbsenceCase)
            .where(AbsenceCase.status == CaseStatus.OPEN)
            .order_by(AbsenceCase.opened_at, AbsenceCase.id)
        )
    )
