"""Join requests: the people who asked by USSD to join a savings group, and the staff's
follow-up (contacted, then enrolled)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from console import bp
from console.web import _, db, get_or_404, label, local_next, paginate, people_by
from models import JoinRequest, JoinStatus, Person
from services.joins import JOIN_NEXT, move_join_request


@bp.get("/join-requests")
def join_requests() -> str:
    status = request.args.get("status", JoinStatus.WAITING.value)
    if status not in {s.value for s in JoinStatus}:
        abort(404)
    page = paginate(
        select(JoinRequest)
        .options(joinedload(JoinRequest.district), joinedload(JoinRequest.sector))
        .where(JoinRequest.status == JoinStatus(status))
        .order_by(JoinRequest.created_at, JoinRequest.id)
    )
    counts = dict(
        db().execute(select(JoinRequest.status, func.count()).group_by(JoinRequest.status)).all()
    )
    known = people_by(Person.phone, {r.phone for r in page.items})
    return render_template(
        "console/join_requests.html",
        page=page,
        status=JoinStatus(status),
        statuses=list(JoinStatus),
        counts=counts,
        known=known,
        next_statuses=JOIN_NEXT,
    )


@bp.post("/join-requests/<int:request_id>/status")
def join_request_status(request_id: int) -> Response:
    join = get_or_404(JoinRequest, request_id)
    chosen = request.form.get("status", "")
    if chosen not in {s.value for s in JoinStatus}:
        abort(400)
    if move_join_request(join, JoinStatus(chosen)):
        db().commit()
        flash(_("%(name)s: %(status)s.", name=join.name, status=label(join.status)))
    else:
        flash(_("That request has already moved on; nothing changed."))
    return redirect(local_next(url_for("console.join_requests")))
