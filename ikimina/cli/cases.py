"""`ikimina cases`: trainees absent two weeks running, and closing their cases."""

from __future__ import annotations

import click

from ikimina.cli.common import context, fail
from models import CaseStatus, utcnow
from models.at_risk import case_days, open_cases
from services.attendance import CaseError, close_case


@click.group("cases", invoke_without_command=True)
@click.pass_context
def cases_group(ctx: click.Context) -> None:
    """Absence cases: with no subcommand, list the open ones with the days absent."""
    if ctx.invoked_subcommand is not None:
        return
    services = context()
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
    "--replaced", "outcome", flag_value=CaseStatus.REPLACED.value, help="Place given away."
)
@click.option(
    "--justified", "outcome", flag_value=CaseStatus.JUSTIFIED.value, help="Absence excused."
)
@click.option("--note", default=None, help="Why (kept on the case).")
def close(case_id: int, outcome: str | None, note: str | None) -> None:
    """Close case CASE_ID as --replaced (the trainee leaves) or --justified (stays active)."""
    if outcome is None:
        fail("say how the case ends: --replaced or --justified")
        return
    services = context()
    try:
        with services.db.session() as session:
            case = close_case(session, case_id, CaseStatus(outcome), now=utcnow(), note=note)
            trainee = case.trainee
            click.echo(
                f"Case {case.id} closed as {outcome}: {trainee.code} {trainee.person.name} "
                f"is now {trainee.status.value}."
            )
    except CaseError as exc:
        fail(str(exc))


def register(main: click.Group) -> None:
    main.add_command(cases_group)
