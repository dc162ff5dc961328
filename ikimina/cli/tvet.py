"""`ikimina intakes`, `graduate-ended`, `trainees`, `tvet-waiting`, `join-requests`: the TVET
lifecycle and join requests from the command line (the same services as USSD and console)."""

from __future__ import annotations

from datetime import datetime, time
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select

from ikimina.cli.common import context, fail
from models import (
    District,
    Intake,
    JoinRequest,
    JoinStatus,
    Trainee,
    TraineeStatus,
    TvetRequest,
    TvetRequestStatus,
    Vsla,
    Vtc,
    utcnow,
)
from models.tvet import BadTransition, set_status
from services.attendance import CaseError
from services.joins import JoinError, enrol
from services.pin_resets import ResetError, record_id_digits
from services.tvet import graduate, graduate_ended

DAY = click.DateTime(["%Y-%m-%d"])


@click.group("intakes", invoke_without_command=True)
@click.pass_context
def intakes_group(ctx: click.Context) -> None:
    """Intakes (a trade at a VTC, start to end): with no subcommand, list them."""
    if ctx.invoked_subcommand is not None:
        return
    with context().db.session() as session:
        rows = session.scalars(select(Intake).order_by(Intake.start_date, Intake.id)).all()
        if not rows:
            click.echo("No intakes.")
        for i in rows:
            active = sum(t.status is TraineeStatus.ACTIVE for t in i.trainees)
            click.echo(
                f"{i.id:>4}  {i.vtc.name[:20]:<20} {i.trade[:16]:<16} {i.start_date} to "
                f"{i.end_date} {i.start_time:%H:%M}  {len(i.trainees)} trainees, {active} active"
            )


@intakes_group.command("add")
@click.argument("vtc_name")
@click.argument("trade")
@click.argument("start", type=DAY)
@click.argument("end", type=DAY)
@click.option("--time", "at", default="08:00", help="First day's start time, HH:MM.")
def intakes_add(vtc_name: str, trade: str, start: datetime, end: datetime, at: str) -> None:
    """Add an intake of TRADE at VTC_NAME from START to END (YYYY-MM-DD)."""
    if end <= start:
        fail("the end date must be after the start date")
    with context().db.session() as session:
        vtc = session.scalar(select(Vtc).where(func.lower(Vtc.name) == vtc_name.lower()))
        if vtc is None:
            fail(f"no VTC named {vtc_name!r}")
        intake = Intake(
            vtc=vtc,
            trade=trade,
            start_date=start.date(),
            end_date=end.date(),
            start_time=time.fromisoformat(at),
        )
        session.add(intake)
        session.flush()
        click.echo(f"Intake {intake.id}: {vtc.name}, {trade}, {start:%Y-%m-%d} to {end:%Y-%m-%d}.")


@intakes_group.command("graduate")
@click.argument("intake_id", type=int)
def intakes_graduate(intake_id: int) -> None:
    """Graduate every active trainee of intake INTAKE_ID now."""
    services = context(eager=True)  # the SMS go before the command returns
    with services.db.session() as session:
        intake = session.get(Intake, intake_id)
        if intake is None:
            fail(f"no intake {intake_id}")
        ids = [t.id for t in intake.trainees if t.status is TraineeStatus.ACTIVE]
        count = graduate(session, services.settings, ids, now=utcnow())
        click.echo(f"Trainees graduated: {count}.")


@click.command("graduate-ended")
@click.option("--today", type=DAY, default=None, help="Default: today in Kigali.")
def graduate_ended_command(today: datetime | None) -> None:
    """Graduate the active trainees of intakes that ended (what the daily job does)."""
    services = context(eager=True)  # the SMS go before the command returns
    now = utcnow()
    day = today.date() if today else now.astimezone(ZoneInfo(services.settings.tz)).date()
    with services.db.session() as session:
        count = graduate_ended(session, services.settings, day, now)
    click.echo(f"Trainees graduated: {count}.")


@click.group("trainees")
def trainees_group() -> None:
    """Trainees: graduate or drop them by code."""


