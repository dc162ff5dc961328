"""`ikimina cases`: trainees absent two weeks running, and closing their cases."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import click

from ikimina.cli.common import context, fail
from models import AbsenceCase, AbsenceReason, CaseStatus, normalize_phone, utcnow
from models.at_risk import case_days, open_cases
from services.attendance import CaseError, close_case
from services.tvet import drop, replace, waiting_for


@click.group("cases", invoke_without_command=True)
@click.pass_context
def cases_group(ctx: click.Context) -> None:
    """Absence cases: with no subcommand, list the open ones with the days absent."""
    if ctx.invoked_subcommand is not None:
        return
    services = context(eager=True)  # the SMS go before the command returns
    with services.db.session() as session:
        found = open_cases(session)
        if not found:
            click.echo("No open cases.")
            return
        click.echo(
            f"{'case':>5}  {'code':<8} {'trainee':<24} {'trade':<16} {'vtc':<20} days absent"
        )
        for case in found:
            trainee = case.trainee
            days = case_days(case)
            listed = ", ".join(f"{d:%d/%m/%Y}" for d in days)
            click.echo(
                f"{case.id:>5}  {trainee.code:<8} {trainee.person.name[:24]:<24} "
                f"{trainee.trade[:16]:<16} {trainee.vtc.name[:20]:<20} {len(days)}: {listed}"
            )


@cases_group.command("close")
@click.argument("case_id", type=int)
@click.option(
    "--replaced",
    "outcome",
    flag_value="replaced",
    help="Place given to the oldest waiting member of the trade (or --with PHONE).",
)
@click.option("--dropped", "outcome", flag_value="dropped", help="Trainee leaves, no one new.")
@click.option(
    "--justified", "outcome", flag_value=CaseStatus.JUSTIFIED.value, help="Absence excused."
)
@click.option(
    "--reason",
    type=click.Choice([r.value for r in AbsenceReason]),
    default=None,
    help="Why the absence is justified (needed with --justified).",
)
@click.option("--with", "with_phone", default=None, help="--replaced: the waiting member.")
@click.option(
    "--start",
    type=click.DateTime(["%Y-%m-%d"]),
    default=None,
    help="--replaced: the newcomer's first day (default tomorrow).",
)
@click.option("--note", default=None, help="Why (kept on the case).")
def close(
    case_id: int,
    outcome: str | None,
    reason: str | None,
    with_phone: str | None,
    start: datetime | None,
    note: str | None,
) -> None:
    """Close case CASE_ID: --justified --reason R (stays active), --replaced (the oldest
    waiting member of the trade takes the place; the trainee is dropped) or --dropped."""
    if outcome is None:
        fail("say how the case ends: --replaced, --dropped or --justified --reason R")
        return
    services = context(eager=True)  # the SMS go before the command returns
    now = utcnow()
    try:
        with services.db.session() as session:
            if outcome == CaseStatus.JUSTIFIED.value:
                if reason is None:
                    fail(
                        "--justified needs --reason ("
                        + ", ".join(r.value for r in AbsenceReason)
                        + ")"
                    )
                    return
                case = close_case(
                    session,
                    case_id,
                    CaseStatus.JUSTIFIED,
                    now=now,
                    note=note,
                    reason=AbsenceReason(reason),
                )
            elif outcome == "dropped":
                case = drop(session, services.settings, case_id, by=None, now=now, note=note)
            else:
                case = _replace(session, services.settings, case_id, with_phone, start, now)
                if case is None:
                    return
            session.flush()
            trainee = case.trainee
            line = (
                f"Case {case.id} closed as {case.status.value}: {trainee.code} "
                f"{trainee.person.name} is now {trainee.status.value}"
            )
            new = case.replacement
            if new is not None:
                line += f"; {new.code} {new.person.name} starts {new.start_date:%Y-%m-%d}"
            click.echo(line + ".")
    except CaseError as exc:
        fail(str(exc))


def _replace(session, settings, case_id, with_phone, start, now):  # type: ignore[no-untyped-def]
    """The replaced outcome: the chosen (or oldest) waiting member, from `start` or tomorrow."""
    case = session.get(AbsenceCase, case_id)
    if case is None:
        raise CaseError(f"no case {case_id}")
    if case.status is not CaseStatus.OPEN:
        raise CaseError(f"case {case_id} is already closed ({case.status.value})")
    trainee = case.trainee
    waiting = (
        waiting_for(session, trainee.vtc.district_id, trainee.trade)
        if trainee.vtc.district_id is not None
        else []
    )
    if with_phone:
        phone = normalize_phone(with_phone)
        waiting = [r for r in waiting if r.person.phone == phone]
    if not waiting:
        fail(f"nobody waits for {trainee.trade} in this district: use --dropped")
        return None
    today = now.astimezone(ZoneInfo(settings.tz)).date()
    day = start.date() if start else today + timedelta(days=1)
    return replace(session, settings, case_id, waiting[0].id, starts_on=day, by=None, now=now).case


def register(main: click.Group) -> None:
    main.add_command(cases_group)
