"""Broadcast audiences as staff write them on the command line: each key reaches its people,
and each mistake gets the line that says what to write instead (mutmut's audience survivors)."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest
from click.testing import CliRunner
from freezegun import freeze_time
from sqlalchemy import func, select
from support import factories as make

from ikimina.cli import main
from models import Broadcast, Language, OutboundSms, Role, SmsStatus
from models.audience import parse, people

DAY = datetime(2026, 12, 1, 10, 0, tzinfo=UTC)  # 12:00 in Kigali


def _env(context) -> dict[str, str]:  # type: ignore[no-untyped-def]
    return {"DATABASE_URL": context.settings.database_url, "REDIS_URL": "", "SMS_GATEWAY": "local"}


def _run(context, audience: str, *flags: str):  # type: ignore[no-untyped-def]
    return CliRunner().invoke(
        main, ["broadcast", audience, "--text-rw", "Muraho", *flags], env=_env(context)
    )


def _sent_to(context, audience: str) -> set[str]:  # type: ignore[no-untyped-def]
    result = _run(context, audience, "--yes")
    assert result.exit_code == 0, result.output
    with context.db.session() as s:
        latest = s.scalar(select(func.max(Broadcast.id)))
        sent = select(OutboundSms.phone).where(
            OutboundSms.broadcast_id == latest, OutboundSms.status == SmsStatus.SENT
        )
        return set(s.scalars(sent))


@pytest.fixture
def groups(context):  # type: ignore[no-untyped-def]
    """Two people in each kind of group, and one outside them all."""
    with context.db.session() as s:
        twiyubake, colon = make.vsla(s, "Twiyubake Gisenyi"), make.vsla(s, "Abakundana: Nyundo")
        coop, other_coop = make.cooperative(s, "Abakora Neza"), make.cooperative(s, "Abadahigwa")
        centre, other_centre = make.vtc(s, "Gisenyi VTC"), make.vtc(s, "Rubengera VTC")
        make.person(s, "+250788600001", vsla=twiyubake)
        make.person(s, "+250788600002", vsla=colon)
        make.person(s, "+250788600003", cooperative=coop)
        make.person(s, "+250788600004", cooperative=other_coop)
        make.person(s, "+250788600005", vtc=centre)  # staff of the centre
        trainee = make.person(s, "+250788600006")  # a trainee there: no vtc on the person
        make.trainee(s, "T0001", trainee, centre, None)
        make.trainee(s, "T0002", make.person(s, "+250788600007"), other_centre, None)
        make.person(s, "+250788600008", roles=(Role.LEADER,), language=Language.FR)


@freeze_time(DAY)
def test_a_vsla_audience_reaches_its_members_even_with_a_colon_in_the_name(context, groups):
    assert _sent_to(context, 'vsla:"Twiyubake Gisenyi"') == {"+250788600001"}
    assert _sent_to(context, 'vsla:"abakundana: nyundo"') == {"+250788600002"}


@freeze_time(DAY)
def test_a_cooperative_audience_reaches_its_members(context, groups):
    assert _sent_to(context, '"cooperative:Abakora Neza"') == {"+250788600003"}


@freeze_time(DAY)
def test_a_vtc_audience_reaches_its_staff_and_its_trainees(context, groups):
    assert _sent_to(context, '"vtc:Gisenyi VTC"') == {"+250788600005", "+250788600006"}


@freeze_time(DAY)
def test_a_language_may_be_written_in_capitals(context, groups):
    assert _sent_to(context, "language:FR") == {"+250788600008"}


@freeze_time(DAY)
def test_everyone_is_shown_as_all(context, groups):
    result = _run(context, "ALL", "--dry-run")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[:2] == ["Audience: all", "Recipients: 8"]


@pytest.mark.parametrize(
    ("audience", "line"),
    [
        ("", "Error: empty audience; use 'all' or KEY:VALUE"),
        ("   ", "Error: empty audience; use 'all' or KEY:VALUE"),
        ('vsla:"Twiyubake', "Error: unbalanced quotes in 'vsla:\"Twiyubake'"),
        ("Rubavu", "Error: 'Rubavu' is not KEY:VALUE"),
        ("district:", "Error: 'district:' is not KEY:VALUE"),
        ("district:, role:leader", "Error: 'district:,' is not KEY:VALUE"),
        (
            "planet:Mars",
            "Error: unknown audience key 'planet'; use one of district, sector, vsla, "
            "cooperative, vtc, role, language",
        ),
        (
            "role:wizard",
            "Error: unknown role 'wizard'; use one of district_official, field_officer, leader, "
            "member, sector_official, staff, trainer, vtc_director",
        ),
        ("language:sw", "Error: unknown language 'sw'; use one of en, fr, rw"),
        ("role:leader district:Atlantis", "Error: No such district:Atlantis."),
    ],
)
def test_a_bad_audience_gets_one_line_that_says_what_to_write(context, groups, audience, line):
    result = _run(context, audience, "--dry-run")
    assert result.exit_code == 1
    assert result.output.splitlines()[-1] == line


def test_the_audience_is_people_in_id_order(context, groups):
    # the broadcast fan-out pages on "id > last id": it needs the people in id order
    assert str(people(parse("role:leader"))).endswith("ORDER BY people.id")
    with context.db.session() as s:
        leaders = s.scalars(people(parse("role:leader,member language:fr"))).all()
        assert [p.phone for p in leaders] == ["+250788600008"]
