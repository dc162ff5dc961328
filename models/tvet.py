"""Vocational training: centres (VTCs), trainees, absences and replacement cases."""

from __future__ import annotations

from datetime import date, datetime
from typing import TYPE_CHECKING

from sqlalchemy import JSON, ForeignKey, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import CaseStatus, Channel, TraineeStatus
from models.places import District

if TYPE_CHECKING:
    from models.people import Person


class Vtc(Base):
    """A vocational training centre."""

    __tablename__ = "vtcs"

    id: Mapped[int] = mapped_column(primary_key=True)
    name: Mapped[str] = mapped_column(String(120), unique=True)
    district_id: Mapped[int | None] = mapped_column(ForeignKey("districts.id"), index=True)
    director_id: Mapped[int | None] = mapped_column(ForeignKey("people.id", use_alter=True))

    district: Mapped[District | None] = relationship()
    director: Mapped[Person | None] = relationship(foreign_keys=[director_id])
    trainees: Mapped[list[Trainee]] = relationship(back_populates="vtc", order_by="Trainee.code")


class Trainee(Base):
    __tablename__ = "trainees"

    id: Mapped[int] = mapped_column(primary_key=True)
    code: Mapped[str] = mapped_column(String(20), unique=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    trade: Mapped[str] = mapped_column(String(80))
    #: the trade in other languages (models.texts): {"trade": {"rw": ...}}
    texts: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)
    vtc_id: Mapped[int] = mapped_column(ForeignKey("vtcs.id"), index=True)
    trainer_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    start_date: Mapped[date]
    status: Mapped[TraineeStatus] = mapped_column(default=TraineeStatus.ACTIVE, index=True)

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    trainer: Mapped[Person | None] = relationship(foreign_keys=[trainer_id])
    vtc: Mapped[Vtc] = relationship(back_populates="trainees")


class Absence(Base):
    """A trainee absent on a day; the same trainee and day count once."""

    __tablename__ = "absences"
    __table_args__ = (UniqueConstraint("trainee_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    day: Mapped[date]
    reporter_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    channel: Mapped[Channel]
    inbound_sms_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_sms.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    trainee: Mapped[Trainee] = relationship()


class AttendanceReport(Base):
    """A trainer reported on a day (absences or all present); used for missing-report reminders."""

    __tablename__ = "attendance_reports"
    __table_args__ = (UniqueConstraint("trainer_id", "day"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    trainer_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    day: Mapped[date]
    channel: Mapped[Channel]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class AbsenceCase(Base):
    """A trainee found at risk; staff close it as replaced or justified."""

    __tablename__ = "absence_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(default=CaseStatus.OPEN, index=True)
    days: Mapped[str] = mapped_column(String(400))  # ISO dates joined by ","
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(String(300))

    trainee: Mapped[Trainee] = relationship()
