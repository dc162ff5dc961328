"""Every SMS in and out, with its history, and broadcasts."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow
from models.enums import BroadcastStatus, InboundStatus, Priority, SmsStatus


class InboundSms(Base):
    """An SMS Africa's Talking delivered to us, stored before it is acted on."""

    __tablename__ = "inbound_sms"

    id: Mapped[int] = mapped_column(primary_key=True)
    at_id: Mapped[str] = mapped_column(String(100), unique=True)  # Africa's Talking's `id`
    sender: Mapped[str] = mapped_column(String(40), index=True)
    to: Mapped[str] = mapped_column(String(40), default="")
    text: Mapped[str] = mapped_column(Text, default="")
    link_id: Mapped[str | None] = mapped_column(String(100))
    network_code: Mapped[str | None] = mapped_column(String(10))
    sent_at: Mapped[str | None] = mapped_column(String(40))  # AT's `date`, as given
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    status: Mapped[InboundStatus] = mapped_column(default=InboundStatus.RECEIVED, index=True)
    command: Mapped[str | None] = mapped_column(String(40))
    error: Mapped[str | None] = mapped_column(Text)
    processed_at: Mapped[datetime | None]
    #: Who the command ran as (set when the phone is shared by several people).
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    #: This message answered "who is sending?" about that earlier one (once: unique).
    answers_id: Mapped[int | None] = mapped_column(ForeignKey("inbound_sms.id"), unique=True)


class Broadcast(Base):
    """One text (per language) to an audience, sent now or at a time."""

    __tablename__ = "broadcasts"

    id: Mapped[int] = mapped_column(primary_key=True)
    audience: Mapped[str] = mapped_column(String(400))
    texts: Mapped[dict[str, str]] = mapped_column(JSON)  # language -> text
    urgent: Mapped[bool] = mapped_column(default=False)
    scheduled_at: Mapped[datetime | None]
    status: Mapped[BroadcastStatus] = mapped_column(default=BroadcastStatus.DRAFT, index=True)
    created_by_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    recipients: Mapped[int] = mapped_column(default=0)
    fanned_out_at: Mapped[datetime | None]


class OutboundSms(Base):
    """One SMS to one phone number; the outbox row that the worker claims and sends."""

    __tablename__ = "outbound_sms"
    __table_args__ = (Index("ix_outbound_sms_status_not_before", "status", "not_before"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    phone: Mapped[str] = mapped_column(String(20), index=True)
    person_id: Mapped[int | None] = mapped_column(ForeignKey("people.id"), index=True)
    text: Mapped[str] = mapped_column(Text)
    kind: Mapped[str] = mapped_column(String(40), default="reply")  # reply, reminder, alert, ...
    priority: Mapped[Priority] = mapped_column(default=Priority.HIGH)
    urgent: Mapped[bool] = mapped_column(default=False)
    status: Mapped[SmsStatus] = mapped_column(default=SmsStatus.QUEUED)
    dedupe_key: Mapped[str | None] = mapped_column(String(200), unique=True)
    broadcast_id: Mapped[int | None] = mapped_column(ForeignKey("broadcasts.id"), index=True)
    encoding: Mapped[str] = mapped_column(String(8), default="GSM-7")
    segments: Mapped[int] = mapped_column(default=1)
    attempts: Mapped[int] = mapped_column(default=0)
    not_before: Mapped[datetime | None]
    claimed_at: Mapped[datetime | None]
    claimed_by: Mapped[str | None] = mapped_column(String(100))
    at_message_id: Mapped[str | None] = mapped_column(String(100), index=True)
    at_status_code: Mapped[int | None]
    cost: Mapped[str | None] = mapped_column(String(40))  # as Africa's Talking states it
    failure_reason: Mapped[str | None] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)
    sent_at: Mapped[datetime | None]
    delivered_at: Mapped[datetime | None]

    events: Mapped[list[SmsEvent]] = relationship(
        back_populates="sms", order_by="SmsEvent.id", cascade="all, delete-orphan"
    )


class SmsEvent(Base):
    """One step in an outbound SMS's history (queued, sending, sent, delivered, failed...)."""

    __tablename__ = "sms_events"

    id: Mapped[int] = mapped_column(primary_key=True)
    sms_id: Mapped[int] = mapped_column(ForeignKey("outbound_sms.id"), index=True)
    status: Mapped[str] = mapped_column(String(32))
    detail: Mapped[str | None] = mapped_column(Text)
    at: Mapped[datetime] = mapped_column(default=utcnow)

    sms: Mapped[OutboundSms] = relationship(back_populates="events")


class DeliveryReport(Base):
    """A delivery report as Africa's Talking posted it (kept even for unknown ids)."""

    __tablename__ = "delivery_reports"

    id: Mapped[int] = mapped_column(primary_key=True)
    at_message_id: Mapped[str] = mapped_column(String(100), index=True)
    status: Mapped[str] = mapped_column(String(40))
    phone: Mapped[str | None] = mapped_column(String(40))
    failure_reason: Mapped[str | None] = mapped_column(String(100))
    network_code: Mapped[str | None] = mapped_column(String(10))
    retry_count: Mapped[int | None]
    received_at: Mapped[datetime] = mapped_column(default=utcnow)
    matched: Mapped[bool] = mapped_column(default=False)


class OutboxPause(Base):
    """A paused outbox queue (`bulk` when Africa's Talking has no balance); no row: sending."""

    __tablename__ = "outbox_pauses"

    queue: Mapped[str] = mapped_column(String(20), primary_key=True)
    reason: Mapped[str] = mapped_column(String(300))
    since: Mapped[datetime] = mapped_column(default=utcnow)
