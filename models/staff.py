"""Staff accounts for the web console: argon2-hashed passwords and a lockout after failures."""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import TYPE_CHECKING

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Language, StaffRole

if TYPE_CHECKING:
    from models.people import Person

_hasher = PasswordHasher()
#: Checked against when the username is unknown, so a miss takes as long as a wrong password.
_DUMMY_HASH = _hasher.hash("not a password")


class StaffAccount(Base):
    """Someone who signs in to the console: a username, never a password in clear."""

    __tablename__ = "staff_accounts"

    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(60), unique=True)
    password_hash: Mapped[str] = mapped_column(String(200))
    role: Mapped[StaffRole] = mapped_column(default=StaffRole.STAFF)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    language: Mapped[Language] = mapped_column(default=Language.RW)
    active: Mapped[bool] = mapped_column(default=True)
    failed_logins: Mapped[int] = mapped_column(default=0)
    locked_until: Mapped[datetime | None]
    last_login_at: Mapped[datetime | None]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    person: Mapped[Person | None] = relationship()

    @property
    def is_admin(self) -> bool:
        return self.role is StaffRole.ADMIN

    def set_password(self, password: str) -> None:
        """Store an argon2 hash of `password`."""
        self.password_hash = _hasher.hash(password)

    def is_locked(self, now: datetime | None = None) -> bool:
        return self.locked_until is not None and self.locked_until > (now or utcnow())

    def check_login(
        self, password: str, *, max_failures: int, lock_minutes: int, now: datetime | None = None
    ) -> bool:
        """True when the account may sign in with `password`; counts failures and locks the
        account for `lock_minutes` after `max_failures` in a row. A locked account says no
        even to the right password until the lock ends."""
        now = now or utcnow()
        if not self.active or self.is_locked(now):
            return False
        try:
            _hasher.verify(self.password_hash, password)
        except (VerificationError, InvalidHashError):
            self.failed_logins += 1
            if self.failed_logins >= max_failures:
                self.locked_until = now + timedelta(minutes=lock_minutes)
                self.failed_logins = 0
            return False
        if _hasher.check_needs_rehash(self.password_hash):
            self.set_password(password)
        self.failed_logins = 0
        self.locked_until = None
        self.last_login_at = now
        return True


def waste_a_check(password: str) -> None:
    """Spend the time of one password check (for unknown usernames)."""
    try:
        _hasher.verify(_DUMMY_HASH, password)
    except VerificationError:
        pass
