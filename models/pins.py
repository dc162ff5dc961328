"""PINs: argon2 hashes, trivial-PIN rules and the lockout after repeated wrong tries.

A 4-digit PIN has only 10,000 values, so the lockout (3 wrong tries) is the real defence
against guessing on the phone. The hash is what is left against someone who steals the
database: argon2id at one of OWASP's minimum settings (m=12 MiB, t=3, p=1), about 30 ms per
guess here, so trying all 10,000 PINs costs about 5 CPU-minutes per member and memory-hard
work on a GPU, instead of well under a minute at the earlier 4 MiB, t=1. The PIN hop pays that
verify once (argon2 runs outside the GIL, so other hops go on). The parameters live in each
hash: a hash made with other ones is rehashed the next time its PIN is entered correctly.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from enum import StrEnum

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError

from models.people import Person

HASHER = PasswordHasher(time_cost=3, memory_cost=12 * 1024, parallelism=1)
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


def set_pin(person: Person, pin: str) -> None:
    """Store a new PIN (hashed) and clear any failures or lock."""
    person.pin_hash = HASHER.hash(pin)
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
    person: Person, pin: str, now: datetime, *, max_failures: int, lock_hours: int
) -> PinCheck:
    """Check `pin`; count failures in a row and lock after `max_failures` of them."""
    until = locked_until(person, now)
    if until is not None:
        return PinCheck(ok=False, tries_left=0, locked_until=until)
    if person.pin_hash and _matches(person.pin_hash, pin):
        if HASHER.check_needs_rehash(person.pin_hash):
            person.pin_hash = HASHER.hash(pin)
        person.pin_failures = 0
        person.pin_locked_until = None
        return PinCheck(ok=True, tries_left=max_failures)
    person.pin_failures = (person.pin_failures or 0) + 1
    if person.pin_failures >= max_failures:
        person.pin_failures = 0
        person.pin_locked_until = now + timedelta(hours=lock_hours)
        return PinCheck(
            ok=False, tries_left=0, locked_until=person.pin_locked_until, just_locked=True
        )
    return PinCheck(ok=False, tries_left=max_failures - person.pin_failures)


def unlock(person: Person) -> None:
    """Staff lift a lock: the member may try again (their PIN is kept)."""
    person.pin_failures = 0
    person.pin_locked_until = None


def _matches(pin_hash: str, pin: str) -> bool:
    try:
        return HASHER.verify(pin_hash, pin)
    except (VerificationError, InvalidHashError):
        return False
