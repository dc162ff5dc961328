"""One-time codes and the proofs behind a PIN: PIN resets, first-PIN codes, phone changes.

A code is 6 digits, kept only as a peppered argon2 hash (like a PIN, `models.pins.keyed`), works
once, for `CODE_MINUTES`, and dies after `CODE_TRIES` wrong tries. Each request is one
`pin_resets` row: who it is for, who asked, who confirmed it and how, when the code went out and
when it was used, expired or locked. The national ID's last 4 digits are a proof too: hashed the
same way on the person (`Person.id_last4_hash`), never kept in clear.
"""

from __future__ import annotations

import secrets
from datetime import datetime, timedelta
from enum import StrEnum

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.people import Person
from models.pins import HASHER, keyed, matches

CODE_LENGTH = 6
CODE_MINUTES = 15
CODE_TRIES = 3
ID_DIGITS = 4


class ResetPurpose(StrEnum):
    RESET = "reset"  # a forgotten PIN
    FIRST_PIN = "first_pin"  # the proof for a first PIN (a meeting code, or the ID digits)
    PHONE = "phone"  # a new phone number, confirmed from that phone


class ResetStatus(StrEnum):
    WAITING = "waiting"  # asked by someone else: waits for the second confirmation
    SENT = "sent"  # the code is out (or shown), not used yet
    USED = "used"
    EXPIRED = "expired"
    LOCKED = "locked"  # too many wrong codes
    REFUSED = "refused"  # a wrong proof, or the confirmation refused


class ConfirmedHow(StrEnum):
    SELF = "self"  # the member, from their phone, with the ID digits
    FIELD_OFFICER = "field_officer"  # the district's field officer, after the chairperson
    STAFF_ID = "staff_id"  # staff, after checking the national ID's last digits
    STAFF = "staff"  # staff in the console (a phone change)
    PIN = "pin"  # the member's own PIN (a phone change from the old number)
    SECRETARY = "secretary"  # the record-keeper, at the meeting (a first-PIN code)
    ID = "id"  # the member typed their ID digits (a first PIN)


class PinReset(Base):
    """One request for a one-time code (or one proof given), and what became of it."""

    __tablename__ = "pin_resets"

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    purpose: Mapped[ResetPurpose] = mapped_column(default=ResetPurpose.RESET)
    status: Mapped[ResetStatus] = mapped_column(default=ResetStatus.WAITING, index=True)
    asked_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    asked_by_staff_id: Mapped[int | None] = mapped_column(ForeignKey("staff_accounts.id"))
    on_behalf: Mapped[bool] = mapped_column(default=False)
    confirmed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    confirmed_how: Mapped[ConfirmedHow | None]
    confirmed_at: Mapped[datetime | None]
    new_phone: Mapped[str | None] = mapped_column(String(20), index=True)
    code_hash: Mapped[str | None] = mapped_column(String(200))
    sent_at: Mapped[datetime | None]
    expires_at: Mapped[datetime | None]
    tries: Mapped[int] = mapped_column(default=0)
    closed_at: Mapped[datetime | None]  # used, expired, locked or refused
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    asked_by: Mapped[Person | None] = relationship(foreign_keys=[asked_by_id])

    def live(self, now: datetime) -> bool:
        """The code is out and may still be typed."""
        return (
            self.status is ResetStatus.SENT
            and self.expires_at is not None
            and now < self.expires_at
        )


def new_code() -> str:
    """A random 6-digit code (never stored: only its hash is)."""
    return f"{secrets.randbelow(10**CODE_LENGTH):0{CODE_LENGTH}d}"


def arm(reset: PinReset, now: datetime, *, pepper: str) -> str:
    """Give `reset` a fresh code valid `CODE_MINUTES` from `now`; returns it in clear, once."""
    code = new_code()
    reset.code_hash = HASHER.hash(keyed(code, pepper))
    reset.status, reset.sent_at = ResetStatus.SENT, now
    reset.expires_at, reset.tries = now + timedelta(minutes=CODE_MINUTES), 0
    return code


def code_matches(reset: PinReset, code: str, *, pepper: str) -> bool:
    return bool(reset.code_hash) and matches(reset.code_hash or "", keyed(code.strip(), pepper))


def id_digits_ok(digits: str) -> bool:
    return len(digits) == ID_DIGITS and digits.isdigit()


def set_id_last4(person: Person, digits: str, *, pepper: str) -> bool:
    """Record the last 4 digits of `person`'s national ID (hashed); False when they already
    were (nothing changes, so a re-import changes no row)."""
    if person.id_last4_hash and matches(person.id_last4_hash, keyed(digits, pepper)):
        return False
    person.id_last4_hash = HASHER.hash(keyed(digits, pepper))
    return True


def id_matches(person: Person, digits: str, *, pepper: str) -> bool:
    """The digits typed are the last 4 of the national ID the group recorded."""
    if not person.id_last4_hash or not id_digits_ok(digits.strip()):
        return False
    return matches(person.id_last4_hash, keyed(digits.strip(), pepper))
