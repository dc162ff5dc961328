"""The dashboard: the programme at a glance, from a handful of grouped queries."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import render_template
from sqlalchemy import exists, func, select

from console import bp
from console.web import context, db
from models import (
    AbsenceCase,
    CaseStatus,
    Cooperative,
    JoinRequest,
    JoinStatus,
    OutboundSms,
    Person,
    SmsStatus,
    Stage,
    Trainee,
    TraineeStatus,
    UssdHop,
    UssdSession,
    Vsla,
    utcnow,
)

#: Of the messages handed to the network, the delivered share is the delivery rate.
HANDED_OVER = (SmsStatus.SENT, SmsStatus.DELIVERED, SmsStatus.FAILED)


@dataclass(frozen=True)
class Week:
    """Since Monday 00:00 in the programme's time zone."""

    start: datetime

    @classmethod
    def current(cls, tz: str) -> Week:
        today = utcnow().astimezone(ZoneInfo(tz)).date()
        monday = today - timedelta(days=today.weekday())
        return cls(datetime.combine(monday, time(0), tzinfo=ZoneInfo(tz)))


def _count(model: type, *where: object) -> int:
    return db().scalar(select(func.count()).select_from(model).where(*where)) or 0


def messages_by_state(since: datetime) -> dict[SmsStatus, int]:
    rows = db().execute(
        select(OutboundSms.status, func.count())
        .where(OutboundSms.created_at >= since)
        .group_by(OutboundSms.status)
    )
    return {status: n for status, n in rows}


def cooperatives_by_stage() -> dict[Stage, int]:
    rows = db().execute(select(Cooperative.stage, func.count()).group_by(Cooperative.stage))
    counts = {stage: n for stage, n in rows}
    return {stage: counts.get(stage, 0) for stage in Stage}


def ussd_drop_offs(
    since: datetime, still_open_after: datetime
) -> tuple[int, list[tuple[str, int]]]:
    """Sessions started since `since`, and for those that never reached an END screen (and
    are not still going), how many stopped on each screen, the worst first."""
    started = _count(UssdSession, UssdSession.started_at >= since)
    ended = exists().where(UssdHop.session_pk == UssdSession.id, UssdHop.ended.is_(True))
    screen = func.coalesce(UssdSession.last_screen, "?")
    rows = db().execute(
        select(screen, func.count())
        .where(
            UssdSession.started_at >= since,
            UssdSession.last_hop_at < still_open_after,
            ~ended,
        )
        .group_by(screen)
        .order_by(func.count().desc(), screen)
    )
    return started, [(name, n) for name, n in rows]


@bp.get("/")
def dashboard() -> str:
    settings = context().settings
    week = Week.current(settings.tz)
    messages = messages_by_state(week.start)
    handed = sum(messages.get(s, 0) for s in HANDED_OVER)
    sessions, drop_offs = ussd_drop_offs(
        week.start, utcnow() - timedelta(seconds=settings.ussd_session_ttl_s)
    )
    return render_template(
        "console/dashboard.html",
        week=week,
        people=_count(Person),
        vslas=_count(Vsla),
        trainees=_count(Trainee, Trainee.status.in_((TraineeStatus.ACTIVE, TraineeStatus.AT_RISK))),
        stages=cooperatives_by_stage(),
        messages={status: messages.get(status, 0) for status in SmsStatus},
        delivered=messages.get(SmsStatus.DELIVERED, 0),
        handed=handed,
        sessions=sessions,
        dropped=sum(n for _, n in drop_offs),
        drop_offs=drop_offs,
        open_cases=_count(AbsenceCase, AbsenceCase.status == CaseStatus.OPEN),
        waiting_joins=_count(JoinRequest, JoinRequest.status == JoinStatus.WAITING),
    )
