"""Staff broadcast to an audience: preview, create, fan-out, counts, quiet hours, the CLI."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
from sqlalchemy import func, select
from support import factories as make

from ikimina.cli import main
from models import Broadcast, BroadcastStatus, Language, OutboundSms, Priority, Role, SmsStatus
from services import broadcasts
from services.outbox import queue_sms
from services.quiet import quiet_until
from worker.jobs.outbound import fan_out_broadcast

TEXTS = {"rw": "Inama y'abayobozi ni ejo saa tatu.", "en": "Leaders meet tomorrow at 9."}
DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 12:00 in Kigali
NIGHT = datetime(2026, 12, 1, 20, 30, tzinfo=UTC)  # 22:30 in Kigali


@pytest.fixture
def people(context):  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        make.person(s, "+250788500001", roles=(Role.LEADER,))
        make.person(s, "+250788500002", roles=(Role.LEADER,), language=Language.EN)
        make.person(s, "+250788500003", roles=(Role.LEADER,), language=Language.FR)
        out = make.person(s, "+250788500004", roles=(Role.LEADER,))
        out.opted_out = True
        make.person(s, "+250788500005", roles=(Role.MEMBER,))
        make.person(s, "+250788500006", roles=(Role.LEADER,), district_name="Nyabihu")


def test_preview_counts_recipients_languages_segments_and_cost(context, people) -> None:
    with context.db.session() as s:
        seen = broadcasts.preview(s, context.settings, "district:Rubavu role:leader", TEXTS)
    assert seen.recipients == 3 and seen.opted_out == 1
    assert [(x.language, x.recipients, x.text_language) for x in seen.languages] == [
        ("en", 1, "en"),
        ("fr", 1, "rw"),  # no French text: Kinyarwanda
        ("rw", 1, "rw"),
    ]
    assert seen.total_segments == 3
    assert seen.estimated_cost == 30.0
    assert seen.unknown_names == ()


def test_preview_names_what_does_not_exist_and_create_refuses_it(context, people) -> None:
    with context.db.session() as s:
        seen = broadcasts.preview(s, context.settings, "district:Atlantis", TEXTS)
        assert seen.unknown_names == ("district:Atlantis",)
        with pytest.raises(broadcasts.BadBroadcast, match="Atlantis"):
            broadcasts.create(s, context.settings, "district:Atlantis", TEXTS)
        with pytest.raises(broadcasts.BadBroadcast, match="unknown audience key"):
            broadcasts.preview(s, context.settings, "planet:Mars", TEXTS)
        with pytest.raises(broadcasts.BadBroadcast, match="at least one language"):
            broadcasts.preview(s, context.settings, "all", {"rw": "  "})


@freeze_time(DAY)
def test_create_fans_out_in_the_worker_and_counts_per_state(context, people) -> None:
    with context.db.session() as s:
        created = broadcasts.create(s, context.settings, "role:leader district:Rubavu", TEXTS)
    with context.db.session() as s:
        b = s.get(Broadcast, created.id)
        assert b.status is BroadcastStatus.DONE and b.recipients == 3
        texts = dict(
            s.execute(
                select(OutboundSms.phone, OutboundSms.text).where(OutboundSms.broadcast_id == b.id)
            ).all()
        )
        assert texts == {
            "+250788500001": TEXTS["rw"],
            "+250788500002": TEXTS["en"],
            "+250788500003": TEXTS["rw"],
        }
        assert broadcasts.counts(s, b.id)["sent"] == 3
        assert broadcasts.counts(s, b.id)["total"] == 3
    assert fan_out_broadcast(created.id) == 0  # done: nothing twice
    with context.db.session() as s:
        b = s.get(Broadcast, created.id)
        b.status = BroadcastStatus.SENDING  # as if the fan-out had crashed half-way
    assert fan_out_broadcast(created.id) == 0
    with context.db.session() as s:
        assert s.scalar(select(func.count()).select_from(OutboundSms)) == 3


def test_quiet_hours_end_at_seven_in_kigali(settings) -> None:
    assert quiet_until(NIGHT, settings) == datetime(2026, 12, 2, 5, 0, tzinfo=UTC)
    assert quiet_until(datetime(2026, 12, 2, 3, 0, tzinfo=UTC), settings) == datetime(
        2026, 12, 2, 5, 0, tzinfo=UTC
    )
    assert quiet_until(DAY, settings) is None


@freeze_time(NIGHT)
def test_at_night_a_broadcast_waits_for_seven_unless_urgent(context, people) -> None:
    with context.db.session() as s:
        calm = broadcasts.create(s, context.settings, "role:leader district:Rubavu", TEXTS)
        urgent = broadcasts.create(s, context.settings, "language:en", TEXTS, urgent=True)
    with context.db.session() as s:
        waiting = broadcasts.counts(s, calm.id)
        assert waiting["queued"] == 3 and waiting["sent"] == 0
        not_before = s.scalars(
            select(OutboundSms.not_before).where(OutboundSms.broadcast_id == calm.id)
        ).all()
        assert set(not_before) == {datetime(2026, 12, 2, 5, 0, tzinfo=UTC)}
        assert broadcasts.counts(s, urgent.id)["sent"] == 1


@freeze_time(NIGHT)
def test_at_night_a_reply_goes_at_once_and_a_reminder_waits(context) -> None:
    with context.db.session() as s:
        reply = queue_sms(s, context.settings, "+250788500001", "Twakiriye raporo yawe.")
        reminder = queue_sms(
            s,
            context.settings,
            "+250788500001",
            "Inama ejo",
            kind="reminder",
            priority=Priority.BULK,
        )
    with context.db.session() as s:
        assert s.get(OutboundSms, reply.id).status is SmsStatus.SENT
        held = s.get(OutboundSms, reminder.id)
        assert held.status is SmsStatus.QUEUED
        assert held.not_before == datetime(2026, 12, 2, 5, 0, tzinfo=UTC)


def _env(context) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"DATABASE_URL": context.settings.database_url, "REDIS_URL": "", "SMS_GATEWAY": "local"}


@freeze_time(DAY)
def test_the_cli_dry_run_shows_recipients_segments_and_cost_and_sends_nothing(
    context, people
) -> None:
    result = CliRunner().invoke(
        main,
        [
            "broadcast",
            "role:leader",
            "--text-rw",
            TEXTS["rw"],
            "--text-en",
            TEXTS["en"],
            "--dry-run",
        ],
        env=_env(context),
    )
    assert result.exit_code == 0, result.output
    assert "Recipients: 4" in result.output
    assert "Opted out (skipped): 1" in result.output
    assert "Segments: 4" in result.output
    assert "Estimated cost: RWF 40" in result.output
    assert "Dry run: nothing sent." in result.output
    with context.db.session() as s:
        assert s.scalar(select(func.count()).select_from(Broadcast)) == 0


@freeze_time(DAY)
def test_the_cli_sends_after_confirmation_and_the_demo_inbox_shows_it(
    context, people, client
) -> None:
    runner = CliRunner()
    refused = runner.invoke(
        main, ["broadcast", "language:en", "--text-rw", "Muraho"], input="n\n", env=_env(context)
    )
    assert refused.exit_code == 1 and "Aborted" in refused.output
    sent = runner.invoke(
        main,
        ["broadcast", "language:en", "--text-rw", "Muraho", "--text-en", "Hello all"],
        input="y\n",
        env=_env(context),
    )
    assert sent.exit_code == 0, sent.output
    assert "to 1 people, now." in sent.output
    inbox = runner.invoke(main, ["inbox", "0788500002"], env=_env(context))
    assert "Hello all" in inbox.output
    page = client.get("/demo/sms/+250788500002")
    assert page.status_code == 200 and "Hello all" in page.get_data(as_text=True)
    assert "No SMS" in client.get("/demo/sms?phone=+250788500001").get_data(as_text=True)


def test_the_cli_schedules_a_broadcast_at_a_kigali_time(context, people) -> None:
    result = CliRunner().invoke(
        main,
        ["broadcast", "language:en", "--text-en", "Hi", "--at", "2099-01-05 08:30", "--yes"],
        env=_env(context),
    )
    assert result.exit_code == 0, result.output
    with context.db.session() as s:
        (b,) = s.scalars(select(Broadcast)).all()
        assert b.scheduled_at == datetime(2099, 1, 5, 6, 30, tzinfo=UTC)
        assert b.status is BroadcastStatus.SCHEDULED
        assert s.scalar(select(func.count()).select_from(OutboundSms)) == 0


def _broadcast(context, audience: str) -> set[str]:  # type: ignore[no-untyped-def]
    """Send `audience` a broadcast with the CLI; the numbers it was sent to."""
    result = CliRunner().invoke(
        main, ["broadcast", audience, "--text-rw", "Muraho", "--yes"], env=_env(context)
    )
    assert result.exit_code == 0, result.output
    with context.db.session() as s:
        return set(s.scalars(select(OutboundSms.phone).where(OutboundSms.status == SmsStatus.SENT)))


@freeze_time(DAY)
def test_a_comma_in_an_audience_means_or(context, people) -> None:
    with context.db.session() as s:
        make.person(s, "+250788500007", district_name="Musanze", sector_name="Muhoza")
    assert _broadcast(context, "district:Rubavu,Nyabihu role:leader") == {
        "+250788500001",
        "+250788500002",
        "+250788500003",
        "+250788500006",  # Nyabihu
    }


@freeze_time(DAY)
def test_a_sector_audience_reaches_the_people_of_that_sector(context, people) -> None:
    with context.db.session() as s:
        make.person(s, "+250788500007", sector_name="Rugerero")
        make.person(s, "+250788500008", sector_name="Nyundo")
    assert _broadcast(context, "sector:Rugerero,nyundo") == {"+250788500007", "+250788500008"}


@freeze_time(NIGHT)  # the rows wait for the morning: only the fan-out is timed
def test_a_broadcast_reaches_everyone_beyond_the_first_page(context) -> None:
    from sqlalchemy import insert

    from models import Person

    count = broadcasts.FAN_OUT_PAGE + 5
    with context.db.session() as s:
        district_id = make.district(s).id
        s.execute(
            insert(Person),
            [
                {"phone": f"+2507886{n:05d}", "name": f"P{n}", "district_id": district_id}
                for n in range(count)
            ],
        )
    result = CliRunner().invoke(
        main, ["broadcast", "district:Rubavu", "--text-rw", "Muraho", "--yes"], env=_env(context)
    )
    assert result.exit_code == 0, result.output
    with context.db.session() as s:
        (b,) = s.scalars(select(Broadcast)).all()
        assert b.status is BroadcastStatus.DONE and b.recipients == count
        queued = set(s.scalars(select(OutboundSms.phone).where(OutboundSms.broadcast_id == b.id)))
    assert queued == {f"+2507886{n:05d}" for n in range(count)}
