"""`ikimina broadcast`, `ikimina outbox`, `ikimina inbox` and `ikimina at-standin`: SMS."""

from __future__ import annotations

import time
from datetime import datetime
from zoneinfo import ZoneInfo

import click
from sqlalchemy import func, select

from ikimina.cli.common import context, fail
from models import OutboundSms, SmsStatus, utcnow
from runtime.context import Context
from runtime.settings import Settings

SHOWN = 20


def _context() -> Context:
    """The context for a command; without Redis, jobs run at once in this process."""
    return context(eager=True)


@click.command()
@click.argument("audience")
@click.option("--text-rw", help="Text in Kinyarwanda (the fallback for everyone).")
@click.option("--text-en", help="Text in English.")
@click.option("--text-fr", help="Text in French.")
@click.option("--at", "at_", metavar="'YYYY-MM-DD HH:MM'", help="Send at this Kigali time.")
@click.option("--urgent", is_flag=True, help="Send even in quiet hours (21:00-07:00).")
@click.option("--dry-run", is_flag=True, help="Show recipients, segments and cost; send nothing.")
@click.option("--yes", "-y", is_flag=True, help="Do not ask for confirmation.")
def broadcast(
    audience: str,
    text_rw: str | None,
    text_en: str | None,
    text_fr: str | None,
    at_: str | None,
    urgent: bool,
    dry_run: bool,
    yes: bool,
) -> None:
    """Send an SMS to AUDIENCE, e.g. all, 'district:Rubavu role:leader', 'vsla:"Twiyubake"'."""
    from services import broadcasts

    ctx = _context()
    texts = {"rw": text_rw or "", "en": text_en or "", "fr": text_fr or ""}
    send_at = _kigali(at_, ctx.settings.tz) if at_ else None
    with ctx.db.session() as session:
        try:
            seen = broadcasts.preview(session, ctx.settings, audience, texts)
        except broadcasts.BadBroadcast as exc:
            fail(str(exc))
        click.echo(_describe(seen, ctx.settings))
        if seen.unknown_names:
            fail(f"No such {', '.join(seen.unknown_names)}.")
        if dry_run:
            click.echo("Dry run: nothing sent.")
            return
        if not yes:
            click.confirm(f"Send to {seen.recipients} people?", abort=True)
        try:
            created = broadcasts.create(
                session, ctx.settings, audience, texts, send_at=send_at, urgent=urgent
            )
        except broadcasts.BadBroadcast as exc:
            fail(str(exc))
    when = f"at {at_} (Kigali)" if send_at else "now"
    click.echo(f"Broadcast {created.id} to {created.recipients} people, {when}.")


def _kigali(value: str, tz: str) -> datetime:
    try:
        local = datetime.strptime(value.strip(), "%Y-%m-%d %H:%M")
    except ValueError:
        fail(f"--at {value!r}: use 'YYYY-MM-DD HH:MM' (Kigali time)")
    return local.replace(tzinfo=ZoneInfo(tz))


def _describe(seen, settings: Settings) -> str:  # type: ignore[no-untyped-def]
    lines = [f"Audience: {seen.audience}", f"Recipients: {seen.recipients}"]
    if seen.opted_out:
        lines.append(f"Opted out (skipped): {seen.opted_out}")
    for share in seen.languages:
        lines.append(
            f"  {share.language}: {share.recipients} people, text {share.text_language}, "
            f"{share.segments} SMS each ({share.encoding})"
        )
    lines.append(f"Segments: {seen.total_segments}")
    lines.append(
        f"Estimated cost: RWF {seen.estimated_cost:,.0f} "
        f"(at RWF {settings.sms_cost_per_segment:g} per segment)"
    )
    return "\n".join(lines)


def _ids(flag: str, dest: str, help_text: str):  # type: ignore[no-untyped-def]
    return click.option(flag, dest, type=int, multiple=True, metavar="ID", help=help_text)


