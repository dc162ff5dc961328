"""Join requests: the people who asked by USSD to join a savings group, and the staff's
follow-up: contacted, then enrolled in a group (`services.joins.enrol`: the person is made or
linked and welcomed by SMS)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from console import bp
from console.web import (
    _,
    context,
    db,
    get_or_404,
    label,
    lang,
    local_next,
    paginate,
    people_by,
    staff,
)
from locales import translate
from models import JoinRequest, JoinStatus, Person, Sector, Vsla, utcnow
from services.joins import JOIN_NEXT, JoinError, enrol, move_join_request
from services.pin_resets import ResetError, record_id_digits


def _groups(joins: list[JoinRequest]) -> dict[int, list[Vsla]]:
    """Per request, the groups to offer: those of its sector first, then the others of its
    district (every group when it has none); one query for the page."""
    rows = (
        db()
        .execute(
            select(Vsla, Sector.district_id)
            .join(Sector, Sector.id == Vsla.sector_id)
            .order_by(Vsla.name)
        )
        .all()
    )
    offered = {}
    for join in joins:
        groups = [g for g, district in rows if join.district_id in (None, district)]
        offered[join.id] = sorted(groups, key=lambda g: (g.sector_id != join.sector_id, g.name))
    return offered


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
        groups=_groups([r for r in page.items if r.status is not JoinStatus.ENROLLED]),
    )


@bp.post("/join-requests/<int:request_id>/status")
def join_request_status(request_id: int) -> Response:
    join = get_or_404(JoinRequest, request_id)
    chosen = request.form.get("status", "")
    if chosen != JoinStatus.CONTACTED.value:  # enrolling is `join_request_enrol`'s
        abort(400)
    if move_join_request(join, JoinStatus(chosen)):
        db().commit()
        flash(_("%(name)s: %(status)s.", name=join.name, status=label(join.status)))
    else:
        flash(_("That request has already moved on; nothing changed."))
    return redirect(local_next(url_for("console.join_requests")))


@bp.post("/join-requests/<int:request_id>/enrol")
def join_request_enrol(request_id: int) -> Response:
    join = get_or_404(JoinRequest, request_id)
    group = db().get(Vsla, request.form.get("vsla_id", type=int) or 0)
    if group is None:
        abort(400)
    digits = request.form.get("id_last4", "").strip()
    try:
        person = enrol(
            db(),
            context().settings,
            join,
            group,
            by=staff().person,
            now=utcnow(),
            as_staff=True,
            shared=request.form.get("shared") == "1",
        )
        if digits:
            record_id_digits(context().settings, person, digits)
    except (JoinError, ResetError) as error:
        db().rollback()
        flash(translate(lang(), error.message, **error.values))
    else:
        db().commit()
        flash(
            _(
                "%(name)s is now a member of %(group)s. Welcome SMS queued.",
                name=person.name,
                group=group.name,
            )
        )
    return redirect(local_next(url_for("console.join_requests")))
