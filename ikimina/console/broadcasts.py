"""Broadcasts: every one with its status, audience, recipients and how delivery went."""

from __future__ import annotations

from collections import defaultdict

from flask import render_template
from sqlalchemy import func, select

from ikimina.console import bp
from ikimina.console.web import db, get_or_404, paginate
from models import Broadcast, OutboundSms, SmsStatus


def delivery(broadcast_ids: set[int]) -> dict[int, dict[SmsStatus, int]]:
    """For each broadcast, how many of its SMS are in each state (one grouped query)."""
    counts: dict[int, dict[SmsStatus, int]] = defaultdict(dict)
    if broadcast_ids:
        rows = db().execute(
            select(OutboundSms.broadcast_id, OutboundSms.status, func.count())
            .where(OutboundSms.broadcast_id.in_(broadcast_ids))
            .group_by(OutboundSms.broadcast_id, OutboundSms.status)
        )
        for broadcast_id, status, n in rows:
            counts[broadcast_id][status] = n
    return counts


@bp.get("/broadcasts")
def broadcasts() -> str:
    page = paginate(select(Broadcast).order_by(Broadcast.created_at.desc(), Broadcast.id.desc()))
    return render_template(
        "console/broadcasts.html", page=page, delivery=delivery({b.id for b in page.items})
    )


@bp.get("/broadcasts/<int:broadcast_id>")
def broadcast(broadcast_id: int) -> str:
    found = get_or_404(Broadcast, broadcast_id)
    return render_template(
        "console/broadcast.html",
        broadcast=found,
        counts=delivery({found.id})[found.id],
        statuses=list(SmsStatus),
    )
