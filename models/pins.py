"""PINs: peppered argon2 hashes, trivial-PIN rules and the lockout after repeated wrong tries.

A 4-digit PIN has only 10,000 values, so no hash alone can keep it from someone who steals the
database: at OWASP's minimum argon2id settings (about 30 ms a guess here) all 10,000 take five
CPU-minutes, at ours (m=4 MiB, t=1, about 3.5 ms) about 35 seconds; either is nothing to an
attacker. What protects a stolen PIN hash is the pepper: the PIN is first keyed with
HMAC-SHA256 under `PIN_PEPPER`, a secret kept in the environment and never in the database, so
the hashes alone cannot be tried at all. On the phone, the lockout (3 wrong tries) is the
defence. Keeping argon2 light keeps the PIN hop fast (see the USSD load benchmark); its
parameters live in each hash, and a hash made with other ones is rehashed the next time its
PIN is entered correctly.
"""

from __future__ import annotations

import hmac
from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import or_, update
from sqlalchemy.orm import object_session

from models.people import Person

HASHER = PasswordHasher(time_cost=1, memory_cost=4 * 1024, parallelism=1)
PIN_LENGTH = 4


class PinProblem(StrEnum):
    FORMAT = "format"  # not 4 digits
    TRIVIAL = "trivial"  # 0000, 1234, 1111, ...
    PHONE = "phone"  # the last digits of the phone number


def pin_problem(pin: str, phone: str) -> PinProblem | None:
    """Why `pin` may not be chosen, or None when it is a good PIN."""
    if len(pin) != PIN_LENGTH or not pin.isdigit():
        return PinProblem.FORMAT
    steps = {int(b) - int(a) for a, b in zip(pin, pin[1:], strict=False)}
    if len(set(pin)) == 1 or steps in ({1}, {-1}):
        return PinProblem.TRIVIAL
    if "".join(ch for ch in phone if ch.isdigit()).endswith(pin):
        return PinProblem.PHONE
    return None


def keyed(pin: str, pepper: str) -> str:
    """What is hashed: the PIN keyed with the pepper (HMAC-SHA256), or the PIN without one."""
    if not pepper:
        return pin
    return hmac.new(pepper.encode(), pin.encode(), "sha256").hexdigest()


def set_pin(person: Person, pin: str, *, pepper: str = "") -> None:
    """Store a new PIN (peppered and hashed) and clear any failures or lock."""
    person.pin_hash = HASHER.hash(keyed(pin, pepper))
    person.pin_failures = 0
    person.pin_locked_until = None


def locked_until(person: Person, now: datetime) -> datetime | None:
    """The end of the person's PIN lock, or None when they may try."""
    until = person.pin_locked_until
    return until if until is not None and until > now else None


@dataclass(frozen=True)
class PinCheck:
    ok: bool
    tries_left: int
    locked_until: datetime | None = None
    just_locked: bool = False  # this try locked the PIN: tell the member


def check_pin(
    person: Person,
    pin: str,
    now: datetime,
    *,
    max_failures: int,
    lock_hours: int,
    pepper: str = "",
) -> PinCheck:
    """Check `pin`; count failures in a row and lock after `max_failures` of them.

    Race-free: before any hash is compared, one `UPDATE ... RETURNING` takes a try (and the
    row lock, held to the end of the caller's transaction), only while the PIN is not locked
    and tries are left. So however many sessions guess at once, at most `max_failures`
    guesses are checked per lock window, and only the one that locks says `just_locked`.
    """
    session = object_session(person)
    assert session is not None, "check_pin needs a person loaded in a session"
    taken = session.execute(
        update(Person)
        .where(
            Person.id == person.id,
            or_(Person.pin_locked_until.is_(None), Person.pin_locked_until <= now),
            Person.pin_failures < max_failures,
        )
        .values(pin_failures=Person.pin_failures + 1)
        .returning(Person.pin_failures)
        .execution_options(synchronize_session=False)
    ).scalar_one_or_none()
    session.refresh(person, ["pin_failures", "pin_locked_until", "pin_hash"])
    if taken is None:  # locked, or another session's tries used the window up
        until = locked_until(person, now)
        return PinCheck(ok=False, tries_left=0, locked_until=until or now)
    if person.pin_hash and matches(person.pin_hash, keyed(pin, pepper)):
        if HASHER.check_needs_rehash(person.pin_hash):
            person.pin_hash = HASHER.hash(keyed(pin, pepper))
        person.pin_failures = 0
        person.pin_locked_until = None
        return PinCheck(ok=True, tries_left=max_failures)
    if taken >= max_failures:
        person.pin_failures = 0
        person.pin_locked_until = now + timedelta(hours=lock_hours)
        return PinCheck(
            ok=False, tries_left=0, locked_until=person.pin_locked_until, just_locked=True
        )
    return PinCheck(ok=False, tries_left=max_failures - taken)


def matches(pin_hash: str, secret: str) -> bool:
    try:
        return HASHER.verify(pin_hash, secret)
    except (VerificationError, InvalidHashError):
        return False
