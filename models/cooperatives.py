"""Cooperatives and their registration: sector, district (documents, site visit), then RCA."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import Stage
from models.places import District, Sector

if TYPE_CHECKING:
    from models.people import Person

#: The stage that normally follows each one (rejected and certified end the road).
NEXT_STAGE: dict[Stage, Stage | None] = {
    Stage.FORMED: Stage.SECTOR_SUBMITTED,
    Stage.SECTOR_SUBMITTED: Stage.SECTOR_APPROVED,
    Stage.SECTOR_APPROVED: Stage.DISTRICT_SUBMITTED,
    Stage.DISTRICT_SUBMITTED: Stage.DISTRICT_SITE_VISIT,
    Stage.DISTRICT_SITE_VISIT: Stage.DISTRICT_APPROVED,
    Stage.DISTRICT_APPROVED: Stage.RCA_SUBMITTED,
    Stage.RCA_SUBMITTED: Stage.CERTIFIED,
    Stage.CERTIFIED: None,
    Stage.REJECTED: None,
}


class Cooperative(Base):
    __tablename__ = "cooperatives"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    value_chain: Mapped[str] = mapped_column(String(80))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"), index=True)
    sector_id: Mapped[int | None] = mapped_column(ForeignKey("sectors.id"), index=True)
    stage: Mapped[Stage] = mapped_column(default=Stage.FORMED, index=True)
    stage_date: Mapped[date | None]
    certificate_no: Mapped[str | None] = mapped_column(String(60))
    rejection_reason: Mapped[str | None] = mapped_column(String(300))
    #: the rejection reason in other languages (models.texts): {"rejection_reason": {"rw": ...}}
    texts: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)

    district: Mapped[District] = relationship()
    sector: Mapped[Sector | None] = relationship()
    members: Mapped[list[Person]] = relationship(back_populates="cooperative")
    history: Mapped[list[StageChange]] = relationship(
        back_populates="cooperative",
        order_by="StageChange.date, StageChange.id",
        cascade="all, delete-orphan",
    )
    documents: Mapped[list[CooperativeDocument]] = relationship(
        back_populates="cooperative", cascade="all, delete-orphan"
    )


class CooperativeDocument(Base):
    """A document of a stage's checklist (`models.checklists`) the cooperative handed in."""

    __tablename__ = "cooperative_documents"
    __table_args__ = (UniqueConstraint("cooperative_id", "document"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    document: Mapped[str] = mapped_column(String(40))
    received_on: Mapped[date]
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    cooperative: Mapped[Cooperative] = relationship(back_populates="documents")


class StageChange(Base):
    """One step of a cooperative's registration history."""

    __tablename__ = "stage_changes"

    id: Mapped[int] = mapped_column(primary_key=True)
    cooperative_id: Mapped[int] = mapped_column(ForeignKey("cooperatives.id"), index=True)
    stage: Mapped[Stage]
    date: Mapped[date]
    note: Mapped[str | None] = mapped_column(String(300))
    recorded_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    recorded_at: Mapped[datetime] = mapped_column(default=utcnow)

    cooperative: Mapped[Cooperative] = relationship(back_populates="history")
