"""cooperatives: `name, value_chain, district, sector, stage, stage_date, certificate_no,
rejection_reason`.

A cooperative is known by its name (case forgiven). Its first import, and every later one
that changes its stage, adds a step to its registration history; a certified cooperative needs
its certificate number, a rejected one the reason.
"""

from __future__ import annotations

from sqlalchemy import insert
from sqlalchemy.orm import Session

from models import Cooperative, Stage, StageChange
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table

COOPERATIVES = Table(
    Cooperative,
    ("name", "value_chain", "district_id", "sector_id", "stage", "stage_date", "certificate_no",
     "rejection_reason"),
    key=lambda row: row["name"].lower(),
)

#: The column a stage needs filled in, and the one it must leave blank.
NEEDS = {Stage.CERTIFIED: "certificate_no", Stage.REJECTED: "rejection_reason"}


class Cooperatives(Kind):
    name = "cooperatives"
    columns = (
        Column("name", required=True),
        Column("value_chain", required=True),
        Column("district", cells.district, required=True),
        Column("sector"),
        Column("stage", cells.choice(Stage), default=Stage.FORMED),
        Column("stage_date", cells.day, required=True),
        Column("certificate_no"),
        Column("rejection_reason"),
    )
    table = COOPERATIVES
    key_column = "name"

    def record(self, values: Values, refs: Refs) -> Record:
        stage = values["stage"]
        for needing, column in NEEDS.items():
            if stage is needing and not values[column]:
                raise RowError(column, f"a {stage} cooperative needs its {column}")
            if stage is not needing and values[column]:
                raise RowError(column, f"only a {needing} cooperative has a {column}")
        district_id, sector_id = refs.place(values["district"], values["sector"])
        fields = ("name", "value_chain", "stage", "stage_date", "certificate_no",
                  "rejection_reason")
        return {"district_id": district_id, "sector_id": sector_id,
                **{f: values[f] for f in fields}}

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        done = self.upsert(session, records, progress)
        moved = [i for i, old in done.updated if old["stage"] != records[i]["stage"]]
        steps = [
            {
                "cooperative_id": done.ids[i],
                "stage": records[i]["stage"],
                "date": records[i]["stage_date"],
                "note": records[i]["certificate_no"] or records[i]["rejection_reason"],
            }
            for i in sorted(done.created + moved)
        ]
        if steps:
            session.execute(insert(StageChange), steps)
        report.count(done)
