"""The reminders' world: a savings group, trainings, a loan falling due, cooperatives with
leaders and stalled registrations, in a simulated week (late Nov / early Dec 2026, Kigali time).

Shared by the reminder tests (tests/services) and the reminder CLI tests (tests/cli).
"""

from __future__ import annotations

from datetime import UTC, date, datetime, time
from zoneinfo import ZoneInfo

from sqlalchemy import select

from models import Language, LedgerKind, OutboundSms, Role, Stage, TraineeStatus
from runtime.context import Context
from support import factories as f

KIGALI = ZoneInfo("Africa/Kigali")
ALINE, CLAUDINE, JEAN, MARIE, GONE = (
    "+250788100001",
    "+250788100002",
    "+250788100003",
    "+250788100004",
    "+250788100005",
)
ERIC, PAUL, STAFF = "+250788100011", "+250788100012", "+250788100030"


def kigali(day: int, hour: int, minute: int = 0, month: int = 12) -> datetime:
    """A moment of the simulated week (late Nov / early Dec 2026), given in Kigali time."""
    return datetime(2026, month, day, hour, minute, tzinfo=KIGALI).astimezone(UTC)


def build_world(context: Context) -> None:
    """A savings group meeting on Wednesdays at 14:00, two trainings, a loan falling due,
    a cooperative with leaders, stalled registrations and someone who opted out."""
    with context.db.session() as s:
        group = f.vsla(s, "Twiyubake", meeting_day=2, meeting_time=time(14, 0))
        coop = f.cooperative(s, "Abakora Neza", stage=Stage.DISTRICT_SITE_VISIT)
        f.cooperative(s, "Twisungane", stage=Stage.SECTOR_SUBMITTED, stage_date=date(2026, 9, 15))
        f.cooperative(s, "Dukore", stage=Stage.FORMED, stage_date=date(2026, 10, 20))
        f.cooperative(
            s, "Icyerekezo", stage=Stage.CERTIFIED, stage_date=date(2026, 1, 5), certificate_no="9"
        )
        aline = f.person(s, ALINE, "Uwase Aline", vsla=group)
        f.person(s, CLAUDINE, "Mukamana Claudine", roles=(Role.LEADER,), cooperative=coop)
        jean = f.person(
            s,
            JEAN,
            "Habimana Jean",
            roles=(Role.MEMBER, Role.LEADER),
            language=Language.EN,
            vsla=group,
            cooperative=coop,
        )
        f.person(s, MARIE, "Ingabire Marie", language=Language.FR, vsla=group)
        f.person(
            s,
            GONE,
            "Opted Out",
            roles=(Role.MEMBER, Role.LEADER),
            vsla=group,
            cooperative=coop,
            opted_out=True,
        )
        f.person(s, STAFF, "Staff Officer", roles=(Role.STAFF,), language=Language.EN)
        centre = f.vtc(s, "Gisenyi VTC")
        f.trainee(s, "T0001", f.person(s, ERIC, "Niyonsaba Eric"), centre, None)
        paul = f.person(s, PAUL, "Mugisha Paul")
        f.trainee(s, "T0002", paul, centre, None, status=TraineeStatus.REPLACED)
        f.training(
            s, "Business plan", kigali(3, 10), venue="Rubavu TVET", audience="vsla:Twiyubake"
        )
        f.training(
            s,
            "Financial literacy",
            kigali(4, 8, 30),
            venue="Gisenyi VTC",
            audience="vtc:Gisenyi VTC",
        )
        # FIFO: the 20,000 repaid pays the old 10,000 loan first, so 40,000 is owed on the new.
        f.ledger(s, aline, LedgerKind.LOAN, 10_000, date(2026, 10, 1), due=date(2026, 11, 1))
        f.ledger(s, aline, LedgerKind.LOAN, 50_000, date(2026, 11, 1), due=date(2026, 12, 4))
        f.ledger(s, aline, LedgerKind.REPAYMENT, 20_000, date(2026, 11, 15))
        f.ledger(s, jean, LedgerKind.LOAN, 5_000, date(2026, 11, 1), due=date(2026, 12, 5))
        f.ledger(s, jean, LedgerKind.REPAYMENT, 5_000, date(2026, 11, 20))


def sent(context: Context) -> list[OutboundSms]:
    with context.db.session() as s:
        return list(s.scalars(select(OutboundSms).order_by(OutboundSms.id)))


def rule_of(row: OutboundSms) -> str:
    assert row.dedupe_key is not None
    return row.dedupe_key.split(":")[1]
