"""What import rows refer to by name or phone, loaded once per import, and the few things an
import creates on first mention: districts, sectors and VTCs.

Names are matched without regard to case. A lookup that fails raises RowError for the column.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from functools import cached_property

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Cooperative, District, Person, PersonRole, Role, Sector, Vsla, Vtc
from models.people import first_name_of
from spreadsheets.tables import chunks


class RowError(ValueError):
    """A row that cannot be imported: the column at fault and why."""

    def __init__(self, column: str, reason: str) -> None:
        super().__init__(reason)
        self.column = column
        self.reason = reason


@dataclass
class Known:
    """A person already stored: what imports check about them."""

    id: int
    name: str
    vsla_id: int | None
    district_id: int | None
    roles: frozenset[Role]


def _by_name(session: Session, model: type) -> dict[str, int]:
    return {name.lower(): id_ for id_, name in session.execute(select(model.id, model.name))}


class Refs:
    """Lookups for one import, in its session."""

    def __init__(self, session: Session) -> None:
        self.session = session
        self.people: dict[str, Known] = {}
        self.sharing: dict[str, list[Known]] = {}  # a phone several people share -> them

    @cached_property
    def districts(self) -> dict[str, int]:
        return _by_name(self.session, District)

    @cached_property
    def sectors(self) -> dict[tuple[int, str], int]:
        rows = self.session.execute(select(Sector.district_id, Sector.name, Sector.id))
        return {(district_id, name.lower()): id_ for district_id, name, id_ in rows}

    @cached_property
    def vslas(self) -> dict[str, int]:
        return _by_name(self.session, Vsla)

    @cached_property
    def cooperatives(self) -> dict[str, int]:
        return _by_name(self.session, Cooperative)

    @cached_property
    def vtcs(self) -> dict[str, int]:
        return _by_name(self.session, Vtc)

    def named(self, kind: str, name: str | None, column: str | None = None) -> int | None:
        """The id of the `kind` ("vsla", "cooperative", "vtc", "district") called `name`."""
        if name is None:
            return None
        found = getattr(self, kind + "s").get(name.lower())
        if found is None:
            label = {"vsla": "VSLA"}.get(kind, kind)
            raise RowError(column or kind, f"no {label} named {name!r}; import it first")
        return found

    def place(self, district: str | None, sector: str | None) -> tuple[int | None, int | None]:
        """The ids of a row's district and sector, created on first use."""
        if sector and not district:
            raise RowError("sector", "a sector needs its district")
        district_id = self.district_id(district) if district else None
        sector_id = self.sector_id(district_id, sector) if district_id and sector else None
        return district_id, sector_id

    def district_id(self, name: str) -> int:
        """The district's id, created on first use (`name` is already checked)."""
        return self._create(self.districts, name.lower(), District(name=name))

    def sector_id(self, district_id: int, name: str) -> int:
        """The sector's id within its district, created on first use."""
        sector = Sector(district_id=district_id, name=name)
        return self._create(self.sectors, (district_id, name.lower()), sector)

    def vtc_id(self, name: str, district_id: int | None) -> int:
        """The VTC's id, created on first mention with the district of the row that names it."""
        return self._create(self.vtcs, name.lower(), Vtc(name=name, district_id=district_id))

    def _create(self, cache: dict, key: object, row: District | Sector | Vtc) -> int:  # type: ignore[type-arg]
        if key not in cache:
            self.session.add(row)
            self.session.flush()
            cache[key] = row.id
        return cache[key]

    def load_people(self, phones: Iterable[str]) -> None:
        """Load the stored people among `phones` (in chunks), with their roles."""
        wanted = sorted(set(phones) - set(self.people))
        for part in chunks(wanted):
            rows = self.session.execute(
                select(
                    Person.phone, Person.id, Person.name, Person.vsla_id, Person.district_id
                ).where(Person.phone.in_(part))
            )
            found: dict[str, Known] = {}
            by_id: dict[int, Known] = {}
            for phone, id_, name, vsla, district in rows:
                known = by_id[id_] = Known(id_, name, vsla, district, frozenset())
                if phone in found:  # a shared phone: the row's name says which of them
                    self.sharing.setdefault(phone, [found[phone]]).append(known)
                found[phone] = known
            role_rows = self.session.execute(
                select(PersonRole.person_id, PersonRole.role).where(
                    PersonRole.person_id.in_(list(by_id))
                )
            )
            for person_id, role in role_rows:
                by_id[person_id].roles |= {role}
            self.people.update(found)

    def person(self, phone: str, column: str = "phone", name: str | None = None) -> Known:
        """A stored person (after `load_people`), or RowError. On a shared phone, `name` (the
        full name or the first name) says which of its people."""
        found = self.people.get(phone)
        if phone in self.sharing:
            wanted = (name or "").casefold()
            found = next(
                (
                    k
                    for k in self.sharing[phone]
                    if wanted in (k.name.casefold(), first_name_of(k.name).casefold())
                ),
                None,
            )
            if found is None:
                names = " and ".join(k.name for k in self.sharing[phone])
                raise RowError(
                    column, f"{phone} is shared by {names}: write which of them in a name column"
                )
        if found is None:
            raise RowError(column, f"no person with phone {phone}; import people first")
        return found
