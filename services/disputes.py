"""A member says a receipt is wrong (SIBYO / WRONG / FAUX): the dispute reaches the secretary,
the chairperson and the field officers of the group's district; the record-keeper corrects the
entry (reopen the meeting, save it again) and closing the meeting marks the dispute corrected."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session

from locales import N_
from locales.formatting import format_date
from models import (
    Dispute,
    DisputeStatus,
    Meeting,
    MeetingEntry,
    MeetingStatus,
    Person,
    Role,
    Sector,
    Vsla,
    VslaOffice,
    utcnow,
)
from runtime.settings import Settings
from services import constitution
from services.book_ledger import BookError
from services.receipts import group_name, short_name, tell

NO_RECEIPT = N_(
    "We find no receipt of yours in the last 14 days. Please call your group's secretary."
)
NOTED = N_(
    "We noted that your {group} receipt of {date} is wrong. "
    "The secretary and the chairperson are told."
)
ALERT = N_(
    '{group}: {name} ({phone}) says the receipt of {date} is wrong: "{words}". Please check.'
)
NO_MISTAKE = N_(
    "{group} {date}: the secretary checked your receipt and found no mistake. "
    "Questions: ask the chairperson."
)
NOT_OPEN = N_("This dispute is already settled.")
#: How far back a receipt can be disputed.
WINDOW_DAYS = 14


def open_dispute(
    session: Session, settings: Settings, person: Person, words: str, today: date
) -> tuple[Dispute, Meeting]:
    """Open (or find) the dispute on the member's latest closed meeting of the last 14 days."""
    meeting = session.scalar(
        select(Meeting)
        .join(MeetingEntry, MeetingEntry.meeting_id == Meeting.id)
        .where(
            MeetingEntry.person_id == person.id,
            Meeting.status == MeetingStatus.CLOSED,
            Meeting.held_on >= today - timedelta(days=WINDOW_DAYS),
        )
        .order_by(Meeting.held_on.desc())
        .limit(1)
    )
    if meeting is None:
        raise BookError(NO_RECEIPT)
    found = session.scalar(
        select(Dispute).where(
            Dispute.meeting_id == meeting.id,
            Dispute.person_id == person.id,
            Dispute.status == DisputeStatus.OPEN,
        )
    )
    if found is not None:
        return found, meeting
    dispute = Dispute(
        vsla_id=meeting.vsla_id, meeting_id=meeting.id, person_id=person.id, text=words[:160]
    )
    session.add(dispute)
    session.flush()
    vsla = session.get(Vsla, meeting.vsla_id)
    assert vsla is not None
    told = constitution.officers(session, vsla.id, VslaOffice.SECRETARY, VslaOffice.CHAIRPERSON)
    sector = session.get(Sector, vsla.sector_id)
    if sector is not None:
        told += [
            p
            for p in session.scalars(select(Person).where(Person.district_id == sector.district_id))
            if p.has_role(Role.FIELD_OFFICER)
        ]
    tell(
        session,
        settings,
        [p for p in told if p.id != person.id],
        ALERT,
        f"dispute:{dispute.id}",
        group=group_name(vsla),
        name=short_name(person),
        phone=person.phone,
        date=format_date(meeting.held_on),
        words=(words or "-")[:36],
    )
    return dispute, meeting


def no_mistake(session: Session, settings: Settings, dispute: Dispute, note: str) -> Dispute:
    """The record-keeper checked the entry and it stands: the dispute is rejected with a note
    and the member is texted."""
    if dispute.status is not DisputeStatus.OPEN:
        raise BookError(NOT_OPEN)
    dispute.status, dispute.resolved_at, dispute.note = (
        DisputeStatus.REJECTED,
        utcnow(),
        note.strip()[:200] or None,
    )
    vsla = session.get(Vsla, dispute.vsla_id)
    assert vsla is not None
    tell(
        session,
        settings,
        [dispute.person],
        NO_MISTAKE,
        f"dispute-rejected:{dispute.id}",
        group=group_name(vsla),
        date=format_date(dispute.meeting.held_on),
    )
    session.flush()
    return dispute
