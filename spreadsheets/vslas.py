"""vslas: `name, district, sector, meeting_day, meeting_time, meeting_place, share_value`, and
optional columns for the group's constitution (written to its live cycle): `shares_min,
shares_max, social_fund, charge_mode (flat|monthly), charge_rate (percent: 10 or 2.5),
max_loan_multiple, term_limit_months, fine_late, fine_absent, fine_misconduct, cycle_start,
share_out_date, social_fund_shared (yes/no)`.

A VSLA is known by its name (case forgiven); a re-import updates its sector and meeting.
`meeting_day` is a weekday in English, French or Kinyarwanda; `meeting_time` is `HH:MM`.
The rules are fixed once the cycle has a meeting: a changed value is then a row error.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import select

from models import ChargeMode, Cycle, CycleStatus, Vsla
from services import constitution
from spreadsheets import cells
from spreadsheets.core import Column, Kind, Progress, Report, Values
from spreadsheets.refs import Refs, RowError
from spreadsheets.tables import Record, Table

VSLAS = Table(
    Vsla,
    ("name", "sector_id", "meeting_day", "meeting_time", "meeting_place", "share_value"),
    key=lambda row: row["name"].lower(),
)


def rate(raw: str) -> int:
    """A percentage (`10`, `2.5`) as basis points."""
    cleaned = raw.strip().rstrip("%").replace(",", ".")
    try:
        value = round(float(cleaned) * 100)
    except ValueError:
        raise ValueError(f"{raw!r} is not a percentage, e.g. 10 or 2.5") from None
    if not 0 <= value <= 5000:
        raise ValueError("the rate is 0 to 50 percent")
    return value


def yes_no(raw: str) -> bool:
    word = raw.strip().lower()
    if word in ("yes", "y", "yego", "oui", "1", "true"):
        return True
    if word in ("no", "n", "oya", "non", "0", "false"):
        return False
    raise ValueError(f"{raw!r}: write yes or no")


#: Optional constitution columns: (column, parser, the cycle's field).
RULE_COLUMNS = (
    ("shares_min", cells.whole, "shares_min"),
    ("shares_max", cells.whole, "shares_max"),
    ("social_fund", cells.whole, "social_fund_per_meeting"),
    ("charge_mode", cells.choice(ChargeMode), "charge_mode"),
    ("charge_rate", rate, "charge_rate_bp"),
    ("max_loan_multiple", cells.whole, "max_loan_multiple"),
    ("term_limit_months", cells.whole, "term_limit_months"),
    ("fine_late", cells.whole, "fine_late"),
    ("fine_absent", cells.whole, "fine_absent"),
    ("fine_misconduct", cells.whole, "fine_misconduct"),
    ("cycle_start", cells.day, "starts_on"),
    ("share_out_date", cells.day, "planned_share_out_on"),
    ("social_fund_shared", yes_no, "social_fund_shared"),
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
        *(Column(name, parse, in_header=False) for name, parse, _field in RULE_COLUMNS),
    )
    table = VSLAS
    key_column = "name"

    def record(self, values: Values, refs: Refs) -> Record:
        _, sector_id = refs.place(values["district"], values["sector"])
        fields = ("name", "meeting_day", "meeting_time", "meeting_place", "share_value")
        rules: dict[str, Any] = {
            field: values[name] for name, _parse, field in RULE_COLUMNS if values[name] is not None
        }
        if rules:
            rules["share_value"] = values["share_value"]
            self.check_fixed(refs, values["name"], rules)
        return {"sector_id": sector_id, **{f: values[f] for f in fields}, "rules": rules}

    @staticmethod
    def check_fixed(refs: Refs, name: str, rules: dict[str, Any]) -> None:
        """Refuse a change of rules once the live cycle has a meeting."""
        cycle = refs.session.scalar(
            select(Cycle)
            .join(Vsla, Vsla.id == Cycle.vsla_id)
            .where(Vsla.name.ilike(name), Cycle.status == CycleStatus.OPEN)
        )
        if cycle is None or not constitution.has_meetings(refs.session, cycle):
            return
        changed = [k for k, v in rules.items() if getattr(cycle, k) != v]
        if changed:
            raise RowError(changed[0], "rules are fixed for the cycle; change them at share-out")

    def write(self, session, refs: Refs, records: list[Record], report: Report,  # type: ignore[no-untyped-def]
              progress: Progress) -> None:
        done = self.upsert(session, records, progress)
        changed = set()
        for index, (record, vsla_id) in enumerate(zip(records, done.ids, strict=True)):
            if not record["rules"]:
                continue
            vsla = session.get(Vsla, vsla_id)
            before = constitution.live(session, vsla_id)
            was = {k: getattr(before, k) for k in constitution.RULES} if before else None
            cycle = constitution.set_rules(session, vsla, record["rules"])
            if was != {k: getattr(cycle, k) for k in constitution.RULES}:
                changed.add(index)
        report.count(done, changed)
