"""Moving a cooperative's registration on: the one use case the web console, the importer and
the CLI call. It records the step, updates the cooperative and tells its leaders at once.

It lives in the composition root because it joins two layers that must not know each other:
the domain (models/ records the step and knows nothing of SMS) and the reminders (worker/
declares the leaders' SMS with the other reminder rules and queues it through the outbox).
"""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session

from models import Cooperative, Person, ReminderOccasion, Stage, StageChange, utcnow
from worker.context import current
from worker.reminders import STAGE_CHANGED, Occasion, deliver


class BadStageChange(ValueError):
    """A stage change that cannot be recorded; the message says what to fix."""


def change_stage(
    session: Session,
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
    if stage is Stage.CERTIFIED and not certificate_no:
        raise BadStageChange("a certified cooperative needs its certificate number")
    if stage is Stage.REJECTED and not rejection_reason:
        raise BadStageChange("a rejection needs its reason")
    change = StageChange(stage=stage, date=on, note=note, recorded_by_id=by.id if by else None)
    cooperative.history.append(change)
    cooperative.stage, cooperative.stage_date = stage, on
    if certificate_no:
        cooperative.certificate_no = certificate_no
    cooperative.rejection_reason = rejection_reason if stage is Stage.REJECTED else None
    session.flush()
    now = utcnow()
    occasion = Occasion(_occasion_key(change), now, change, cooperative.name)
    deliver(session, current().settings, STAGE_CHANGED, occasion, now, now)
    return change


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
