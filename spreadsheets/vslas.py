"""vslas: `name, district, sector, meeting_day, meeting_time, meeting_place, share_value`.

A VSLA is known by its name (case forgiven); a re-import updates its sector and meeting.
`meeting_day` is a weekday in English, French or Kinyarwanda; `meeting_time` is `HH:MM`.
"""

from __future__ import annotations

from models import Vsla
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Values
from spreadsheets.refs import Refs
from spreadsheets.tables import Record, Table

VSLAS = Table(
    Vsla,
    ("name", "sector_id", "meeting_day", "meeting_time", "meeting_place", "share_value"),
    key=lambda row: row["name"].lower(),
)


class Vslas(Kind):
    name = "vslas"
    columns = (
        Column("name", required=True),
        Column("district", cells.district, required=True),
        Column("sector", required=True),
        Column("meeting_day", cells.weekday),
        Column("meeting_time", cells.clock),
        Column("meeting_place"),
        Column("share_value", cells.whole, default=0),
    )
    table = VSLAS
    key_column = "name"

    def record(self, values: Values, refs: Refs) -> Record:
        _, sector_id = refs.place(values["district"], values["sector"])
        fields = ("name", "meeting_day", "meeting_time", "meeting_place", "share_value")
        return {"sector_id": sector_id, **{f: values[f] for f in fields}}
