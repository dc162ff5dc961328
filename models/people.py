"""People: their phone number (a household may share one), roles, language, PIN state and
opt-out."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Language, Role
from models.places import District, Sector

if TYPE_CHECKING:
    from models.cooperatives import Cooperative
    from models.tvet import Vtc
    from models.vsla import Vsla


def first_name_of(name: str) -> str:
    """The name a shared phone shows before a PIN: the last word of `name`, as Rwandan lists
    write the family name first (`Uwase Aline` -> `Aline`)."""
    words = name.split()
    return words[-1] if words else name


class Person(Base):
    """Anyone ikimina knows by phone number (E.164). Several people may share a phone (a
    household's one phone), each with their own PIN, language and roles: `services.phones`
    says who is on a phone and how each is told apart."""

    __tablename__ = "people"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    language: Mapped[Language] = mapped_column(default=Language.RW)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"), index=True)
    vsla_id: Mapped[int | None] = mapped_column(ForeignKey("vslas.id"), index=True)
    cooperative_id: Mapped[int | None] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    vtc_id: Mapped[int | None] = mapped_column(ForeignKey("vtcs.id"), index=True)
    opted_out: Mapped[bool] = mapped_column(default=False)
    opted_out_at: Mapped[datetime | None]
    pin_hash: Mapped[str | None] = mapped_column(String(200))
    pin_failures: Mapped[int] = mapped_column(default=0)
    pin_locked_until: Mapped[datetime | None]
    #: The last 4 digits of the national ID, peppered and hashed: a proof (models.pin_resets).
    id_last4_hash: Mapped[str | None] = mapped_column(String(200))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    district: Mapped[District | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
    vsla: Mapped[Vsla | None] = relationship(back_populates="members")
    cooperative: Mapped[Cooperative | None] = relationship(back_populates="members")
    vtc: Mapped[Vtc | None] = relationship(foreign_keys=[vtc_id])
    role_rows: Mapped[list[PersonRole]] = relationship(
        back_populates="person", cascade="all, delete-orphan", lazy="selectin"
    )

    @property
    def first_name(self) -> str:
        return first_name_of(self.name)

    @property
    def roles(self) -> set[Role]:
        return {row.role for row in self.role_rows}

    def has_role(self, role: Role) -> bool:
        return role in self.roles

    def set_roles(self, roles: set[Role]) -> None:
        """Replace the person's roles with `roles`."""
        keep = [row for row in self.role_rows if row.role in roles]
        have = {row.role for row in keep}
        self.role_rows = keep + [PersonRole(role=r) for r in sorted(roles - have)]


class PersonRole(Base):
    __tablename__ = "person_roles"

    person_id: Mapped[int] = mapped_column(
        ForeignKey("people.id", ondelete="CASCADE"), primary_key=True
    )
    role: Mapped[Role] = mapped_column(primary_key=True, index=True)

    person: Mapped[Person] = relationship(back_populates="role_rows")
