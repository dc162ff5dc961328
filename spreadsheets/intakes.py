"""intakes: `vtc, district, trade, start_date, end_date, start_time`.

An intake is known by its VTC, trade and start date. A VTC named here for the first time is
created in the row's `district` (then required); a known VTC in another district is refused.
`end_date` comes after `start_date`; `start_time` is `HH:MM` (08:00 when blank). Trainees
without an intake whose VTC and trade match and whose start date falls in an intake are then
linked to it (the trainees import does the same).
"""

from __future__ import annotations

from datetime import time

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import Intake, Vtc
from services.tvet import link_trainees
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table

INTAKES = Table(
    Intake,
    ("vtc_id", "trade", "start_date", "end_date", "start_time"),
    key=lambda row: (row["vtc_id"], row["trade"].lower(), row["start_date"]),
)


class Intakes(Kind):
    name = "intakes"
    columns = (
        Column("vtc", required=True),
        Column("district", cells.district),
        Column("trade", required=True),
        Column("start_date", cells.day, required=True),
        Column("end_date", cells.day, required=True),
        Column("start_time", cells.clock, default=time(8, 0)),
    )
    table = INTAKES
    key_column = "start_date"

    def prepare(self, refs: Refs, rows: list[Values]) -> None:
        self.vtc_districts = dict(
            refs.session.execute(select(func.lower(Vtc.name), Vtc.district_id)).all()
        )

    def record(self, values: Values, refs: Refs) -> Record:
        if values["end_date"] <= values["start_date"]:
            raise RowError("end_date", "the end date must be after the start date")
        name = values["vtc"]
        district = values["district"]
        if name.lower() in self.vtc_districts:
            known = self.vtc_districts[name.lower()]
            if district and known is not None and refs.districts.get(district.lower()) != known:
                raise RowError("district", f"{name} is in another district")
            vtc_id = refs.vtcs[name.lower()]
        else:
            if not district:
                raise RowError("district", "a new VTC needs its district")
            vtc_id = refs.vtc_id(name, refs.district_id(district))
            self.vtc_districts[name.lower()] = refs.districts[district.lower()]
        return {
            "vtc_id": vtc_id,
            "trade": values["trade"],
            "start_date": values["start_date"],
            "end_date": values["end_date"],
            "start_time": values["start_time"],
        }

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        report.count(self.upsert(session, records, progress))
        linked = link_trainees(session)
        if linked:
            report.notes.append(f"{linked} trainees linked to their intake")
