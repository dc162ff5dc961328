"""cooperatives: `name, value_chain, district, sector, stage, stage_date, certificate_no,
rejection_reason`, and optional `rejection_reason_rw`, `_en`, `_fr` (per language).

A cooperative is known by its name (case forgiven). Its first import starts its registration
history; a later one that changes its stage moves it on through `change_stage`, exactly as the
console and the CLI do (a step in the history, and its leaders told by SMS). A certified
cooperative needs its certificate number, a rejected one the reason.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from models import Cooperative, Stage
from models.registration import stage_problem
from models.texts import texts_from
from services.registration import change_stage, start_histories
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table, upsert

COOPERATIVES = Table(
    Cooperative,
    ("name", "value_chain", "district_id", "sector_id", "stage", "stage_date", "certificate_no",
     "rejection_reason", "texts"),
    key=lambda row: row["name"].lower(),
)

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
        *(Column(f"rejection_reason_{lang}", in_header=False) for lang in ("rw", "en", "fr")),
    )
    table = COOPERATIVES
    key_column = "name"

    def record(self, values: Values, refs: Refs) -> Record:
        stage = values["stage"]
        problem = stage_problem(stage, values.cells)
        if problem is not None:
            column, owner = problem
            if owner is None:
                raise RowError(column, f"a {stage} cooperative needs its {column}")
            raise RowError(column, f"only a {owner} cooperative has a {column}")
        district_id, sector_id = refs.place(values["district"], values["sector"])
        fields = ("name", "value_chain", "stage", "stage_date", "certificate_no",
                  "rejection_reason")
        return {"district_id": district_id, "sector_id": sector_id,
                "texts": texts_from(values.cells, ("rejection_reason",)),
                **{f: values[f] for f in fields}}

    def write(self, session: Session, refs: Refs, records: list[Record], report: Report,
              progress: Progress) -> None:
        existing = self.existing(session, records)
        moved: dict[int, Record] = {}
        staged: list[Record] = []
        for index, record in enumerate(records):
            old = existing.get(self.key(record))
            if old is not None and old["stage"] != record["stage"]:
                moved[index] = record  # its stage moves on through change_stage below
                record = {**record, "stage": old["stage"], "stage_date": old["stage_date"]}
            staged.append(record)
        done = upsert(session, self.table, staged, existing, progress)
        start_histories(session, [
            (done.ids[i], records[i]["stage"], records[i]["stage_date"], _note(records[i]))
            for i in done.created
        ])
        for index, record in moved.items():
            cooperative = session.get(Cooperative, done.ids[index])
            assert cooperative is not None
            change_stage(
                session, self.settings, cooperative, record["stage"], on=record["stage_date"],
                note=_note(record), certificate_no=record["certificate_no"],
                rejection_reason=record["rejection_reason"],
            )
        report.count(done, also_updated=moved)


def _note(record: Record) -> str | None:
    return record["certificate_no"] or record["rejection_reason"]
