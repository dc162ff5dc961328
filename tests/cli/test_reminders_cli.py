"""Staff see what reminders will go out, and move a cooperative's registration on, by CLI."""

from __future__ import annotations

from click.testing import CliRunner
from freezegun import freeze_time
from sqlalchemy import select
from support import factories as f
from support.reminders import CLAUDINE, JEAN, build_world, kigali, rule_of, sent

from ikimina.cli import main
from models import Cooperative, Role, Stage


def run(database_url: str, *args: str):  # type: ignore[no-untyped-def]
    env = {"DATABASE_URL": database_url, "REDIS_URL": "", "SMS_GATEWAY": "local"}
    return CliRunner().invoke(main, list(args), env=env)


def test_reminders_next_7d_lists_what_goes_out_when_and_to_how_many(context) -> None:
    build_world(context)
    with freeze_time(kigali(29, 12, month=11)):
        result = run(context.settings.database_url, "reminders", "--next", "7d")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Reminders from 2026-11-29 12:00 to 2026-12-06 12:00 (Africa/Kigali):"
    assert lines[2:10] == [
        "2026-11-30 08:00  stalled_registrations        1  2 cooperatives stalled",
        "2026-12-01 09:00  loan_repayment               1  Twiyubake: Uwase Aline owes 40000 RWF",
        "2026-12-01 18:00  vsla_meeting                 3  Twiyubake",
        "2026-12-02 18:00  training_tomorrow            3  Business plan (vsla:Twiyubake)",
        "2026-12-03 08:00  training_soon                3  Business plan (vsla:Twiyubake)",
        "2026-12-03 18:00  training_tomorrow            1  Financial literacy (vtc:Gisenyi VTC)",
        "2026-12-04 07:00  training_soon                1  Financial literacy (vtc:Gisenyi VTC)",
        "Per rule:",
    ]
    assert "  training_tomorrow: 2 reminder(s), 4 SMS" in lines
    assert lines[-1] == "Total: 13 SMS."
    assert sent(context) == []  # listing sends nothing


def test_reminders_next_7d_lists_the_friday_missing_report_reminder(context) -> None:
    build_world(context)
    with context.db.session() as s:
        trainer = f.person(s, "+250788100040", "Uwimana Grace", roles=(Role.TRAINER,))
        joy = f.person(s, "+250788100041", "Ishimwe Joy")
        f.trainee(s, "T0040", joy, f.vtc(s, "Rubavu VTC"), trainer)
    with freeze_time(kigali(29, 12, month=11)):
        result = run(context.settings.database_url, "reminders", "--next", "7d")
    assert result.exit_code == 0, result.output
    assert (
        "2026-12-04 16:00  missing_report               1  "
        "trainers without a report for the week of 30/11"
    ) in result.output.splitlines()
    assert "  missing_report: 1 reminder(s), 1 SMS" in result.output.splitlines()


def test_reminders_rejects_a_span_it_cannot_read(context) -> None:
    result = run(context.settings.database_url, "reminders", "--next", "soon")
    assert result.exit_code == 2
    assert "use a number and d, h or m" in result.output


def test_cooperative_stage_records_the_step_and_tells_the_leaders_once(context) -> None:
    build_world(context)
    url = context.settings.database_url
    with freeze_time(kigali(3, 11)):
        result = run(
            url, "cooperative-stage", "abakora neza", "certified", "--certificate", "RCA/77"
        )
        again = run(
            url, "cooperative-stage", "Abakora Neza", "certified", "--certificate", "RCA/77"
        )
    assert result.exit_code == 0, result.output
    assert result.output == "Abakora Neza: certified on 2026-12-03; SMS queued to 2 member(s).\n"
    assert again.exit_code == 1
    assert "already at stage certified" in again.output
    rows = sent(context)
    assert sorted((rule_of(r), r.phone) for r in rows) == [
        ("stage_changed", CLAUDINE),
        ("stage_changed", JEAN),
    ]
    assert "Certificate number RCA/77" in [r.text for r in rows if r.phone == JEAN][0]
    with context.db.session() as s:
        coop = s.scalar(select(Cooperative).where(Cooperative.name == "Abakora Neza"))
        assert coop is not None
        assert (coop.stage, coop.certificate_no) == (Stage.CERTIFIED, "RCA/77")
        assert [c.stage for c in coop.history][-1] is Stage.CERTIFIED


def test_cooperative_stage_says_what_is_wrong(context) -> None:
    build_world(context)
    url = context.settings.database_url
    unknown = run(url, "cooperative-stage", "Nowhere", "formed")
    assert unknown.exit_code == 1 and "no cooperative named 'Nowhere'" in unknown.output
    no_reason = run(url, "cooperative-stage", "Dukore", "rejected", "--date", "2026-12-01")
    assert no_reason.exit_code == 1 and "needs its reason" in no_reason.output
    bad_stage = run(url, "cooperative-stage", "Dukore", "finished")
    assert bad_stage.exit_code == 2
    assert sent(context) == []
