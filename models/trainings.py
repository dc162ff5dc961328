"""Training sessions and who they are for."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from models.base import Base


class Training(Base):
    """A training session; `audience` is `all`, `district:NAME`, `vsla:NAME`,
    `cooperative:NAME` or `vtc:NAME`."""

    __tablename__ = "trainings"
    __table_args__ = (UniqueConstraint("topic", "starts_at", "venue"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    topic: Mapped[str] = mapped_column(String(160))
    starts_at: Mapped[datetime] = mapped_column(index=True)
    venue: Mapped[str] = mapped_column(String(160))
    audience: Mapped[str] = mapped_column(String(160), default="all")
    #: topic and venue in other languages (models.texts): {"topic": {"rw": ...}}
    texts: Mapped[dict[str, dict[str, str]] | None] = mapped_column(JSON, default=dict)
