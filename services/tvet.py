"""The TVET lifecycle: the waiting list of each trade and district, a place given to the
oldest waiting member when a trainee is replaced, trainees dropped or graduated.

Every change here checks who asks (staff, or a field officer of the VTC's district) and
tells the people concerned by SMS in their language, through the outbox, in the caller's
transaction. Graduated and dropped trainees leave trainers' lists, reminders and counts
(`models.tvet.IN_TRAINING`).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import and_, func, or_, select, update
from sqlalchemy.orm import Session

from locales import N_, language_or_default
from locales.formatting import (
    format_date,
    format_phone_local,
    format_time,
    format_weekday_date,
    short,
)
from models import (
    AbsenceCase,
    CaseStatus,
    Intake,
    Person,
    Priority,
    Role,
    Trainee,
    TraineeStatus,
    TvetRequest,
    TvetRequestStatus,
    Vtc,
)
from models.trades import trade_label
from models.tvet import IN_TRAINING, set_status
from runtime.settings import Settings
from services.attendance import CaseError, check_officer, close_case
from services.outbox import tell

#: Longest list a USSD screen pages through.
LIST_MAX = 90
#: How many days ahead a replacement may start (tomorrow is the first).
START_WITHIN = 7
#: A replacement starts at least this long before the intake ends.
INTAKE_TAIL = timedelta(days=7)
DEFAULT_START = time(8, 0)

MSG_PLACE = N_(
    "{name}, you have a place in {trade} at {vtc}. Come on {day} at {time}. Your trainer: {phone}"
)
MSG_PLACE_TRAINER = N_(
    "New trainee {code} {name} ({phone}) replaces {old_code} in {trade} from {day}."
)
MSG_DROPPED = N_(
    "{name}, after 2 weeks of absence your place in {trade} at {vtc} went to someone else. "
    "Questions: {help}"
)
MSG_GRADUATED = N_(
    "Congratulations {name}! You completed your {trade} training at {vtc} on {date}."
)
#: Refusals a menu or the console shows as they are (msgids of the services catalogue).
INTAKE_ENDING = N_("This intake is ending: justify the case or drop.")
NO_LONGER_WAITING = N_("That person no longer waits. Choose another.")
CASE_CLOSED = N_("This case is already closed.")


class TvetError(ValueError):
    """A waiting-list request that cannot be made as asked; the message says why."""


# --- The waiting list ---------------------------------------------------------------------


def member_district(person: Person) -> int | None:
    """Where a member's waiting list is: their district, else their group's."""
    if person.district_id is not None:
        return person.district_id
    if person.vsla is not None and person.vsla.sector is not None:
        return person.vsla.sector.district_id
    return None


def trades_offered(session: Session, district_id: int, today: date) -> list[str]:
    """Trades of intakes not yet ended at VTCs of the district (each once, as first stored)."""
    rows = session.scalars(
        select(Intake.trade)
        .join(Vtc, Vtc.id == Intake.vtc_id)
        .where(Vtc.district_id == district_id, Intake.end_date >= today)
        .order_by(Intake.trade)
    )
    return list({trade.lower(): trade for trade in rows}.values())


def in_training(session: Session, person_id: int) -> Trainee | None:
    return session.scalar(
        select(Trainee).where(Trainee.person_id == person_id, Trainee.status.in_(IN_TRAINING))
    )


def open_request(session: Session, person_id: int) -> TvetRequest | None:
    return session.scalar(
        select(TvetRequest).where(
            TvetRequest.person_id == person_id, TvetRequest.status == TvetRequestStatus.WAITING
        )
    )


def ask_for_trade(
    session: Session, person: Person, trade: str, *, today: date, now: datetime
) -> TvetRequest:
    """Put a VSLA member on the waiting list of `trade` in their district (one open request:
    the same trade again changes nothing, another trade replaces the old request)."""
    district_id = member_district(person)
    if person.vsla_id is None or district_id is None:
        raise TvetError("only members of a savings group with a district may ask")
    if in_training(session, person.id) is not None:
        raise TvetError("already in training")
    offered = {t.lower(): t for t in trades_offered(session, district_id, today)}
    if trade.lower() not in offered:
        raise TvetError(f"{trade} is not offered in this district")
    current = open_request(session, person.id)
    if current is not None:
        if current.trade.lower() == trade.lower() and current.district_id == district_id:
            return current
        current.status, current.closed_at = TvetRequestStatus.WITHDRAWN, now
    request = TvetRequest(
        person_id=person.id, trade=offered[trade.lower()], district_id=district_id, requested_at=now
    )
    session.add(request)
    session.flush()
    return request


def _queue(district_id: int, trade: str):  # type: ignore[no-untyped-def]
    return select(TvetRequest).where(
        TvetRequest.district_id == district_id,
        TvetRequest.status == TvetRequestStatus.WAITING,
        func.lower(TvetRequest.trade) == trade.lower(),
    )


def waiting_for(session: Session, district_id: int, trade: str) -> list[TvetRequest]:
    """Who waits for `trade` in the district, oldest first (at most LIST_MAX)."""
    query = _queue(district_id, trade).order_by(TvetRequest.requested_at, TvetRequest.id)
    return list(session.scalars(query.limit(LIST_MAX)))


def waiting_by_trade(session: Session, district_id: int) -> list[tuple[str, int]]:
    """(trade, how many wait) for the district, by trade."""
    rows = session.execute(
        select(func.min(TvetRequest.trade), func.count(TvetRequest.id))
        .where(
            TvetRequest.district_id == district_id,
            TvetRequest.status == TvetRequestStatus.WAITING,
        )
        .group_by(func.lower(TvetRequest.trade))
        .order_by(func.lower(TvetRequest.trade))
    )
    return [(trade, count) for trade, count in rows]


def position(session: Session, request: TvetRequest) -> tuple[int, int]:
    """(the request's place in its queue, how many wait in it)."""
    queue = _queue(request.district_id, request.trade).subquery()
    total = session.scalar(select(func.count()).select_from(queue)) or 0
    before = session.scalar(
        select(func.count())
        .select_from(queue)
        .where(
            or_(
                queue.c.requested_at < request.requested_at,
                and_(queue.c.requested_at == request.requested_at, queue.c.id < request.id),
            )
        )
    )
    return (before or 0) + 1, total


def link_trainees(session: Session) -> int:
    """Give trainees with no intake the intake of their VTC and trade (any case) that their
    start date falls in; returns how many were linked (imports call this)."""
    linked = 0
    for intake in session.scalars(select(Intake).order_by(Intake.start_date, Intake.id)):
        result = session.execute(
            update(Trainee)
            .where(
                Trainee.intake_id.is_(None),
                Trainee.vtc_id == intake.vtc_id,
                func.lower(Trainee.trade) == intake.trade.lower(),
                Trainee.start_date >= intake.start_date,
                Trainee.start_date <= intake.end_date,
            )
            .values(intake_id=intake.id)
            .execution_options(synchronize_session=False)
        )
        linked += result.rowcount or 0
    return linked


# --- Replacing, dropping, graduating -------------------------------------------------------


def next_code(session: Session) -> str:
    """The next free trainee code: `T0501` after `T0500`."""
    numbers = [
        int(code[1:])
        for code in session.scalars(select(Trainee.code).where(Trainee.code.like("T%")))
        if re.fullmatch(r"T\d+", code)
    ]
    return f"T{max(numbers, default=0) + 1:04d}"


@dataclass(frozen=True)
class Replaced:
    old: Trainee
    new: Trainee
    case: AbsenceCase


def _local_today(settings: Settings, now: datetime) -> date:
    return now.astimezone(ZoneInfo(settings.tz)).date()


def replace(
    session: Session,
    settings: Settings,
    case_id: int,
    request_id: int,
    *,
    starts_on: date,
    by: Person | None,
    now: datetime,
    as_staff: bool = False,
) -> Replaced:
    """Close an open case by giving the trainee's place to a waiting member of the same trade
    and district: the newcomer is enrolled (same VTC, trade, trainer, intake) and texted where
    and when to go, the trainer is told, the old trainee is dropped and told."""
    case = session.get(AbsenceCase, case_id, with_for_update=True)
    if case is None or case.status is not CaseStatus.OPEN:
        raise CaseError(CASE_CLOSED)
    if not as_staff:
        check_officer(by, case)
    request = session.get(TvetRequest, request_id, with_for_update=True)
    old = case.trainee
    if (
        request is None
        or request.status is not TvetRequestStatus.WAITING
        or request.district_id != old.vtc.district_id
        or request.trade.lower() != old.trade.lower()
        or in_training(session, request.person_id) is not None
    ):
        raise CaseError(NO_LONGER_WAITING)
    today = _local_today(settings, now)
    if not today < starts_on <= today + timedelta(days=START_WITHIN):
        raise CaseError("the replacement starts within the next 7 days")
    if old.intake is not None and starts_on > old.intake.end_date - INTAKE_TAIL:
        raise CaseError(INTAKE_ENDING)
    new = Trainee(
        code=next_code(session),
        person_id=request.person_id,
        vtc_id=old.vtc_id,
        trade=old.trade,
        trainer_id=old.trainer_id,
        intake_id=old.intake_id,
        start_date=starts_on,
        status=TraineeStatus.ACTIVE,
        replaces_id=old.id,
        status_changed_at=now,
    )
    session.add(new)
    session.flush()
    close_case(session, case.id, CaseStatus.REPLACED, now=now, by=by)
    case.replacement_id = new.id
    request.status, request.trainee_id, request.closed_at = TvetRequestStatus.ENROLLED, new.id, now
    session.flush()
    session.refresh(new)
    _tell_place(session, settings, new, old)
    _tell_dropped(session, settings, old)
    return Replaced(old, new, case)


def drop(
    session: Session,
    settings: Settings,
    case_id: int,
    *,
    by: Person | None,
    now: datetime,
    note: str | None = None,
    as_staff: bool = False,
) -> AbsenceCase:
    """Close an open case without a replacement: the trainee is dropped and told.
    `as_staff`: the caller (console, CLI) checked who asks; `by` is only recorded."""
    case = session.get(AbsenceCase, case_id)
    if case is None or case.status is not CaseStatus.OPEN:
        raise CaseError(CASE_CLOSED)
    if not as_staff:
        check_officer(by, case)
    close_case(session, case.id, CaseStatus.REPLACED, now=now, note=note, by=by)
    _tell_dropped(session, settings, case.trainee)
    return case


def graduate_ended(session: Session, settings: Settings, today: date, now: datetime) -> int:
    """Graduate every active trainee whose intake ended before `today` (at-risk ones wait for
    their case to close); each is texted once. Returns how many graduated."""
    trainees = session.scalars(
        select(Trainee)
        .join(Intake, Intake.id == Trainee.intake_id)
        .where(Trainee.status == TraineeStatus.ACTIVE, Intake.end_date < today)
        .order_by(Trainee.id)
    )
    return _graduate(session, settings, list(trainees), now, today - timedelta(days=1))


def graduate(
    session: Session, settings: Settings, trainee_ids: Sequence[int], *, now: datetime
) -> int:
    """Staff graduate trainees early (active ones only: close an at-risk one's case first)."""
    trainees = [session.get(Trainee, id_) for id_ in trainee_ids]
    for trainee in trainees:
        if trainee is None or trainee.status is not TraineeStatus.ACTIVE:
            what = trainee.code if trainee else "?"
            raise CaseError(f"{what} is not active: close the case first")
    return _graduate(session, settings, trainees, now, _local_today(settings, now))  # type: ignore[arg-type]


def _graduate(
    session: Session, settings: Settings, trainees: list[Trainee], now: datetime, until: date
) -> int:
    for trainee in trainees:
        set_status(trainee, TraineeStatus.GRADUATED, now)
        on = min(trainee.intake.end_date, until) if trainee.intake else until
        who = trainee.person
        tell(
            session,
            settings,
            who,
            MSG_GRADUATED,
            kind="graduated",
            priority=Priority.BULK,
            dedupe_key=f"graduated:{trainee.id}",
            date=format_date(on),
            **_place(trainee, who),
        )
    session.flush()
    return len(trainees)


def _place(trainee: Trainee, reader: Person) -> dict[str, str]:
    """The trainee's name, trade (in `reader`'s language) and VTC, cut for an SMS."""
    lang = language_or_default(reader.language)
    return {
        "name": short(trainee.person.name, 20),
        "trade": short(trade_label(trainee.trade, lang), 20),
        "vtc": short(trainee.vtc.name, 20),
    }


def _tell_place(session: Session, settings: Settings, new: Trainee, old: Trainee) -> None:
    who, trainer = new.person, new.trainer
    start = new.intake.start_time if new.intake else DEFAULT_START
    tell(
        session,
        settings,
        who,
        MSG_PLACE,
        kind="tvet_place",
        priority=Priority.HIGH,
        dedupe_key=f"tvet-place:{new.id}",
        day=format_weekday_date(new.start_date, who.language),
        time=format_time(start, who.language),
        phone=format_phone_local(trainer.phone) if trainer else settings.help_phone,
        **_place(new, who),
    )
    if trainer is not None:
        tell(
            session,
            settings,
            trainer,
            MSG_PLACE_TRAINER,
            kind="tvet_place",
            priority=Priority.HIGH,
            dedupe_key=f"tvet-place-trainer:{new.id}",
            code=new.code,
            phone=format_phone_local(who.phone),
            old_code=old.code,
            day=format_weekday_date(new.start_date, trainer.language),
            **_place(new, trainer),
        )


def _tell_dropped(session: Session, settings: Settings, trainee: Trainee) -> None:
    tell(
        session,
        settings,
        trainee.person,
        MSG_DROPPED,
        kind="dropped",
        priority=Priority.BULK,
        dedupe_key=f"dropped:{trainee.id}",
        help=settings.help_phone,
        **_place(trainee, trainee.person),
    )


def is_officer_of(person: Person | None, district_id: int | None) -> bool:
    """Staff, or a field officer of `district_id`."""
    if person is None:
        return False
    if person.has_role(Role.STAFF):
        return True
    return person.has_role(Role.FIELD_OFFICER) and district_id == person.district_id
