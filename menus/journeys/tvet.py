"""A savings-group member asks for a place in a trade offered in their district, and sees
where they stand on its waiting list (or their place, once enrolled)."""

from __future__ import annotations

from typing import Any

from locales import N_
from locales.formatting import format_date, short, to_local
from menus.engine import Choice, Go, Item, Screen, Step, Visit
from menus.journeys.field import today
from models import District
from models.trades import trade_label
from services.tvet import (
    TvetError,
    ask_for_trade,
    in_training,
    member_district,
    open_request,
    position,
    trades_offered,
)


def _district_id(visit: Visit) -> int | None:
    return member_district(visit.person) if visit.person is not None else None


def _district_name(visit: Visit) -> str:
    district = visit.db.get(District, _district_id(visit) or 0)
    return district.name if district else "-"


def _trades(visit: Visit) -> list[str]:
    district = _district_id(visit)
    return trades_offered(visit.db, district, today(visit)) if district is not None else []


def _start(visit: Visit) -> Step:
    assert visit.person is not None
    if open_request(visit.db, visit.person.id) is not None:
        return Go("tvet_status")
    if in_training(visit.db, visit.person.id) is not None:
        return Go("tvet_trainee")
    return Go("tvet_trades" if _trades(visit) else "tvet_none")


def _label(visit: Visit, trade: str) -> str:
    return short(trade_label(trade, visit.lang), 20)


def _values(visit: Visit) -> dict[str, Any]:
    trade = visit.data.get("trade")
    return {"district": _district_name(visit), "trade": _label(visit, trade) if trade else "-"}


def _ask(visit: Visit) -> Step:
    assert visit.person is not None
    try:
        request = ask_for_trade(
            visit.db, visit.person, visit.data["trade"], today=today(visit), now=visit.now
        )
    except TvetError:
        return Go("tvet_none", replace=True)
    place, _total = position(visit.db, request)
    return Go("tvet_done", data={"n": place}, replace=True)


def _status_values(visit: Visit) -> dict[str, Any]:
    assert visit.person is not None
    request = open_request(visit.db, visit.person.id)
    assert request is not None
    place, total = position(visit.db, request)
    return {
        "trade": _label(visit, request.trade),
        "date": format_date(to_local(request.requested_at).date()),
        "n": place,
        "m": total,
    }


def _trainee_values(visit: Visit) -> dict[str, Any]:
    assert visit.person is not None
    trainee = in_training(visit.db, visit.person.id)
    assert trainee is not None
    return {
        "code": trainee.code,
        "trade": _label(visit, trainee.trade),
        "vtc": short(trainee.vtc.name, 20),
        "date": format_date(trainee.start_date),
    }


SCREENS = [
    Screen("tvet_start", redirect=_start),
    Screen(
        "tvet_trades",
        text=N_("Which trade do you want to learn in {district}?"),
        values=_values,
        items=lambda visit: [Item(_label(visit, t), t) for t in _trades(visit)],
        pick=lambda visit, trade: Go("tvet_confirm", data={"trade": trade}),
    ),
    Screen(
        "tvet_none",
        text=N_("No trade is offered in {district} yet. Ask your field officer."),
        values=_values,
        end=True,
    ),
    Screen(
        "tvet_confirm",
        text=N_("Ask for a place in {trade}, {district}? Places go to the oldest requests first."),
        values=_values,
        choices=(Choice(N_("Confirm"), _ask),),
    ),
    Screen(
        "tvet_done",
        text=N_(
            "You are on the {trade} list of {district}, number {n}. We will text you when a "
            "place is free."
        ),
        values=lambda visit: {**_values(visit), "n": visit.data["n"]},
        end=True,
    ),
    Screen(
        "tvet_status",
        text=N_("Your request for {trade}: waiting since {date}. You are number {n} of {m}."),
        values=_status_values,
        choices=(Choice(N_("Ask for another trade"), "tvet_trades"),),
    ),
    Screen(
        "tvet_trainee",
        text=N_("You have a place: trainee {code}, {trade}, {vtc}, from {date}."),
        values=_trainee_values,
        end=True,
    ),
]
