"""Asking to join a savings group: name, district, sector, confirm; lands on the waiting list."""

from __future__ import annotations

import re
from datetime import timedelta
from typing import Any

from sqlalchemy import select

from locales import N_
from locales.formatting import format_date, short, to_local
from menus.engine import Again, Choice, Go, Item, Screen, Step, Visit
from models import District, JoinRequest, JoinStatus, Sector
from services.gsm7 import to_gsm7
from services.joins import OPEN

#: How long after being enrolled a person without a PIN is greeted as a newcomer.
WELCOME_DAYS = 30


def pending(visit: Visit) -> JoinRequest | None:
    """The caller's open join request, if they are not known yet."""
    if visit.person is not None:
        return None
    return visit.db.scalar(
        select(JoinRequest)
        .where(JoinRequest.phone == visit.phone, JoinRequest.status.in_(OPEN))
        .order_by(JoinRequest.created_at.desc(), JoinRequest.id.desc())
        .limit(1)
    )


def accepted(visit: Visit) -> JoinRequest | None:
    """The request that made the caller a member lately, while they have no PIN yet."""
    person = visit.person
    if person is None or person.pin_hash:
        return None
    return visit.db.scalar(
        select(JoinRequest)
        .where(
            JoinRequest.person_id == person.id,
            JoinRequest.status == JoinStatus.ENROLLED,
            JoinRequest.enrolled_at >= visit.now - timedelta(days=WELCOME_DAYS),
        )
        .order_by(JoinRequest.enrolled_at.desc())
        .limit(1)
    )


def _status_values(visit: Visit) -> dict[str, Any]:
    request = pending(visit)
    return {"date": format_date(to_local(request.created_at).date()) if request else "-"}


def _accepted_values(visit: Visit) -> dict[str, Any]:
    request = accepted(visit)
    group = request.vsla if request is not None else None
    return {"group": short(group.name, 20) if group else "-"}


NAME_LENGTH = (2, 60)


def _name(visit: Visit, text: str) -> Step:
    """The name as typed, in GSM-7 (accents dropped, emoji and other scripts removed)."""
    name = to_gsm7(text)
    if not NAME_LENGTH[0] <= len(name) <= NAME_LENGTH[1] or not re.search(r"[^\W\d_]", name):
        return Again(N_("Type your name in letters, then send."))
    return Go("join_district", data={"name": name})


def _districts(visit: Visit) -> list[Item]:
    rows = visit.db.execute(select(District.id, District.name).order_by(District.name))
    return [Item(name, id_) for id_, name in rows]


def _sectors(visit: Visit) -> list[Item]:
    rows = visit.db.execute(
        select(Sector.id, Sector.name)
        .where(Sector.district_id == visit.data.get("district_id"))
        .order_by(Sector.name)
    )
    return [Item(name, id_) for id_, name in rows]


def _place_values(visit: Visit) -> dict[str, object]:
    district = visit.db.get(District, visit.data.get("district_id") or 0)
    sector = visit.db.get(Sector, visit.data.get("sector_id") or 0)
    return {
        "name": visit.data.get("name", ""),
        "district": district.name if district else "-",
        "sector": sector.name if sector else "-",
    }


def _save(visit: Visit) -> Step:
    """Put the caller on the waiting list (once: asking again updates their request)."""
    request = visit.db.scalar(
        select(JoinRequest).where(
            JoinRequest.phone == visit.phone, JoinRequest.status == JoinStatus.WAITING
        )
    )
    if request is None:
        request = JoinRequest(phone=visit.phone)
        visit.db.add(request)
    request.name = visit.data["name"]
    request.district_id = visit.data.get("district_id")
    request.sector_id = visit.data.get("sector_id")
    request.language = visit.lang
    return Go("join_done")


SCREENS = [
    Screen(
        "join_status",
        text=N_("Your request to join a group ({date}) is waiting. We will call you."),
        values=_status_values,
        choices=(
            Choice(N_("Ask to join a savings group"), "join_name"),
            Choice(N_("Help"), "help"),
        ),
        root=True,
    ),
    Screen(
        "join_accepted",
        text=N_("Your request was accepted: welcome to {group}! Set your PIN in My savings."),
        values=_accepted_values,
        choices=(Choice(N_("My savings"), "balances"), Choice(N_("Main menu"), "menu")),
        root=True,
    ),
    Screen("join_name", text=N_("Type your full name:"), entry=_name),
    Screen(
        "join_district",
        text=N_("Choose your district:"),
        items=_districts,
        pick=lambda visit, id_: Go("join_sector", data={"district_id": id_, "sector_id": None}),
    ),
    Screen(
        "join_sector",
        text=N_("Choose your sector:"),
        items=_sectors,
        pick=lambda visit, id_: Go("join_confirm", data={"sector_id": id_}),
        choices=(Choice(N_("My sector is not listed"), "join_confirm"),),
    ),
    Screen(
        "join_confirm",
        text=N_("Ask to join as {name}, {sector}, {district}?"),
        values=_place_values,
        choices=(Choice(N_("Confirm"), _save),),
    ),
    Screen(
        "join_done",
        text=N_("Thank you {name}. You are on the waiting list; we will call you. Help: {phone}"),
        values=lambda visit: {"name": visit.data["name"], "phone": visit.settings.help_phone},
        end=True,
    ),
]