def _move(codes: tuple[str, ...], status: TraineeStatus) -> None:
    services = context(eager=True)  # the SMS go before the command returns
    try:
        with services.db.session() as session:
            found = session.scalars(select(Trainee).where(Trainee.code.in_(codes))).all()
            missing = set(codes) - {t.code for t in found}
            if missing:
                fail(f"no trainee {', '.join(sorted(missing))}")
            if status is TraineeStatus.GRADUATED:
                graduate(session, services.settings, [t.id for t in found], now=utcnow())
            else:
                for t in found:
                    set_status(t, status, utcnow())
            for t in found:
                click.echo(f"{t.code} {t.person.name}: {t.status.value}.")
    except (CaseError, BadTransition) as exc:
        fail(str(exc))


@trainees_group.command("graduate")
@click.argument("codes", nargs=-1, required=True)
def trainees_graduate(codes: tuple[str, ...]) -> None:
    """Graduate the active trainees CODES now (each is texted)."""
    _move(codes, TraineeStatus.GRADUATED)


@trainees_group.command("drop")
@click.argument("codes", nargs=-1, required=True)
def trainees_drop(codes: tuple[str, ...]) -> None:
    """Drop the trainees CODES (they quit): out of lists and reminders."""
    _move(codes, TraineeStatus.DROPPED)


@click.command("tvet-waiting")
@click.option("--district", default=None, help="District name.")
@click.option("--trade", default=None)
def tvet_waiting(district: str | None, trade: str | None) -> None:
    """The TVET waiting list, by district and trade, oldest first."""
    with context().db.session() as session:
        query = (
            select(TvetRequest)
            .join(District, District.id == TvetRequest.district_id)
            .where(TvetRequest.status == TvetRequestStatus.WAITING)
            .order_by(District.name, func.lower(TvetRequest.trade), TvetRequest.requested_at)
        )
        if district:
            query = query.where(func.lower(District.name) == district.lower())
        if trade:
            query = query.where(func.lower(TvetRequest.trade) == trade.lower())
        rows = session.scalars(query).all()
        if not rows:
            click.echo("Nobody is waiting.")
        for r in rows:
            click.echo(
                f"{r.district.name:<12} {r.trade[:16]:<16} {r.person.name[:24]:<24} "
                f"{r.person.phone}  {r.requested_at:%Y-%m-%d}"
            )


@click.group("join-requests", invoke_without_command=True)
@click.option("--status", type=click.Choice([s.value for s in JoinStatus]), default="waiting")
@click.pass_context
def join_requests_group(ctx: click.Context, status: str) -> None:
    """Join requests: with no subcommand, list those with --status (default waiting)."""
    if ctx.invoked_subcommand is not None:
        return
    with context().db.session() as session:
        rows = session.scalars(
            select(JoinRequest)
            .where(JoinRequest.status == JoinStatus(status))
            .order_by(JoinRequest.created_at)
        ).all()
        if not rows:
            click.echo("No join requests.")
        for r in rows:
            place = r.sector.name if r.sector else (r.district.name if r.district else "-")
            click.echo(f"{r.id:>4}  {r.name[:24]:<24} {r.phone}  {place}  {r.created_at:%Y-%m-%d}")


@join_requests_group.command("enrol")
@click.argument("request_id", type=int)
@click.option("--group", "group_name", required=True, help="The savings group's name.")
@click.option(
    "--id-last4", "id_last4", default="", help="The last 4 digits of their national ID."
)
def join_requests_enrol(request_id: int, group_name: str, id_last4: str) -> None:
    """Enrol join request REQUEST_ID in --group: the person is made or linked and welcomed;
    --id-last4 records the proof for their first PIN (hashed)."""
    services = context(eager=True)  # the SMS go before the command returns
    with services.db.session() as session:
        request = session.get(JoinRequest, request_id)
        group = session.scalar(select(Vsla).where(func.lower(Vsla.name) == group_name.lower()))
        if request is None or group is None:
            fail("no such join request or group")
        try:
            person = enrol(session, services.settings, request, group, by=None, now=utcnow())
            if id_last4:
                record_id_digits(services.settings, person, id_last4)
        except (JoinError, ResetError) as exc:
            fail(str(exc))
        click.echo(f"{person.name} is now a member of {group.name}. Welcome SMS queued.")


def register(main: click.Group) -> None:
    for command in (
        intakes_group,
        graduate_ended_command,
        trainees_group,
        tvet_waiting,
        join_requests_group,
    ):
        main.add_command(command)
