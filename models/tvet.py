"""Vocational training: centres (VTCs), trainees, absences and replacement cases."""

from __future__ import annotations

from datetime import date, datetime, time
from typing import TYPE_CHECKING

from sqlalchemy import JSON, CheckConstraint, ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column, relationship

from locales import N_
from models.base import Base, utcnow
from models.enums import AbsenceReason, CaseStatus, Channel, TraineeStatus, TvetRequestStatus
from models.places import District

if TYPE_CHECKING:
    from models.people import Person


#: How each absence reason reads (msgids of the models catalogue), in the order menus list them.
REASON_LABELS: dict[AbsenceReason, str] = {
    AbsenceReason.SICK: N_("Sick"),
    AbsenceReason.TRANSPORT: N_("Transport"),
    AbsenceReason.WORK: N_("Work"),
    AbsenceReason.FAMILY: N_("Family"),
    AbsenceReason.UNKNOWN: N_("Not known"),
}
#: Trainees still in training (on trainers' lists, in reminders and counts).
IN_TRAINING = (TraineeStatus.ACTIVE, TraineeStatus.AT_RISK)
#: Who may move a trainee where: from -> to (graduated and dropped are final).
TRANSITIONS: dict[TraineeStatus, tuple[TraineeStatus, ...]] = {
    TraineeStatus.ACTIVE: (TraineeStatus.AT_RISK, TraineeStatus.DROPPED, TraineeStatus.GRADUATED),
    TraineeStatus.AT_RISK: (TraineeStatus.ACTIVE, TraineeStatus.DROPPED),
}


class BadTransition(ValueError):
    """A trainee status move the lifecycle does not allow."""


def set_status(trainee: Trainee, status: TraineeStatus, now: datetime) -> None:
    """Move `trainee` to `status` (and note when), or raise BadTransition."""
    if status not in TRANSITIONS.get(trainee.status, ()):
        was, to = trainee.status.value, status.value
        raise BadTransition(f"{trainee.code} is {was}, cannot become {to}")
    trainee.status = status
    trainee.status_changed_at = now


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


class Intake(Base):
    """A cohort: one trade at one VTC, from `start_date` to `end_date` (its trainees graduate
    the day after)."""

    __tablename__ = "intakes"
    __table_args__ = (
        UniqueConstraint("vtc_id", "trade", "start_date"),
        CheckConstraint("end_date > start_date", name="dates"),
    )

    id: Mapped[int] = mapped_column(primary_key=True)
    vtc_id: Mapped[int] = mapped_column(ForeignKey("vtcs.id"), index=True)
    trade: Mapped[str] = mapped_column(String(80))
    start_date: Mapped[date]
    end_date: Mapped[date] = mapped_column(index=True)
    start_time: Mapped[time] = mapped_column(default=time(8, 0))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)

    vtc: Mapped[Vtc] = relationship()
    trainees: Mapped[list[Trainee]] = relationship(back_populates="intake", order_by="Trainee.code")


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
    intake_id: Mapped[int | None] = mapped_column(ForeignKey("intakes.id"), index=True)
    replaces_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"))
    status_changed_at: Mapped[datetime | None]
    #: The first day of the absence run the trainee was last texted about (the nudge).
    nudged_from: Mapped[date | None]

    person: Mapped[Person] = relationship(foreign_keys=[person_id])
    trainer: Mapped[Person | None] = relationship(foreign_keys=[trainer_id])
    vtc: Mapped[Vtc] = relationship(back_populates="trainees")
    intake: Mapped[Intake | None] = relationship(back_populates="trainees")
    replaces: Mapped[Trainee | None] = relationship(remote_side=[id])


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
    reason: Mapped[AbsenceReason] = mapped_column(
        default=AbsenceReason.UNKNOWN, server_default=AbsenceReason.UNKNOWN.value
    )

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
    """A trainee found at risk; staff or a field officer close it as replaced or justified."""

    __tablename__ = "absence_cases"

    id: Mapped[int] = mapped_column(primary_key=True)
    trainee_id: Mapped[int] = mapped_column(ForeignKey("trainees.id"), index=True)
    status: Mapped[CaseStatus] = mapped_column(default=CaseStatus.OPEN, index=True)
    days: Mapped[str] = mapped_column(String(400))  # ISO dates joined by ","
    opened_at: Mapped[datetime] = mapped_column(default=utcnow)
    closed_at: Mapped[datetime | None]
    closed_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    note: Mapped[str | None] = mapped_column(String(300))
    reason: Mapped[AbsenceReason | None]  # set when closed justified
    replacement_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"))

    trainee: Mapped[Trainee] = relationship(foreign_keys=[trainee_id])
    replacement: Mapped[Trainee | None] = relationship(foreign_keys=[replacement_id])


class TvetRequest(Base):
    """A VSLA member's request for a place in a trade: the TVET waiting list, oldest first."""

    __tablename__ = "tvet_requests"
    __table_args__ = (Index("ix_tvet_requests_queue", "district_id", "status", "requested_at"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    person_id: Mapped[int] = mapped_column(ForeignKey("people.id"), index=True)
    trade: Mapped[str] = mapped_column(String(80))
    district_id: Mapped[int] = mapped_column(ForeignKey("districts.id"))
    requested_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[TvetRequestStatus] = mapped_column(
        default=TvetRequestStatus.WAITING, index=True
    )
    trainee_id: Mapped[int | None] = mapped_column(ForeignKey("trainees.id"))
    closed_at: Mapped[datetime | None]

    person: Mapped[Person] = relationship()
    district: Mapped[District] = relationship()
    trainee: Mapped[Trainee | None] = relationship()
