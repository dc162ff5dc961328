"""people: `phone, name, language, roles, district, sector, vsla, cooperative, vtc`, and the
optional `vsla_office` (`secretary`, `chairperson;leader`...): the person's offices in their
savings group (blank: unchanged); `national_id_last4`: the last 4 digits of their national
ID, the proof for their first PIN and a PIN reset (stored hashed; blank: unchanged); and an
optional `shared` (`yes`, `oui`, `yego`): this person shares the row's phone with people
already on it (a household's one phone).

A row is the person of its phone with that name; on a phone only one person uses, a row with
another name and no `shared` mark corrects that person (as before phones could be shared). A row
naming a new person on a phone already used, and a second row for one phone in a file, need the
`shared` mark; without it the row is refused with what to do.

The file is the truth for each person it names: a blank cell clears the stored value, `roles`
replaces their roles (blank: member). PIN, opt-out and history are never touched. A VTC named
here is created on first mention, in the row's district; a vtc_director becomes its director.
"""

from __future__ import annotations

from collections.abc import Sequence

from sqlalchemy import delete, insert, select, update
from sqlalchemy.orm import Session

from models import Language, Person, PersonRole, Role, Vtc
from services import constitution
from services.pin_resets import record_id_digits
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Existing, Record, Table, chunks

PEOPLE = Table(
    Person,
    ("phone", "name", "language", "district_id", "sector_id", "vsla_id", "cooperative_id",
     "vtc_id"),
    # a stored person (or a row matched to one) by id; a new one by phone and name
    key=lambda row: row.get("id") or ("new", row["phone"], row["name"].casefold()),
)


class People(Kind):
    name = "people"
    columns = (
        Column("phone", cells.phone, required=True),
        Column("name", required=True),
        Column("language", cells.language, default=Language.RW),
        Column("roles", cells.roles, default=frozenset({Role.MEMBER})),
        Column("district", cells.district),
        Column("sector"),
        Column("vsla"),
        Column("cooperative"),
        Column("vtc"),
        Column("vsla_office", cells.offices, in_header=False),
        Column("shared", cells.yes_no, default=False, in_header=False),
        Column("national_id_last4", cells.id_last4, in_header=False),
    )
    table = PEOPLE
    key_column = "phone"

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        """The people already on the rows' phones (id, name), oldest first."""
        self.stored: dict[str, list[tuple[int, str]]] = {}
        self.first_row: dict[str, int] = {}  # phone -> the first row of this file with it
        phones = sorted({row["phone"] for row in rows})
        for part in chunks(phones):
            query = select(Person.id, Person.phone, Person.name).where(Person.phone.in_(part))
            for id_, phone, name in refs.session.execute(query.order_by(Person.id)):
                self.stored.setdefault(phone, []).append((id_, name))

    def match(self, values: Values) -> int | None:
        """The stored person a row is (None: a new person), or RowError saying what to do."""
        phone, name, shared = values["phone"], values["name"], values["shared"]
        stored = self.stored.get(phone, [])
        first = self.first_row.setdefault(phone, values.row)
        same = [id_ for id_, known in stored if known.casefold() == name.casefold()]
        if same:
            return same[0]
        if first != values.row and not shared:
            raise RowError("phone", f"same phone as row {first}; if these people share one "
                                    f"phone, write yes in the shared column of row {values.row}")
        if shared or not stored:
            return None
        if len(stored) == 1:
            return stored[0][0]  # a correction of the one person on this phone
        names = " and ".join(known for _id, known in stored)
        raise RowError("phone", f"{phone} is shared by {names} and none is named {name}: "
                                "write the name as stored to update one of them, or yes in "
                                f"the shared column to add {name} to this phone")

    def record(self, values: Values, refs: Refs) -> Record:
        person_id = self.match(values)
        roles = values["roles"]
        if Role.SECTOR_OFFICIAL in roles and not values["sector"]:
            raise RowError("sector", "a sector official needs their sector")
        for role in (Role.DISTRICT_OFFICIAL, Role.FIELD_OFFICER):
            if role in roles and not values["district"]:
                who = role.value.replace("_", " ")
                raise RowError("district", f"a {who} needs their district")
        vsla_id = refs.named("vsla", values["vsla"])
        cooperative_id = refs.named("cooperative", values["cooperative"])
        district_id, sector_id = refs.place(values["district"], values["sector"])
        vtc = values["vtc"]
        return {
            "id": person_id,
            "phone": values["phone"],
            "name": values["name"],
            "language": values["language"],
            "district_id": district_id,
            "sector_id": sector_id,
            "vsla_id": vsla_id,
            "cooperative_id": cooperative_id,
            "vtc_id": refs.vtc_id(vtc, district_id) if vtc else None,
            "roles": values["roles"],
            "offices": values["vsla_office"],
            "id_last4": values["national_id_last4"],
        }

    def existing(self, session: Session, records: list[Record]) -> Existing:
        return PEOPLE.existing(session, Person.phone, (r["phone"] for r in records))

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        done = self.upsert(session, records, progress)
        changed = set_roles(session, done.ids, [r["roles"] for r in records])
        changed |= set_directors(session, done.ids, records)
        changed |= set_offices(session, done.ids, records)
        changed |= self.set_id_digits(session, done.ids, records)
        report.count(done, changed)

    def set_id_digits(
        self, session: Session, ids: Sequence[int], records: Sequence[Record]
    ) -> set[int]:
        """Record the national ID digits the rows give (hashed); the indexes changed."""
        changed = set()
        for index, (person_id, record) in enumerate(zip(ids, records, strict=True)):
            if record["id_last4"] is None:
                continue
            person = session.get(Person, person_id)
            assert person is not None
            if record_id_digits(self.settings, person, record["id_last4"]):
                changed.add(index)
        return changed


