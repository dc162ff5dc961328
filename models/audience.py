"""Audience expressions: who a training, reminder or broadcast is for.

Syntax: terms separated by spaces are combined with AND; a term is `KEY:VALUE` and a value may
list alternatives separated by commas (OR). Names with spaces are quoted:
`district:Rubavu,Nyabihu role:leader`, `vsla:"Twiyubake Gisenyi" language:rw`, `all`.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Select, false, func, or_, select
from sqlalchemy.orm import Session

from models.cooperatives import Cooperative
from models.enums import Language, Role
from models.people import Person, PersonRole
from models.places import District, Sector
from models.trainings import Training
from models.tvet import Trainee, Vtc
from models.vsla import Vsla

#: Keys a training's audience may use (one term, one value).
TRAINING_KEYS = ("district", "vsla", "cooperative", "vtc")
#: Keys a broadcast's audience may use.
KEYS = ("district", "sector", "vsla", "cooperative", "vtc", "role", "language")

_NAMED = {
    "district": District,
    "sector": Sector,
    "vsla": Vsla,
    "cooperative": Cooperative,
    "vtc": Vtc,
}


class BadAudience(ValueError):
    """An audience expression that cannot be understood; the message says why."""


@dataclass(frozen=True)
class Term:
    key: str
    values: tuple[str, ...]

    def __str__(self) -> str:
        vals = ",".join(f'"{v}"' if " " in v else v for v in self.values)
        return f"{self.key}:{vals}"


@dataclass(frozen=True)
class Audience:
    terms: tuple[Term, ...]  # empty: everyone

    @property
    def is_everyone(self) -> bool:
        return not self.terms

    def __str__(self) -> str:
        return " ".join(str(t) for t in self.terms) or "all"


def parse(expression: str, keys: tuple[str, ...] = KEYS) -> Audience:
    """Parse `expression`; raise BadAudience with a reason a person can act on."""
    try:
        tokens = shlex.split(expression or "")
    except ValueError as exc:
        raise BadAudience(f"unbalanced quotes in {expression!r}") from exc
    if not tokens:
        raise BadAudience("empty audience; use 'all' or KEY:VALUE")
    if [t.lower() for t in tokens] == ["all"]:
        return Audience(())
    terms = []
    for token in tokens:
        key, sep, raw = token.partition(":")
        key = key.strip().lower()
        values = tuple(v.strip() for v in raw.split(",") if v.strip())
        if not sep or not values:  # `district:` and `district:,` name nobody
            raise BadAudience(f"{token!r} is not KEY:VALUE")
        if key not in keys:
            raise BadAudience(f"unknown audience key {key!r}; use one of {', '.join(keys)}")
        if key == "role":
            _check(values, {r.value for r in Role}, "role")
        if key == "language":
            values = tuple(v.lower() for v in values)
            _check(values, {lang.value for lang in Language}, "language")
        terms.append(Term(key, values))
    return Audience(tuple(terms))


def _check(values: tuple[str, ...], allowed: set[str], what: str) -> None:
    for value in values:
        if value not in allowed:
            raise BadAudience(f"unknown {what} {value!r}; use one of {', '.join(sorted(allowed))}")


def unknown_names(session: Session, audience: Audience) -> list[str]:
    """The `key:value` pairs that name no district, sector, VSLA, cooperative or VTC."""
    missing = []
    for term in audience.terms:
        model = _NAMED.get(term.key)
        if model is None:
            continue
        for value in term.values:
            if session.scalar(select(model.id).where(model.name.ilike(value)).limit(1)) is None:
                missing.append(f"{term.key}:{value}")
    return missing


def people(audience: Audience) -> Select[tuple[Person]]:
    """A query for the people in `audience` (opted-out people included: check at send time)."""
    query = select(Person)
    for term in audience.terms:
        query = query.where(_condition(term))
    return query.order_by(Person.id)


def _condition(term: Term):  # type: ignore[no-untyped-def]
    values = [v.lower() for v in term.values]
    if term.key == "role":
        return Person.id.in_(select(PersonRole.person_id).where(PersonRole.role.in_(values)))
    if term.key == "language":
        return Person.language.in_(values)
    if term.key == "district":
        ids = select(District.id).where(_name_in(District.name, values))
        return Person.district_id.in_(ids)
    if term.key == "sector":
        ids = select(Sector.id).where(_name_in(Sector.name, values))
        return Person.sector_id.in_(ids)
    if term.key == "vsla":
        return Person.vsla_id.in_(select(Vsla.id).where(_name_in(Vsla.name, values)))
    if term.key == "cooperative":
        ids = select(Cooperative.id).where(_name_in(Cooperative.name, values))
        return Person.cooperative_id.in_(ids)
    if term.key == "vtc":
        vtcs = select(Vtc.id).where(_name_in(Vtc.name, values))
        trainees = select(Trainee.person_id).where(Trainee.vtc_id.in_(vtcs))
        return or_(Person.vtc_id.in_(vtcs), Person.id.in_(trainees))
    raise BadAudience(f"unknown audience key {term.key!r}")


def _name_in(column, values: list[str]):  # type: ignore[no-untyped-def]
    return func.lower(column).in_(values)


def trainings_for(
    session: Session, person: Person, after: datetime, limit: int = 20
) -> list[Training]:
    """Upcoming trainings whose audience includes `person`, soonest first."""
    mine = [Training.audience == "all"]
    mine += _mine("district", person.district.name if person.district else None)
    mine += _mine("vsla", person.vsla.name if person.vsla else None)
    mine += _mine("cooperative", person.cooperative.name if person.cooperative else None)
    vtc_names = {person.vtc.name} if person.vtc else set()
    vtc_names |= set(
        session.scalars(
            select(Vtc.name)
            .join(Trainee, Trainee.vtc_id == Vtc.id)
            .where(Trainee.person_id == person.id)
        )
    )
    for name in vtc_names:
        mine += _mine("vtc", name)
    query = (
        select(Training)
        .where(Training.starts_at >= after, or_(*mine) if mine else false())
        .order_by(Training.starts_at, Training.id)
        .limit(limit)
    )
    return list(session.scalars(query))


def _mine(key: str, name: str | None) -> list:  # type: ignore[type-arg]
    if not name:
        return []
    return [func.lower(Training.audience) == f"{key}:{name}".lower()]


def parse_training(text: str) -> Audience:
    """A training's audience: `all` or one `KEY:NAME` (the name may hold spaces, no quotes)."""
    raw = (text or "").strip()
    if raw.lower() == "all":
        return Audience(())
    key, sep, name = raw.partition(":")
    key, name = key.strip().lower(), name.strip()
    if not sep or not name or key not in TRAINING_KEYS:
        raise BadAudience(f"{raw!r}: use all, {', '.join(k + ':NAME' for k in TRAINING_KEYS)}")
    return Audience((Term(key, (name,)),))


def training_label(audience: Audience) -> str:
    """How a training's audience is stored: `all` or `key:Name`."""
    if audience.is_everyone:
        return "all"
    term = audience.terms[0]
    return f"{term.key}:{term.values[0]}"
