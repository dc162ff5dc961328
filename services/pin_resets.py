"""Who may set a PIN or move a number: PIN resets, first-PIN proofs and phone changes.

- A forgotten PIN: the member asks from their phone with the last 4 digits of their national ID;
  the chairperson asks on a member's behalf and a field officer of the district confirms; or
  staff ask after checking the ID digits. The member then gets a one-time code by SMS.
- A first PIN needs a proof: the ID digits, or a code the record-keeper reads out at the meeting.
- A new phone number: asked from the old number behind the PIN, or by staff; the new number
  confirms with a code sent to it.

Every request is a `pin_resets` row; the member is texted for every reset. Codes are hashed,
work once, for 15 minutes, and lock after 3 wrong tries (`models.pin_resets`).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session

from locales import N_, language_or_default, translate
from locales.formatting import format_phone_local, format_when, short
from models import (
    ConfirmedHow,
    Person,
    PinReset,
    Priority,
    ResetPurpose,
    ResetStatus,
    Role,
    StaffAccount,
    VslaOffice,
    normalize_phone,
)
from models.phones import BadPhone
from models.pin_resets import (
    CODE_LENGTH,
    CODE_MINUTES,
    CODE_TRIES,
    arm,
    code_matches,
    id_digits_ok,
    id_matches,
    set_id_last4,
)
from runtime.settings import Settings
from services.constitution import offices
from services.outbox import queue_sms, tell
from services.phones import people_on_phone

#: Wrong proofs (ID digits or codes) a person may give in 24 hours before being told to call.
PROOF_TRIES_PER_DAY = 3
OPEN = (ResetStatus.WAITING, ResetStatus.SENT)

MSG_CODE = N_(
    "Ikimina: your code for a new PIN is {code}. Dial {ussd}, choose Forgot PIN and type it "
    "within {minutes} min. Never share it."
)
MSG_ASKED = N_(
    "Ikimina: {by} asked to reset your PIN. A code will come once it is confirmed. "
    "If you did not ask for it, call {phone}."
)
MSG_TO_CONFIRM = N_(
    "Ikimina: {by} asks a PIN reset for {name} {number} ({group}). Call the member, then "
    "confirm in Field follow-up."
)
MSG_RESET_DONE = N_("Ikimina: your PIN was reset {when}. If it was not you, call {phone}.")
MSG_PHONE_CODE = N_(
    "Ikimina: to make this number {name}'s, dial {ussd} from it within {minutes} min and type "
    "the code {code}. Never share it."
)
MSG_PHONE_DONE = N_(
    "Ikimina: your number is now {number} ({when}). If it was not you, call {phone}."
)

ID_FORMAT = N_("Type the last 4 digits of the national ID, like 4417.")
NO_PROOF = N_("No ID is recorded for you. Ask your chairperson or call {phone}.")
WRONG_ID = N_("Wrong ID digits. Tries left: {n}.")
WRONG_PROOF = N_("Wrong ID digits or code. Tries left: {n}.")
TOO_MANY = N_("Too many wrong tries. Call {phone}.")
NOT_CHAIR = N_("Only the group's chairperson may ask this.")
NOT_RECORDER = N_("Only the group's record-keeper may give this code.")
NOT_IN_GROUP = N_("No member of your group has this number.")
SHARED_IN_GROUP = N_("Several members of your group share this number: ask staff to reset it.")
HAS_PIN = N_("{name} already has a PIN. For a forgotten one, ask the chairperson.")
NO_PIN = N_("{name} has no PIN yet: the record-keeper gives a first-PIN code.")
NOT_YOURS = N_("Not a member of your district.")
SAME_ASKER = N_("The person who asked cannot confirm it too.")
MOVED_ON = N_("That request has already moved on; nothing changed.")
BAD_NUMBER = N_("That is not a phone number. Type it like 0788123456.")
SAME_NUMBER = N_("That is already your number.")
NUMBER_TAKEN = N_("That number already belongs to someone in Ikimina. Call {phone}.")


class ResetError(ValueError):
    """A request refused; `message` is a msgid (the caller's language), `values` fill it."""

    def __init__(self, message: str, **values: object) -> None:
        super().__init__(message.format(**values) if values else message)
        self.message, self.values = message, values


@dataclass(frozen=True)
class Taken:
    """What typing a code did: `ok` (and the row it used), or how many tries are left."""

    ok: bool
    reset: PinReset | None = None
    tries_left: int = 0


# -- reading -------------------------------------------------------------------------------


def live_code(db: Session, person: Person, purpose: ResetPurpose, now: datetime) -> PinReset | None:
    """The person's newest code of `purpose` that may still be typed."""
    found = newest_code(db, person, purpose)
    return found if found is not None and found.live(now) else None


def newest_code(db: Session, person: Person, purpose: ResetPurpose) -> PinReset | None:
    """The person's newest code of `purpose` still marked sent (perhaps expired by now)."""
    return db.scalar(
        select(PinReset)
        .where(
            PinReset.person_id == person.id,
            PinReset.purpose == purpose,
            PinReset.status == ResetStatus.SENT,
        )
        .order_by(PinReset.id.desc())
        .limit(1)
    )


def phone_change_for(db: Session, phone: str, now: datetime) -> PinReset | None:
    """The live phone change that would move someone to `phone` (dialling from it)."""
    found = db.scalar(
        select(PinReset)
        .where(
            PinReset.purpose == ResetPurpose.PHONE,
            PinReset.new_phone == phone,
            PinReset.status == ResetStatus.SENT,
        )
        .order_by(PinReset.id.desc())
        .limit(1)
    )
    return found if found is not None and found.live(now) else None


def waiting_in(db: Session, district_id: int) -> list[PinReset]:
    """Resets asked on a member's behalf in the district, waiting for a field officer."""
    return list(
        db.scalars(
            select(PinReset)
            .join(Person, Person.id == PinReset.person_id)
            .where(PinReset.status == ResetStatus.WAITING, Person.district_id == district_id)
            .order_by(PinReset.created_at, PinReset.id)
        )
    )


def history(db: Session, person: Person) -> list[PinReset]:
    """Every request about `person`, newest first (the console's person page)."""
    return list(
        db.scalars(
            select(PinReset).where(PinReset.person_id == person.id).order_by(PinReset.id.desc())
        )
    )


def wrong_proofs(db: Session, person: Person, now: datetime) -> int:
    """Wrong proofs (ID digits, codes) the person gave in the last 24 hours."""
    return (
        db.scalar(
            select(func.coalesce(func.sum(PinReset.tries), 0)).where(
                PinReset.person_id == person.id,
                PinReset.purpose != ResetPurpose.PHONE,
                PinReset.created_at >= now - timedelta(hours=24),
                PinReset.status.in_((ResetStatus.REFUSED, ResetStatus.LOCKED, ResetStatus.SENT)),
            )
        )
        or 0
    )


def record_id_digits(settings: Settings, person: Person, digits: str) -> bool:
    """Record the last 4 digits of `person`'s national ID (hashed): by an import, staff in the
    console, or the field officer who enrols them. False when they were already recorded."""
    digits = digits.strip()
    if not id_digits_ok(digits):
        raise ResetError(ID_FORMAT)
    return set_id_last4(person, digits, pepper=settings.pin_pepper)


# -- codes ---------------------------------------------------------------------------------


def _close(reset: PinReset, status: ResetStatus, now: datetime) -> None:
    reset.status, reset.closed_at = status, now


def _expire_open(db: Session, person: Person, purpose: ResetPurpose, now: datetime) -> None:
    """A new request replaces the person's open ones of the same purpose."""
    for old in db.scalars(
        select(PinReset).where(
            PinReset.person_id == person.id,
            PinReset.purpose == purpose,
            PinReset.status.in_(OPEN),
        )
    ):
        _close(old, ResetStatus.EXPIRED, now)


def take_code(db: Session, settings: Settings, reset: PinReset, code: str, now: datetime) -> Taken:
    """Use `code` on `reset`: race-free, one `UPDATE ... RETURNING` takes a try while the code
    is out, unexpired and tries are left; the right code then closes the row (used), only once.
    """
    taken = db.execute(
        update(PinReset)
        .where(
            PinReset.id == reset.id,
            PinReset.status == ResetStatus.SENT,
            PinReset.expires_at > now,
            PinReset.tries < CODE_TRIES,
        )
        .values(tries=PinReset.tries + 1)
        .returning(PinReset.tries)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    db.refresh(reset)
    if taken is None:
        if reset.status is ResetStatus.SENT and not reset.live(now):
            _close(reset, ResetStatus.EXPIRED, now)
        return Taken(False)
    if code_matches(reset, code, pepper=settings.pin_pepper):
        used = db.execute(
            update(PinReset)
            .where(PinReset.id == reset.id, PinReset.status == ResetStatus.SENT)
            .values(status=ResetStatus.USED, closed_at=now, tries=0)
            .returning(PinReset.id)
            .execution_options(synchronize_session=False)
        ).scalar_one_or_none()
        db.refresh(reset)
        return Taken(used is not None, reset)
    if taken >= CODE_TRIES:
        _close(reset, ResetStatus.LOCKED, now)
    return Taken(False, reset, CODE_TRIES - taken)


def _send_code(db: Session, settings: Settings, reset: PinReset, now: datetime) -> None:
    member = reset.person
    code = arm(reset, now, pepper=settings.pin_pepper)
    db.flush()
    tell(
        db,
        settings,
        member,
        MSG_CODE,
        kind="pin_code",
        priority=Priority.HIGH,
        dedupe_key=f"pin-code:{reset.id}:{reset.sent_at.isoformat() if reset.sent_at else ''}",
        code=code,
        ussd=settings.ussd_service_code,
        minutes=CODE_MINUTES,
    )


def _refuse_proof(
    db: Session, settings: Settings, member: Person, purpose: ResetPurpose, now: datetime
) -> ResetError:
    """Record a wrong proof; the error to show (tries left, or call the help line)."""
    db.add(
        PinReset(
            person_id=member.id,
            purpose=purpose,
            status=ResetStatus.REFUSED,
            asked_by_id=member.id,
            tries=1,
            closed_at=now,
            created_at=now,
        )
    )
    db.flush()
    return _refusal(db, settings, member, purpose, now)


def _refusal(
    db: Session, settings: Settings, member: Person, purpose: ResetPurpose, now: datetime
) -> ResetError:
    left = PROOF_TRIES_PER_DAY - wrong_proofs(db, member, now)
    if left <= 0:
        return ResetError(TOO_MANY, phone=settings.help_phone)
    return ResetError(WRONG_ID if purpose is ResetPurpose.RESET else WRONG_PROOF, n=left)


def _check_tries(db: Session, settings: Settings, member: Person, now: datetime) -> None:
    if wrong_proofs(db, member, now) >= PROOF_TRIES_PER_DAY:
        raise ResetError(TOO_MANY, phone=settings.help_phone)


# -- a forgotten PIN -----------------------------------------------------------------------


def reset_by_member(
    db: Session, settings: Settings, member: Person, id_digits: str, now: datetime
) -> PinReset:
    """The member, from their own phone, with the last 4 digits of their national ID: the code
    goes out at once."""
    if not member.id_last4_hash:
        raise ResetError(NO_PROOF, phone=settings.help_phone)
    _check_tries(db, settings, member, now)
    if not id_matches(member, id_digits, pepper=settings.pin_pepper):
        raise _refuse_proof(db, settings, member, ResetPurpose.RESET, now)
    return _confirmed_reset(db, settings, member, member, None, ConfirmedHow.SELF, now)


def reset_by_staff(
    db: Session,
    settings: Settings,
    member: Person,
    id_digits: str,
    staff: StaffAccount,
    now: datetime,
) -> PinReset:
    """Staff, after the member told them the last 4 digits of their national ID."""
    if not member.id_last4_hash:
        raise ResetError(N_("Record the national ID's last 4 digits first."))
    if not id_matches(member, id_digits, pepper=settings.pin_pepper):
        raise ResetError(N_("Those are not the last 4 digits recorded for this person."))
    return _confirmed_reset(db, settings, member, None, staff, ConfirmedHow.STAFF_ID, now)


def _confirmed_reset(
    db: Session,
    settings: Settings,
    member: Person,
    by: Person | None,
    staff: StaffAccount | None,
    how: ConfirmedHow,
    now: datetime,
) -> PinReset:
    _expire_open(db, member, ResetPurpose.RESET, now)
    reset = PinReset(
        person=member,
        purpose=ResetPurpose.RESET,
        asked_by_id=by.id if by else (staff.person_id if staff else None),
        asked_by_staff_id=staff.id if staff else None,
        on_behalf=by is None or by.id != member.id,
        confirmed_by_id=by.id if by else (staff.person_id if staff else None),
        confirmed_how=how,
        confirmed_at=now,
        created_at=now,
    )
    db.add(reset)
    _send_code(db, settings, reset, now)
    return reset


def group_member(db: Session, officer: Person, raw_phone: str) -> Person:
    """The member of `officer`'s group with the phone number typed."""
    try:
        phone = normalize_phone(raw_phone)
    except BadPhone as error:
        raise ResetError(BAD_NUMBER) from error
    members = [
        p
        for p in people_on_phone(db, phone)
        if officer.vsla_id is not None and p.vsla_id == officer.vsla_id
    ]
    if not members:
        raise ResetError(NOT_IN_GROUP)
    if len(members) > 1:  # a household's phone: staff check whose ID digits match
        raise ResetError(SHARED_IN_GROUP)
    return members[0]


def reset_by_chair(
    db: Session, settings: Settings, member: Person, chair: Person, now: datetime
) -> PinReset:
    """The chairperson asks on a member's behalf: it waits for a field officer of the
    district, who is texted; the member is texted too."""
    if VslaOffice.CHAIRPERSON not in offices(db, chair) or member.vsla_id != chair.vsla_id:
        raise ResetError(NOT_CHAIR)
    if not member.pin_hash:
        raise ResetError(NO_PIN, name=short(member.name, 20))
    _expire_open(db, member, ResetPurpose.RESET, now)
    reset = PinReset(
        person=member,
        purpose=ResetPurpose.RESET,
        asked_by_id=chair.id,
        on_behalf=True,
        created_at=now,
    )
    db.add(reset)
    db.flush()
    tell(
        db,
        settings,
        member,
        MSG_ASKED,
        kind="pin_reset",
        priority=Priority.HIGH,
        dedupe_key=f"pin-asked:{reset.id}",
        by=short(chair.name, 20),
        phone=settings.help_phone,
    )
    officers = db.scalars(
        select(Person).where(Person.district_id == member.district_id).order_by(Person.id)
    ).all()
    for officer in (o for o in officers if o.has_role(Role.FIELD_OFFICER)):
        tell(
            db,
            settings,
            officer,
            MSG_TO_CONFIRM,
            kind="pin_reset_confirm",
            priority=Priority.HIGH,
            dedupe_key=f"pin-confirm:{reset.id}:{officer.id}",
            by=short(chair.name, 16),
            name=short(member.name, 16),
            number=format_phone_local(member.phone),
            group=short(member.vsla.name if member.vsla else "-", 14),
        )
    return reset


def may_confirm(officer: Person, reset: PinReset) -> bool:
    return (
        officer.has_role(Role.FIELD_OFFICER)
        and officer.district_id is not None
        and officer.district_id == reset.person.district_id
    )


def confirm_reset(
    db: Session,
    settings: Settings,
    reset: PinReset,
    officer: Person,
    now: datetime,
    *,
    approve: bool = True,
) -> PinReset:
    """The field officer's confirmation (after calling the member): the code goes out; or
    their refusal, texted to the member as nothing."""
    if not may_confirm(officer, reset):
        raise ResetError(NOT_YOURS)
    if reset.asked_by_id == officer.id:
        raise ResetError(SAME_ASKER)
    if reset.status is not ResetStatus.WAITING:
        raise ResetError(MOVED_ON)
    reset.confirmed_by_id, reset.confirmed_at = officer.id, now
    reset.confirmed_how = ConfirmedHow.FIELD_OFFICER
    if not approve:
        _close(reset, ResetStatus.REFUSED, now)
        return reset
    _send_code(db, settings, reset, now)
    return reset


def reset_code(db: Session, settings: Settings, member: Person, code: str, now: datetime) -> Taken:
    """The member types the code of their reset (an expired one is marked so)."""
    reset = newest_code(db, member, ResetPurpose.RESET)
    if reset is None:
        return Taken(False)
    return take_code(db, settings, reset, code, now)


def reset_done(db: Session, settings: Settings, member: Person, now: datetime) -> None:
    """The new PIN is saved after a reset: tell the member (whoever holds the phone)."""
    tell(
        db,
        settings,
        member,
        MSG_RESET_DONE,
        kind="pin_reset",
        priority=Priority.HIGH,
        dedupe_key=f"pin-reset-done:{member.id}:{now.isoformat()}",
        when=format_when(now, language_or_default(member.language), settings.tz),
        phone=settings.help_phone,
    )


# -- a first PIN ---------------------------------------------------------------------------


def meeting_code(
    db: Session, settings: Settings, member: Person, recorder: Person, now: datetime
) -> str:
    """A first-PIN code the record-keeper reads out to `member` at the meeting; returned once."""
    if VslaOffice.SECRETARY not in offices(db, recorder) or member.vsla_id != recorder.vsla_id:
        raise ResetError(NOT_RECORDER)
    if member.pin_hash:
        raise ResetError(HAS_PIN, name=short(member.name, 20))
    _expire_open(db, member, ResetPurpose.FIRST_PIN, now)
    reset = PinReset(
        person=member,
        purpose=ResetPurpose.FIRST_PIN,
        asked_by_id=recorder.id,
        confirmed_by_id=recorder.id,
        confirmed_how=ConfirmedHow.SECRETARY,
        confirmed_at=now,
        created_at=now,
    )
    db.add(reset)
    code = arm(reset, now, pepper=settings.pin_pepper)
    db.flush()
    return code


def first_pin_proof(
    db: Session, settings: Settings, member: Person, proof: str, now: datetime
) -> PinReset:
    """Check the proof for a first PIN: the ID's last 4 digits, or the record-keeper's code.
    Raises `ResetError` (tries left, or call the help line) when it is wrong."""
    proof = proof.strip()
    _check_tries(db, settings, member, now)
    if id_matches(member, proof, pepper=settings.pin_pepper):
        reset = PinReset(
            person=member,
            purpose=ResetPurpose.FIRST_PIN,
            status=ResetStatus.USED,
            asked_by_id=member.id,
            confirmed_how=ConfirmedHow.ID,
            confirmed_at=now,
            closed_at=now,
            created_at=now,
        )
        db.add(reset)
        db.flush()
        return reset
    code = newest_code(db, member, ResetPurpose.FIRST_PIN)
    if code is not None and len(proof) == CODE_LENGTH:
        taken = take_code(db, settings, code, proof, now)
        if taken.ok and taken.reset is not None:
            return taken.reset
        raise _refusal(db, settings, member, ResetPurpose.FIRST_PIN, now)
    raise _refuse_proof(db, settings, member, ResetPurpose.FIRST_PIN, now)


# -- a new phone number --------------------------------------------------------------------


def ask_phone_change(
    db: Session,
    settings: Settings,
    member: Person,
    raw_phone: str,
    now: datetime,
    *,
    staff: StaffAccount | None = None,
) -> PinReset:
    """Send a code to the new number (asked by the member behind their PIN, or by staff); the
    number changes when that phone types it. A number that is already someone's is refused."""
    try:
        phone = normalize_phone(raw_phone)
    except BadPhone as error:
        raise ResetError(BAD_NUMBER) from error
    if phone == member.phone:
        raise ResetError(SAME_NUMBER)
    if db.scalar(select(Person.id).where(Person.phone == phone)) is not None:
        raise ResetError(NUMBER_TAKEN, phone=settings.help_phone)
    _expire_open(db, member, ResetPurpose.PHONE, now)
    for other in db.scalars(
        select(PinReset).where(PinReset.new_phone == phone, PinReset.status.in_(OPEN))
    ):
        _close(other, ResetStatus.EXPIRED, now)
    reset = PinReset(
        person=member,
        purpose=ResetPurpose.PHONE,
        asked_by_id=member.id if staff is None else staff.person_id,
        asked_by_staff_id=staff.id if staff else None,
        on_behalf=staff is not None,
        confirmed_by_id=member.id if staff is None else staff.person_id,
        confirmed_how=ConfirmedHow.PIN if staff is None else ConfirmedHow.STAFF,
        confirmed_at=now,
        new_phone=phone,
        created_at=now,
    )
    db.add(reset)
    code = arm(reset, now, pepper=settings.pin_pepper)
    db.flush()
    lang = language_or_default(member.language)
    queue_sms(
        db,
        settings,
        phone,
        translate(
            lang,
            MSG_PHONE_CODE,
            name=short(member.name.split(" ")[0], 15),
            ussd=settings.ussd_service_code,
            minutes=CODE_MINUTES,
            code=code,
        ),
        person=member,
        kind="phone_code",
        dedupe_key=f"phone-code:{reset.id}",
    )
    return reset


def confirm_phone_change(
    db: Session, settings: Settings, reset: PinReset, code: str, now: datetime
) -> Taken:
    """The new phone types its code: the member's number becomes it; both numbers are told."""
    taken = take_code(db, settings, reset, code, now)
    if not taken.ok:
        return taken
    member, phone = reset.person, reset.new_phone
    assert phone is not None
    if db.scalar(select(Person.id).where(Person.phone == phone)) is not None:
        _close(reset, ResetStatus.REFUSED, now)
        raise ResetError(NUMBER_TAKEN, phone=settings.help_phone)
    old = member.phone
    member.phone = phone
    db.flush()
    lang = language_or_default(member.language)
    done = translate(
        lang,
        MSG_PHONE_DONE,
        number=format_phone_local(phone),
        when=format_when(now, lang, settings.tz),
        phone=settings.help_phone,
    )
    for number in (old, phone):
        queue_sms(
            db,
            settings,
            number,
            done,
            person=member,
            kind="phone_changed",
            dedupe_key=f"phone-done:{reset.id}:{number}",
        )
    return taken
