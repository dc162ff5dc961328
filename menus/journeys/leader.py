"""A cooperative leader's view: their cooperative's registration history and member count."""

from __future__ import annotations

from sqlalchemy import func, select

from locales import N_
from locales.formatting import format_date
from menus.engine import Screen, Visit
from models import Person
from models.registration import stage_label


def _history(visit: Visit) -> str:
    person = visit.person
    coop = person.cooperative if person is not None else None
    if coop is None:
        return visit.t(N_("You are not in a cooperative yet."))
    members = visit.db.scalar(select(func.count(Person.id)).where(Person.cooperative_id == coop.id))
    lines = [visit.t(N_("{name}: {count} members."), name=coop.name, count=members or 0)]
    lines += [
        f"{format_date(change.date, visit.lang)}: {stage_label(change.stage, visit.lang)}"
        for change in coop.history
    ]
    return "\n".join(lines)


SCREENS = [Screen("coop_history", body=_history, sms=True)]
