"""Moving a cooperative's registration on: the one use case the web console, the importer and
the CLI call (and a field officer's witnessed step). It records the step, updates the
cooperative and tells every member at once (the `stage_changed` reminder rule, through the
outbox; opted-out members are skipped).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from sqlalchemy import insert, select
from sqlalchemy.orm import Session

from models import (
    NEXT_STAGE,
    Cooperative,
    Person,
    ReminderOccasion,
    Role,
    Stage,
    StageChange,
    utcnow,
)
from models.checklists import Document, checklist, missing
from models.cooperatives import CooperativeDocument
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
    """Record that `cooperative` reached `stage` on `on` and queue its members' SMS.

    Certified needs `certificate_no`, rejected needs `rejection_reason`. Each member gets one SMS
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


#: Steps a field officer sees happen and may record (approvals and certificates are staff's).
WITNESSED = (
    Stage.SECTOR_SUBMITTED,
    Stage.DISTRICT_SUBMITTED,
    Stage.DISTRICT_SITE_VISIT,
    Stage.RCA_SUBMITTED,
)
#: How many days back a field officer may date a step they saw.
WITNESS_DAYS_BACK = 6


def witnessed_next(cooperative: Cooperative) -> Stage | None:
    """The next stage, if a field officer may record it."""
    stage = NEXT_STAGE.get(cooperative.stage)
    return stage if stage in WITNESSED else None


def record_witnessed_step(
    session: Session,
    settings: Settings,
    cooperative: Cooperative,
    *,
    on: date,
    today: date,
    by: Person,
) -> StageChange:
    """A field officer of the cooperative's district records the next step, which they saw."""
    stage = witnessed_next(cooperative)
    if stage is None:
        raise BadStageChange("the next step is recorded by staff")
    if not by.has_role(Role.STAFF) and (
        not by.has_role(Role.FIELD_OFFICER) or by.district_id != cooperative.district_id
    ):
        raise BadStageChange("not a cooperative of your district")
    if not 0 <= (today - on).days <= WITNESS_DAYS_BACK:
        raise BadStageChange("a step seen in the last 7 days")
    return change_stage(
        session, settings, cooperative, stage, on=on, by=by, note="field officer, USSD"
    )


def documents_in(cooperative: Cooperative) -> set[str]:
    """The keys of the documents the cooperative has handed in."""
    return {doc.document for doc in cooperative.documents}


def missing_documents(cooperative: Cooperative) -> list[Document]:
    """The documents of its current stage still to hand in."""
    return missing(cooperative, documents_in(cooperative))


def record_document(
    session: Session, cooperative: Cooperative, key: str, *, on: date, by: Person | None
) -> bool:
    """Note that the cooperative handed in document `key` of its current stage's checklist;
    False when it already had. Staff, or a field officer of its district."""
    if key not in {doc.key for doc in checklist(cooperative.stage)}:
        raise BadStageChange(f"{key} is not on the checklist of stage {cooperative.stage.value}")
    if (
        by is not None
        and not by.has_role(Role.STAFF)
        and (not by.has_role(Role.FIELD_OFFICER) or by.district_id != cooperative.district_id)
    ):
        raise BadStageChange("not a cooperative of your district")
    if key in documents_in(cooperative):
        return False
    cooperative.documents.append(
        CooperativeDocument(document=key, received_on=on, recorded_by_id=by.id if by else None)
    )
    session.flush()
    return True


#: The first step of a cooperative just created: (cooperative id, stage, date, note).
FirstStep = tuple[int, Stage, date, str | None]


def start_histories(session: Session, steps: Sequence[FirstStep]) -> None:
    """Write the first history step of cooperatives just created by an import (one INSERT).
    Nobody is told: a new cooperative has no leaders yet."""
    if steps:
        columns = ("cooperative_id", "stage", "date", "note")
        session.execute(insert(StageChange), [dict(zip(columns, s, strict=True)) for s in steps])


def members_told(session: Session, change: StageChange) -> int:
    """How many members an SMS about `change` was queued for."""
    told = session.scalar(
        select(ReminderOccasion.recipients).where(
            ReminderOccasion.rule == STAGE_CHANGED.name,
            ReminderOccasion.occasion == _occasion_key(change),
        )
    )
    return told or 0


def _occasion_key(change: StageChange) -> str:
    return f"stage:{change.id}:{change.date}"
