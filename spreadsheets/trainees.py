"""trainees: `code, phone, name, trade, vtc, trainer_phone, start_date`, optional `trade_rw`,
`trade_en`, `trade_fr` (what each language shows).

A trainee is known by their code (upper case). A phone no one has yet becomes a new person with
the row's name, language rw, role member, in the VTC's district; a known person is left as the
people file made them. `trainer_phone`, when given, must be a person with the trainer role. A
VTC named here is created on first mention, in its trainer's district.
"""

from __future__ import annotations

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Language, Role, Trainee, Vtc
from models.texts import texts_from
from services.tvet import link_trainees
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.people import PEOPLE, set_roles
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table, upsert

TRAINEES = Table(
    Trainee,
    ("code", "person_id", "trade", "vtc_id", "trainer_id", "start_date", "texts"),
    key=lambda row: row["code"],
)


class Trainees(Kind):
    name = "trainees"
    columns = (
        Column("code", cells.code, required=True),
        Column("phone", cells.phone, required=True),
        Column("name"),
        Column("trade", required=True),
        Column("vtc", required=True),
        Column("trainer_phone", cells.phone),
        Column("start_date", cells.day, required=True),
        *(Column(f"trade_{lang}", in_header=False) for lang in ("rw", "en", "fr")),
    )
    table = TRAINEES
    key_column = "code"

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        refs.load_people(p for row in rows for p in (row["phone"], row["trainer_phone"]) if p)

    def record(self, values: Values, refs: Refs) -> Record:
        if len(values["code"]) > 10:
            raise RowError("code", "a trainee code has at most 10 characters")
        trainer = None
        if values["trainer_phone"]:
            trainer = refs.person(values["trainer_phone"], "trainer_phone")
            if Role.TRAINER not in trainer.roles:
                raise RowError(
                    "trainer_phone",
                    f"{trainer.name} is not a trainer; give them the trainer role in people",
                )
        if values["phone"] not in refs.people and not values["name"]:
            raise RowError("name", "a new trainee needs a name")
        vtc_id = refs.vtc_id(values["vtc"], trainer.district_id if trainer else None)
        return {
            "code": values["code"],
            "phone": values["phone"],
            "name": values["name"],
            "trade": values["trade"],
            "texts": texts_from(values.cells, ("trade",)),
            "vtc_id": vtc_id,
            "trainer_id": trainer.id if trainer else None,
            "start_date": values["start_date"],
        }

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        ids = {phone: known.id for phone, known in refs.people.items()}
        ids.update(add_people(session, [r for r in records if r["phone"] not in ids], report))
        for record in records:
            record["person_id"] = ids[record["phone"]]
        report.count(self.upsert(session, records, progress))
        linked = link_trainees(session)
        if linked:
            report.notes.append(f"{linked} trainees linked to their intake")


def add_people(session: Session, records: list[Record], report: Report) -> dict[str, int]:
    """Create the trainees no one knows yet (members, in their VTC's district); phone -> id."""
    districts = dict(session.execute(select(Vtc.id, Vtc.district_id)).all())
    new: dict[str, Record] = {}
    for r in records:
        new.setdefault(r["phone"], {
            "phone": r["phone"],
            "name": r["name"],
            "language": Language.RW,
            "district_id": districts.get(r["vtc_id"]),
            **dict.fromkeys(("sector_id", "vsla_id", "cooperative_id", "vtc_id")),
        })
    people = list(new.values())
    done = upsert(session, PEOPLE, people, {})
    set_roles(session, done.ids, [frozenset({Role.MEMBER})] * len(people))
    if people:
        report.notes.append(f"{len(people)} new people (role member) for new trainees")
    return dict(zip(new, done.ids, strict=True))
