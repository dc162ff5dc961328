"""People who asked to join a VSLA: the waiting list."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING

from sqlalchemy import ForeignKey, String
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import JoinStatus
from models.places import District, Sector

if TYPE_CHECKING:
    from models.people import Person
    from models.vsla import Vsla


class JoinRequest(Base):
    __tablename__ = "join_requests"

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    name: Mapped[str] = mapped_column(String(120))
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"))
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"))
    language: Mapped[str] = mapped_column(String(5), default="rw")
    status: Mapped[JoinStatus] = mapped_column(default=JoinStatus.WAITING, index=True)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    vsla_id: Mapped[int | None] = mapped_column(ForeignKey("vslas.id"))
    enrolled_at: Mapped[datetime | None]
    enrolled_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))

    person: Mapped[Person | None] = relationship(foreign_keys=[person_id])
    vsla: Mapped[Vsla | None] = relationship()
    district: Mapped[District | None] = relationship()
    sector: Mapped[Sector | None] = relationship()
