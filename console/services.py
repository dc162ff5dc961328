"""The small changes staff make from the console, each in one place (the views only call them).

Phone-side equivalents (STOP/START, LANG by SMS) belong to the SMS layer; these are the staff's.
"""

from __future__ import annotations

from models import JoinRequest, JoinStatus, Language, Person, utcnow

#: Where a join request may go from each status (enrolled is the end of the road).
JOIN_NEXT: dict[JoinStatus, tuple[JoinStatus, ...]] = {
    JoinStatus.WAITING: (JoinStatus.CONTACTED, JoinStatus.ENROLLED),
    JoinStatus.CONTACTED: (JoinStatus.ENROLLED,),
    JoinStatus.ENROLLED: (),
}


def set_opted_out(person: Person, opted_out: bool) -> None:
    """Stop (or resume) reminders and broadcasts to `person`; replies to them still go out."""
    if person.opted_out != opted_out:
        person.opted_out = opted_out
        person.opted_out_at = utcnow() if opted_out else None


def set_language(person: Person, language: Language) -> None:
    """The language of `person`'s USSD screens and SMS from now on."""
    person.language = language


def move_join_request(request: JoinRequest, status: JoinStatus) -> bool:
    """Mark a join request contacted or enrolled; False when that move is not allowed."""
    if status not in JOIN_NEXT[request.status]:
        return False
    request.status = status
    return True