@click.command()
@_ids("--requeue", "requeue_ids", "Send these SMS again (failed, review or cancelled).")
@click.option("--requeue-failed", is_flag=True, help="Send every failed SMS again.")
@_ids("--cancel", "cancel_ids", "Never send these SMS (e.g. a review row the person did get).")
@click.option("--resume-bulk", is_flag=True, help="Lift the bulk pause after a top-up.")
def outbox(
    requeue_ids: tuple[int, ...],
    requeue_failed: bool,
    cancel_ids: tuple[int, ...],
    resume_bulk: bool,
) -> None:
    """Outbound SMS: counts per state, failed and stuck messages, the bulk pause."""
    from services.outbox import cancel, failed_ids, requeue
    from services.pause import paused
    from services.pause import resume_bulk as lift
    from services.sending import requeue_waiting

    ctx = _context()
    with ctx.db.session() as session:
        if requeue_failed:
            requeue_ids += tuple(failed_ids(session))
        if requeue_ids:
            click.echo(f"Requeued {requeue(session, requeue_ids)} SMS.")
        if cancel_ids:
            click.echo(f"Cancelled {cancel(session, cancel_ids)} SMS.")
        if resume_bulk:
            click.echo("Bulk sending resumed." if lift(session) else "Bulk sending was not paused.")
    if resume_bulk:
        now = utcnow()
        click.echo(f"{requeue_waiting(ctx, now, now, only_bulk=True)} bulk SMS back in the queue.")
    with ctx.db.session() as session:
        click.echo(_report(session, ctx.settings, paused(session)))


def _report(session, settings: Settings, pause) -> str:  # type: ignore[no-untyped-def]
    counts = dict(
        session.execute(select(OutboundSms.status, func.count()).group_by(OutboundSms.status)).all()
    )
    lines = ["Outbox: " + "  ".join(f"{s.value} {counts.get(s, 0)}" for s in SmsStatus)]
    if pause is None:
        lines.append("Bulk sending: on")
    else:
        lines.append(
            f"Bulk sending: PAUSED since {pause.since:%Y-%m-%d %H:%M} UTC ({pause.reason}); "
            "top up, then: ikimina outbox --resume-bulk"
        )
    failed = _latest(session, OutboundSms.status == SmsStatus.FAILED)
    if failed:
        lines.append(f"Failed (latest {SHOWN}):")
        lines += [f"  #{r.id} {r.phone} {r.kind}: {r.failure_reason}" for r in failed]
    stale = utcnow().timestamp() - settings.sms_claim_timeout_s
    review = _latest(session, OutboundSms.status == SmsStatus.REVIEW)
    stuck = [
        r
        for r in _latest(session, OutboundSms.status == SmsStatus.SENDING)
        if r.claimed_at and r.claimed_at.timestamp() < stale
    ]
    if review or stuck:
        lines.append("To review (maybe sent; --requeue ID to resend, --cancel ID if received):")
        lines += [
            f"  #{r.id} {r.phone} {r.status.value} by {r.claimed_by} at "
            f"{r.claimed_at:%Y-%m-%d %H:%M} UTC: {r.text[:40]}"
            for r in review + stuck
        ]
    return "\n".join(lines)


def _latest(session, condition) -> list[OutboundSms]:  # type: ignore[no-untyped-def]
    return list(
        session.scalars(
            select(OutboundSms).where(condition).order_by(OutboundSms.id.desc()).limit(SHOWN)
        )
    )


@click.command()
@click.argument("phone")
def inbox(phone: str) -> None:
    """Show the SMS the local (demo) gateway sent to PHONE."""
    from sms.demo_inbox import inbox as messages
    from sms.demo_inbox import render

    ctx = _context()
    with ctx.db.session() as session:
        click.echo(render(phone, messages(session, phone), ctx.settings.tz))


@click.command("at-standin")
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8099, show_default=True)
@click.option(
    "--code",
    "codes",
    multiple=True,
    metavar="PHONE=CODE",
    help="Answer this statusCode for this number (default 101).",
)
@click.option("--http-status", type=int, help="Answer every request with this HTTP error.")
@click.option("--delay", type=float, default=0.0, help="Seconds to wait before answering.")
@click.option("--quiet", is_flag=True, help="Do not keep requests in memory (benchmarks).")
def at_standin(
    host: str,
    port: int,
    codes: tuple[str, ...],
    http_status: int | None,
    delay: float,
    quiet: bool,
) -> None:
    """Run a local stand-in for Africa's Talking's SMS API (AT_API_URL=http://HOST:PORT)."""
    from tools.at_standin import AtStandIn

    standin = AtStandIn(host, port)
    for item in codes:
        number, _, code = item.partition("=")
        standin.config.codes[number] = int(code)
    standin.config.http_status, standin.config.delay_s = http_status, delay
    standin.config.record = not quiet
    standin.start()
    click.echo(f"Africa's Talking stand-in on {standin.url} (AT_API_URL={standin.url})", err=True)
    try:
        while True:
            time.sleep(3600)
    except KeyboardInterrupt:
        standin.stop()


def register(main: click.Group) -> None:
    for command in (broadcast, outbox, inbox, at_standin):
        main.add_command(command)