def set_offices(session: Session, ids: Sequence[int], records: Sequence[Record]) -> set[int]:
    """Give each person the savings-group offices their row names; the indexes changed."""
    changed = set()
    for index, (person_id, record) in enumerate(zip(ids, records, strict=True)):
        if record["offices"] is None:
            continue
        person = session.get(Person, person_id)
        assert person is not None
        if constitution.offices(session, person) != record["offices"]:
            constitution.set_offices(session, person, set(record["offices"]))
            changed.add(index)
    return changed


def set_roles(session: Session, ids: Sequence[int], wanted: Sequence[frozenset[Role]]) -> set[int]:
    """Give person `ids[i]` exactly the roles `wanted[i]`; the indexes whose roles changed."""
    have: dict[int, set[Role]] = {}
    for part in chunks(sorted(set(ids))):
        rows = session.execute(
            select(PersonRole.person_id, PersonRole.role).where(PersonRole.person_id.in_(part))
        )
        for person_id, role in rows:
            have.setdefault(person_id, set()).add(role)
    adds, removes, changed = [], [], set()
    for index, (person_id, roles) in enumerate(zip(ids, wanted, strict=True)):
        current = have.get(person_id, set())
        adds += [{"person_id": person_id, "role": r} for r in sorted(roles - current)]
        removes += [{"person_id": person_id, "role": r} for r in sorted(current - roles)]
        if roles != current:
            changed.add(index)
    for part in chunks(adds):
        session.execute(insert(PersonRole), part)
    for gone in removes:
        session.execute(
            delete(PersonRole).where(
                PersonRole.person_id == gone["person_id"], PersonRole.role == gone["role"]
            )
        )
    return changed


def set_directors(session: Session, ids: Sequence[int], records: Sequence[Record]) -> set[int]:
    """Make each vtc_director the director of their VTC (and of no other); the indexes changed."""
    directors = dict(session.execute(select(Vtc.id, Vtc.director_id)).all())
    directing: dict[int, set[int]] = {}
    for vtc_id, director in directors.items():
        if director is not None:
            directing.setdefault(director, set()).add(vtc_id)
    wanted = dict(directors)
    changed = set()
    for index, (person_id, record) in enumerate(zip(ids, records, strict=True)):
        mine = {record["vtc_id"]} if Role.VTC_DIRECTOR in record["roles"] else set()
        mine.discard(None)
        before = directing.get(person_id, set())
        for vtc_id in before - mine:
            wanted[vtc_id] = None
        for vtc_id in mine:
            wanted[vtc_id] = person_id
        if mine != before:
            changed.add(index)
    moves = [{"id": v, "director_id": d} for v, d in wanted.items() if d != directors[v]]
    if moves:
        session.execute(update(Vtc), moves)
    return changed
