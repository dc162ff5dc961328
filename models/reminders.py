"""Reminder occasions: the record that a rule's reminders for one object and date were queued."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base, utcnow


class ReminderOccasion(Base):
    """One reminder rule applied to one object on one date (e.g. `training:7:2026-12-01`).

    Written in the same transaction as the reminder SMS: the unique (rule, occasion) pair is the
    claim that lets a second scheduler, or a second run, skip work that is already done.
    """

    __tablename__ = "reminder_occasions"
    __table_args__ = (UniqueConstraint("rule", "occasion"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    rule: Mapped[str] = mapped_column(String(40))
    occasion: Mapped[str] = mapped_column(String(120))
    planned_at: Mapped[datetime]  # when the rule said to send
    recipients: Mapped[int] = mapped_column(default=0)
    queued_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
