"""Broadcasts: every one with its status, audience, recipients and how delivery went; each
broadcast's page follows its progress live (a small JSON endpoint the page polls)."""

from __future__ import annotations

from flask import jsonify, render_template
from flask.wrappers import Response
from sqlalchemy import select

from console import bp
from console.web import db, get_or_404, label, paginate
from models import Broadcast, BroadcastStatus, Person, SmsStatus, utcnow
from services.broadcasts import counts, counts_by_broadcast

#: SMS states that still change on their own (the worker has not finished with them).
MOVING = (SmsStatus.QUEUED.value, SmsStatus.SENDING.value)


@bp.get("/broadcasts")
def broadcasts() -> str:
    page = paginate(select(Broadcast).order_by(Broadcast.created_at.desc(), Broadcast.id.desc()))
    return render_template(
        "console/broadcasts.html",
        page=page,
        delivery=counts_by_broadcast(db(), [b.id for b in page.items]),
    )


def is_live(broadcast: Broadcast, counted: dict[str, int]) -> bool:
    """Whether the page should keep refreshing: fanning out or sending, not waiting for a
    time still to come."""
    if broadcast.status is BroadcastStatus.CANCELLED:
        return False
    if broadcast.status is BroadcastStatus.DONE:
        return any(counted[state] for state in MOVING)
    return broadcast.scheduled_at is None or broadcast.scheduled_at <= utcnow()


@bp.get("/broadcasts/<int:broadcast_id>")
def broadcast(broadcast_id: int) -> str:
    found = get_or_404(Broadcast, broadcast_id)
    counted = counts(db(), found.id)
    return render_template(
        "console/broadcast.html",
        broadcast=found,
        counts=counted,
        statuses=list(SmsStatus),
        live=is_live(found, counted),
        creator=db().get(Person, found.created_by_id) if found.created_by_id else None,
    )


@bp.get("/broadcasts/<int:broadcast_id>/progress")
def broadcast_progress(broadcast_id: int) -> Response:
    """The broadcast's state and delivery counts, for the page's live progress."""
    found = get_or_404(Broadcast, broadcast_id)
    counted = counts(db(), found.id)
    return jsonify(
        status=found.status.value,
        status_label=label(found.status),
        recipients=found.recipients,
        counts=counted,
        live=is_live(found, counted),
    )
