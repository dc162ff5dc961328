"""A savings-group member asks by USSD for a place in a trade offered in their district and
sees where they stand on the waiting list."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from support import factories as f
from support.field import build_field_world

from models import Language, Trainee, TvetRequest, TvetRequestStatus, Vsla, Vtc

ASKER = "+250788100034"


def test_a_member_asks_for_a_trade_of_their_district_and_sees_their_place(context, phone) -> None:
    world = build_field_world(context)
    with context.db.session() as s:
        gisenyi = s.scalar(select(Trainee).where(Trainee.code == "T0042")).vtc
        busogo = s.scalar(select(Vtc).where(Vtc.name == "Busogo VTC"))
        f.intake(s, gisenyi, "Welding", world.today, world.today + timedelta(days=90))
        f.intake(s, busogo, "Knitting", world.today, world.today + timedelta(days=90))
        f.intake(s, gisenyi, "Masonry", world.start, world.today - timedelta(days=1))  # ended
        group = s.scalar(select(Vsla).where(Vsla.name == "Twiyubake"))
        f.person(s, ASKER, "Mutesi Ange", language=Language.EN, vsla=group)
    caller = phone(ASKER)
    caller.dial()
    caller.choose("My trainings")
    trades = caller.choose("Learn a trade")
    assert trades.startswith("CON Which trade do you want to learn in Rubavu?\n")
    assert "Tailoring" in trades and "Welding" in trades
    assert "Knitting" not in trades and "Masonry" not in trades
    confirm = caller.choose("Tailoring")
    assert "Ask for a place in Tailoring, Rubavu?" in confirm
    assert caller.choose("Confirm") == (
        "END You are on the Tailoring list of Rubavu, number 3. We will text you when a place "
        "is free."
    )
    caller.dial()
    caller.choose("My trainings")
    status = caller.choose("Learn a trade")
    assert f"Your request for Tailoring: waiting since {world.today:%d/%m/%Y}." in status
    assert "You are number 3 of 3." in status
    caller.choose("Ask for another trade")
    caller.choose("Welding")
    done = caller.choose("Confirm")
    assert "You are on the Welding list of Rubavu, number 2." in done
    with context.db.session() as s:
        mine = s.scalars(
            select(TvetRequest).where(TvetRequest.person.has(phone=ASKER)).order_by(TvetRequest.id)
        ).all()
        assert [(r.trade, r.status) for r in mine] == [
            ("Tailoring", TvetRequestStatus.WITHDRAWN),
            ("Welding", TvetRequestStatus.WAITING),
        ]
