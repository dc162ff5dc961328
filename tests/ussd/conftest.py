"""Fixtures of the USSD tests: a phone that dials, and the people it dials as."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, timedelta

import pytest
from support import factories as make
from support.pins import record_id
from support.ussd import LEADER, MEMBERS, RUBAVU_SECTORS, TRAINER, Phone

from models import PROGRAMME_DISTRICTS, Language, LedgerKind, Role, Stage, utcnow


@pytest.fixture
def phone(client) -> Callable[[str], Phone]:  # type: ignore[no-untyped-def]
    """Make a phone for a number: `phone("+250788100001").dial()`."""
    return lambda number: Phone(client, number)


@pytest.fixture
def ussd_world(context):  # type: ignore[no-untyped-def]
    """The people of the demo: members in rw/en/fr with a ledger, a leader, a trainer; the
    members' national ID digits recorded (`support.pins.ID_LAST4`)."""
    with context.db.session() as s:
        for name in PROGRAMME_DISTRICTS:
            make.district(s, name)
        for name in RUBAVU_SECTORS:
            make.sector(s, name, "Rubavu")
        make.sector(s, "Kimironko", "Gasabo")
        group = make.vsla(s, "Twiyubake")
        coop = make.cooperative(s, "Abakora Neza", stage=Stage.DISTRICT_SITE_VISIT)
        today = date.today()
        for lang, number in MEMBERS.items():
            member = make.person(
                s, number, f"Member {lang}", language=Language(lang), vsla=group, cooperative=coop
            )
            make.ledger(s, member, LedgerKind.SHARES, 15000, today - timedelta(days=30))
            make.ledger(s, member, LedgerKind.SOCIAL_FUND, 2000, today - timedelta(days=30))
            make.ledger(
                s,
                member,
                LedgerKind.LOAN,
                10000,
                today - timedelta(days=20),
                due=today + timedelta(days=40),
            )
            make.ledger(s, member, LedgerKind.REPAYMENT, 4000, today - timedelta(days=5))
        make.person(
            s,
            LEADER,
            "Mukamana Leader",
            roles=(Role.MEMBER, Role.LEADER),
            vsla=group,
            cooperative=coop,
        )
        centre = make.vtc(s, "Gisenyi VTC")
        trainer = make.person(s, TRAINER, "Habimana Trainer", roles=(Role.TRAINER,), vtc=centre)
        for n in range(1, 13):
            who = make.person(s, f"+2507881002{n:02d}", f"Trainee {n}", roles=())
            make.trainee(s, f"T{n:04d}", who, centre, trainer, start=today - timedelta(days=60))
        soon = utcnow() + timedelta(days=2)
        for n in range(8):
            make.training(s, f"Financial literacy part {n + 1}", soon + timedelta(days=n))
    record_id(context, *MEMBERS.values(), LEADER)  # the proof for their first PIN
    return context


def pytest_generate_tests(metafunc: pytest.Metafunc) -> None:
    """Every journey through /ussd runs inline and on the servers (Redis sessions, the RQ
    worker, the africastalking SDK to the stand-in): see the `stack` fixture."""
    if "client" in metafunc.fixturenames:
        inline_only = metafunc.definition.get_closest_marker("inline_only") is not None
        metafunc.parametrize("stack", ["inline"] if inline_only else ["inline", "servers"])
