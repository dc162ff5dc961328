"""Moving a cooperative's registration on: the one use case the web console, the importer and
the CLI call. It records the step, updates the cooperative and tells its leaders at once
(the `stage_changed` reminder rule, through the outbox).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import Cooperative, Person, ReminderOccasion, Stage, StageChange, utcnow
from models.registration import stage_problem
from runtime.settings import Settings
from services.reminder_rules import STAGE_CHANGED, Occasion
from services.reminders import deliver

#: What change_stage says when a stage's required column is blank.
NEEDED = {
    "certificate_no": "a certified cooperative needs its certificate number",
    "rejection_reason": "a rejection needs its reason",
}


class BadStageChange(ValueError):
    """A stage change that cannot be recorded; the message says what to fix."""


def change_stage(
    session: Session,
    settings: Settings,
    cooperative: Cooperative,
    stage: Stage,
    *,
    on: date,
    note: str | None = None,
    by: Person | None = None,
    certificate_no: str | None = None,
    rejection_reason: str | None = None,
) -> StageChange:
    """Record that `cooperative` reached `stage` on `on` and queue its leaders' SMS.

    Certified needs `certificate_no`, rejected needs `rejection_reason`. Each leader gets one SMS
    per change (in quiet hours it waits for their end), in the caller's transaction.
    """
    if stage is cooperative.stage:
        raise BadStageChange(f"{cooperative.name} is already at stage {stage.value}")
    fields = {"certificate_no": certificate_no, "rejection_reason": rejection_reason}
    problem = stage_problem(stage, fields)
    if problem is not None and problem[1] is None:
        raise BadStageChange(NEEDED[problem[0]])
    change = StageChange(stage=stage, date=on, note=note, recorded_by_id=by.id if by else None)
    cooperative.history.append(change)
    cooperative.stage, cooperative.stage_date = stage, on
    if certificate_no:
        cooperative.certificate_no = certificate_no
    cooperative.rejection_reason = rejection_reason if stage is Stage.REJECTED else None
    session.flush()
    now = utcnow()
    occasion = Occasion(_occasion_key(change), now, change, cooperative.name)
    deliver(session, settings, STAGE_CHANGED, occasion, now, now)
    return change


#: The first step of a cooperative just created: (cooperative id, stage, date, note).
FirstStep = tuple[int, Stage, date, str | None]


def start_histories(session: Session, steps: Sequence[FirstStep]) -> None:
    """Write the first history step of cooperatives just created by an import (one INSERT).
    Nobody is told: a new cooperative has no leaders yet."""
    if steps:
        columns = ("cooperative_id", "stage", "date", "note")
        session.execute(insert(StageChange), [dict(zip(columns, s, strict=True)) for s in steps])


def leaders_told(session: Session, change: StageChange) -> int:
    """How many leaders an SMS about `change` was queued for."""
    told = session.scalar(
        select(ReminderOccasion.recipients).where(
            ReminderOccasion.rule == STAGE_CHANGED.name,
            ReminderOccasion.occasion == _occasion_key(change),
        )
    )
    return told or 0


def _occasion_key(change: StageChange) -> str:
    return f"stage:{change.id}:{change.date}"
