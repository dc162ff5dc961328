"""The TVET lifecycle and join requests from the command line."""

from __future__ import annotations

from datetime import timedelta

from click.testing import CliRunner
from sqlalchemy import select
from support.field import ALICE, build_field_world
from support.sms import TRAINER_RW, dm, post_sms, texts_to
from support.ussd import Phone

from ikimina.cli import main
from models import AbsenceCase, JoinRequest, Person
from models.at_risk import monday
from worker.process import install


def cli(context, *args: str):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": context.settings.database_url, "REDIS_URL": ""}
    result = CliRunner().invoke(main, list(args), env=env)
    install(context)
    return result


def test_staff_replace_a_trainee_list_intakes_and_graduate_on_the_cli(client, context) -> None:
    world = build_field_world(context)
    m = monday(world.today)
    for days in (14, 12, 6):
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(m - timedelta(days=days))}")
    with context.db.session() as s:
        case_id = s.scalar(
            select(AbsenceCase.id).where(AbsenceCase.trainee.has(code="T0042"))
        )
    waiting = cli(context, "tvet-waiting", "--district", "Rubavu", "--trade", "tailoring")
    assert waiting.output.index("Mukeshimana Alice") < waiting.output.index("Uwase Aline")
    start = world.today + timedelta(days=3)
    closed = cli(context, "cases", "close", str(case_id), "--replaced", "--start", f"{start}")
    assert closed.output == (
        f"Case {case_id} closed as replaced: T0042 Ishimwe Grace is now dropped; "
        f"T0501 Mukeshimana Alice starts {start:%Y-%m-%d}.\n"
    ), closed.output
    assert len(texts_to(context, ALICE, "tvet_place")) == 1
    assert "4 trainees, 3 active" in cli(context, "intakes").output  # T0042 dropped, T0501 in
    graduated = cli(context, "trainees", "graduate", "T0107")
    assert graduated.output == "T0107 Mugisha Eric: graduated.\n"
    assert cli(context, "trainees", "graduate", "T0042").exit_code == 1  # dropped: final
    bad = cli(context, "intakes", "add", "Gisenyi VTC", "Welding", "2027-01-10", "2027-01-01")
    assert bad.exit_code == 1 and "after the start date" in bad.output


def test_staff_enrol_a_join_request_on_the_cli(client, context) -> None:
    build_field_world(context)
    stranger = Phone(client, "+250788555111")
    stranger.dial()
    stranger.choose("Saba kwinjira mu itsinda")
    stranger.press("Uwase Alice")
    stranger.page_to("Rubavu")
    stranger.choose("Rubavu")
    stranger.choose("Gisenyi")
    stranger.choose("Emeza")
    with context.db.session() as s:
        request_id = s.scalar(select(JoinRequest.id))
    assert "Uwase Alice" in cli(context, "join-requests").output
    done = cli(context, "join-requests", "enrol", str(request_id), "--group", "twiyubake")
    assert done.output == "Uwase Alice is now a member of Twiyubake. Welcome SMS queued.\n"
    with context.db.session() as s:
        person = s.scalar(select(Person).where(Person.phone == "+250788555111"))
        assert person is not None and person.vsla.name == "Twiyubake"
