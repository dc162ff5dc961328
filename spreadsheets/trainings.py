"""trainings: `topic, starts_at, venue, audience`, and optional `topic_rw`, `topic_en`,
`topic_fr`, `venue_rw`, `venue_en`, `venue_fr` (what each language's screens and SMS show).

`starts_at` is `YYYY-MM-DD HH:MM` in Africa/Kigali time (stored in UTC). A training is known by
its topic, start and venue; a re-import may change its audience. The audience is `all` or one
`district:NAME`, `vsla:NAME`, `cooperative:NAME` or `vtc:NAME` naming one already stored.
"""

from __future__ import annotations

from models import Training
from models.audience import BadAudience, parse_training, training_label
from models.texts import texts_from
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table

TRAININGS = Table(
    Training,
    ("topic", "starts_at", "venue", "audience", "texts"),
    key=lambda row: (row["topic"].lower(), row["starts_at"], row["venue"].lower()),
)


class Trainings(Kind):
    name = "trainings"
    columns = (
        Column("topic", required=True),
        Column("starts_at", cells.kigali_moment, required=True),
        Column("venue", required=True),
        Column("audience", required=True),
        *(
            Column(f"{field}_{lang}", in_header=False)
            for field in ("topic", "venue")
            for lang in ("rw", "en", "fr")
        ),
    )
    table = TRAININGS
    key_column = "starts_at"

    def record(self, values: Values, refs: Refs) -> Record:
        try:
            audience = parse_training(values["audience"])
        except BadAudience as exc:
            raise RowError("audience", str(exc)) from None
        for term in audience.terms:
            refs.named(term.key, term.values[0], column="audience")
        return {
            "topic": values["topic"],
            "starts_at": values["starts_at"],
            "venue": values["venue"],
            "audience": training_label(audience),
            "texts": texts_from(values.cells, ("topic", "venue")),
        }
