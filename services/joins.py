"""Requests to join a savings group (from USSD): staff or a field officer mark them contacted,
then enrol them in a group, which makes (or links) the person and welcomes them by SMS."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import select
from sqlalchemy.orm import Session

from locales import N_, language_or_default
from locales.formatting import short
from models import JoinRequest, JoinStatus, Language, Person, Priority, Role, Vsla
from runtime.settings import Settings
from services.outbox import tell
from services.phones import people_on_phone

#: Where a join request may go from each status (enrolled is the end of the road).
JOIN_NEXT: dict[JoinStatus, tuple[JoinStatus, ...]] = {
    JoinStatus.WAITING: (JoinStatus.CONTACTED, JoinStatus.ENROLLED),
    JoinStatus.CONTACTED: (JoinStatus.ENROLLED,),
    JoinStatus.ENROLLED: (),
}
OPEN = (JoinStatus.WAITING, JoinStatus.CONTACTED)

MSG_WELCOME = N_(
    "Welcome to {group}, {name}! Dial {ussd}, choose My savings and set a 4-digit PIN (not your "
    "MoMo PIN)."
)
ALREADY_MEMBER = N_("Already a member of {group}.")


class JoinError(ValueError):
    """A join request that cannot be enrolled as asked; `message` is a msgid, `values` fill it."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message, self.values = message, values


def move_join_request(request: JoinRequest, status: JoinStatus) -> bool:
    """Mark a join request contacted or enrolled; False when that move is not allowed."""
    if status not in JOIN_NEXT[request.status]:
        return False
    request.status = status
    return True


def mark_contacted(request: JoinRequest) -> bool:
    return move_join_request(request, JoinStatus.CONTACTED)


def group_district(vsla: Vsla) -> int | None:
    return vsla.sector.district_id if vsla.sector is not None else None


def may_handle(by: Person | None, request: JoinRequest) -> bool:
    """Staff (or the CLI: nobody), or a field officer of the request's district."""
    if by is None or by.has_role(Role.STAFF):
        return True
    return by.has_role(Role.FIELD_OFFICER) and by.district_id == request.district_id


SHARED_NEEDED = N_(
    "This phone is already used by {names} and nobody of that name: tick 'shared phone' to "
    "add {name} to it."
)


def _requester(session: Session, request: JoinRequest, shared: bool) -> Person | None:
    """The known person a request is from (None: a new person). On a phone several people
    use, the one of the request's name; a new name needs `shared`."""
    people = people_on_phone(session, request.phone)
    same = [p for p in people if p.name.casefold() == request.name.casefold()]
    if same or shared or not people:
        return same[0] if same else None
    if len(people) == 1:
        return people[0]  # the phone's one person (as before phones could be shared)
    raise JoinError(SHARED_NEEDED, names=", ".join(p.name for p in people), name=request.name)


def enrol(
    session: Session,
    settings: Settings,
    request: JoinRequest,
    vsla: Vsla,
    *,
    by: Person | None,
    now: datetime,
    as_staff: bool = False,
    shared: bool = False,
) -> Person:
    """Make the requester a member of `vsla` (a new person, or the one with that phone) and
    queue their welcome SMS; every open request of that phone is marked enrolled. A field
    officer enrols only in their district; `as_staff`: the console checked who asks. On a
    phone already used, `shared` adds the requester as another person of that phone."""
    if request.status not in OPEN:
        raise JoinError(N_("That request has already moved on; nothing changed."))
    officer = by is not None and not as_staff and not by.has_role(Role.STAFF)
    if officer and not may_handle(by, request):
        raise JoinError(N_("Not a request of your district."))
    if officer and by is not None and group_district(vsla) != by.district_id:
        raise JoinError(N_("Not a group of your district."))
    person = _requester(session, request, shared)
    if person is None:
        person = Person(
            phone=request.phone,
            name=request.name,
            language=Language(language_or_default(request.language)),
            district_id=request.district_id or group_district(vsla),
            sector_id=request.sector_id or vsla.sector_id,
            vsla_id=vsla.id,
        )
        person.set_roles({Role.MEMBER})
        session.add(person)
    elif person.vsla_id not in (None, vsla.id):
        assert person.vsla is not None
        raise JoinError(ALREADY_MEMBER, group=person.vsla.name)
    else:
        person.vsla_id = vsla.id
        person.set_roles(person.roles | {Role.MEMBER})
    session.flush()
    requests = session.scalars(
        select(JoinRequest).where(JoinRequest.phone == request.phone, JoinRequest.status.in_(OPEN))
    )
    for each in requests:
        each.status, each.person_id, each.vsla_id = JoinStatus.ENROLLED, person.id, vsla.id
        each.enrolled_at, each.enrolled_by_id = now, by.id if by else None
    tell(
        session,
        settings,
        person,
        MSG_WELCOME,
        kind="welcome",
        priority=Priority.HIGH,
        dedupe_key=f"welcome:{request.id}",
        group=short(vsla.name, 20),
        name=short(person.name, 20),
        ussd=settings.ussd_service_code,
    )
    session.flush()
    return person
