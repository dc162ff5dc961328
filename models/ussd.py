"""USSD sessions and their hops, kept (masked) for drop-off analysis."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column, relationship

from models.base import Base, utcnow


class UssdSession(Base):
    __tablename__ = "ussd_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_id: Mapped[str] = mapped_column(String(100), unique=True)
    phone: Mapped[str] = mapped_column(String(40), index=True)
    service_code: Mapped[str | None] = mapped_column(String(40))
    network_code: Mapped[str | None] = mapped_column(String(10))
    language: Mapped[str | None] = mapped_column(String(5))
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    last_hop_at: Mapped[datetime] = mapped_column(default=utcnow)
    ended_at: Mapped[datetime | None]
    hops: Mapped[int] = mapped_column(default=0)
    last_screen: Mapped[str | None] = mapped_column(String(80))
    status: Mapped[str | None] = mapped_column(String(20))  # AT's Success/Incomplete/Failed
    cost: Mapped[str | None] = mapped_column(String(40))
    duration_ms: Mapped[int | None]
    error: Mapped[str | None] = mapped_column(Text)

    hop_rows: Mapped[list[UssdHop]] = relationship(
        back_populates="session", order_by="UssdHop.n", cascade="all, delete-orphan"
    )


class UssdHop(Base):
    """One request/answer of a session: masked input, the screen shown, how long it took."""

    __tablename__ = "ussd_hops"

    id: Mapped[int] = mapped_column(primary_key=True)
    session_pk: Mapped[int] = mapped_column(ForeignKey("ussd_sessions.id"), index=True)
    n: Mapped[int]
    input: Mapped[str] = mapped_column(String(200), default="")
    screen: Mapped[str] = mapped_column(String(80))
    ended: Mapped[bool] = mapped_column(default=False)
    elapsed_ms: Mapped[float]
    at: Mapped[datetime] = mapped_column(default=utcnow)

    session: Mapped[UssdSession] = relationship(back_populates="hop_rows")


class UssdState(Base):
    """A USSD session's state while Redis is unreachable (`menus.store.DatabaseStore`): the
    same JSON the Redis store keeps, with its expiry."""

    __tablename__ = "ussd_state"

    key: Mapped[str] = mapped_column(String(200), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    expires_at: Mapped[datetime] = mapped_column(index=True)
