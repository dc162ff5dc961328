"""`ikimina reminders` (what will go out) and `ikimina cooperative-stage` (registration steps)."""

from __future__ import annotations

import re
from collections import Counter
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select

from ikimina.cli.common import context, fail
from models import Cooperative, Stage, utcnow

_SPAN = re.compile(r"^\s*(\d+)\s*([dhm])\s*$", re.IGNORECASE)
_UNITS = {"d": "days", "h": "hours", "m": "minutes"}


def parse_span(text: str) -> timedelta:
    """`7d`, `12h` or `90m` as a timedelta."""
    match = _SPAN.match(text)
    if not match:
        raise click.BadParameter(f"{text!r}: use a number and d, h or m, e.g. 7d")
    return timedelta(**{_UNITS[match[2].lower()]: int(match[1])})


@click.command()
@click.option("--next", "span", default="7d", show_default=True, help="How far ahead: 7d, 12h.")
def reminders(span: str) -> None:
    """List the reminders that will go out: when (local time), which rule, to how many people."""
    from services.reminders import upcoming

    ctx = context()
    tz = ZoneInfo(ctx.settings.tz)
    now = utcnow()
    until = now + parse_span(span)
    with ctx.db.session() as session:
        rows = upcoming(session, ctx.settings, now, until)
    click.echo(f"Reminders from {_local(now, tz)} to {_local(until, tz)} ({ctx.settings.tz}):")
    if not rows:
        click.echo("none.")
        return
    click.echo(f"{'when':16}  {'rule':22}  {'people':>6}  about")
    for row in rows:
        click.echo(f"{_local(row.at, tz)}  {row.rule:22}  {row.people:>6}  {row.label}")
    occasions: Counter[str] = Counter()
    sms: Counter[str] = Counter()
    for row in rows:
        occasions[row.rule] += 1
        sms[row.rule] += row.people
    click.echo("Per rule:")
    for rule, count in occasions.items():
        click.echo(f"  {rule}: {count} reminder(s), {sms[rule]} SMS")
    click.echo(f"Total: {sum(sms.values())} SMS.")


def _local(moment: datetime, tz: ZoneInfo) -> str:
    return moment.astimezone(tz).strftime("%Y-%m-%d %H:%M")


@click.command("cooperative-stage")
@click.argument("name")
@click.argument("stage", type=click.Choice([s.value for s in Stage]))
@click.option("--date", "on", type=click.DateTime(["%Y-%m-%d"]), help="Default: today.")
@click.option("--certificate", help="RCA certificate number (stage certified).")
@click.option("--reason", help="Why it was rejected (stage rejected).")
@click.option("--note", help="A note for the history.")
def cooperative_stage(
    name: str,
    stage: str,
    on: datetime | None,
    certificate: str | None,
    reason: str | None,
    note: str | None,
) -> None:
    """Record that cooperative NAME reached STAGE; its members get an SMS at once."""
    from services.registration import BadStageChange, change_stage, members_told

    ctx = context()
    day: date = on.date() if on else utcnow().astimezone(ZoneInfo(ctx.settings.tz)).date()
    with ctx.db.session() as session:
        cooperative = session.scalar(
            select(Cooperative).where(func.lower(Cooperative.name) == name.strip().lower())
        )
        if cooperative is None:
            fail(f"no cooperative named {name!r}")
            return
        try:
            change = change_stage(
                session,
                ctx.settings,
                cooperative,
                Stage(stage),
                on=day,
                note=note,
                certificate_no=certificate,
                rejection_reason=reason,
            )
        except BadStageChange as exc:
            fail(str(exc))
            return
        told = members_told(session, change)
    click.echo(f"{cooperative.name}: {stage} on {day:%Y-%m-%d}; SMS queued to {told} member(s).")


def register(main: click.Group) -> None:
    for command in (reminders, cooperative_stage):
        main.add_command(command)
