"""Administrative places: district, then sector."""

from __future__ import annotations

from sqlalchemy import ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base

PROGRAMME_DISTRICTS = (
    "Kicukiro",
    "Nyarugenge",
    "Rulindo",
    "Gakenke",
    "Rubavu",
    "Nyabihu",
    "Ngororero",
)

#: The 30 districts of Rwanda, by province (Kigali, North, South, East, West).
RWANDA_DISTRICTS = (
    *("Gasabo", "Kicukiro", "Nyarugenge"),
    *("Burera", "Gakenke", "Gicumbi", "Musanze", "Rulindo"),
    *("Gisagara", "Huye", "Kamonyi", "Muhanga", "Nyamagabe", "Nyanza", "Nyaruguru", "Ruhango"),
    *("Bugesera", "Gatsibo", "Kayonza", "Kirehe", "Ngoma", "Nyagatare", "Rwamagana"),
    *("Karongi", "Ngororero", "Nyabihu", "Nyamasheke", "Rubavu", "Rusizi", "Rutsiro"),
)


class District(Base):
    __tablename__ = "districts"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(80), unique=True)

    sectors: Mapped[list[Sector]] = relationship(back_populates="district", order_by="Sector.name")


class Sector(Base):
    __tablename__ = "sectors"
    __table_args__ = (UniqueConstraint("district_id", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    name: Mapped[str] = mapped_column(String(80))

    district: Mapped[District] = relationship(back_populates="sectors")
