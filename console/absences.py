"""Absence cases: trainees found absent too long, oldest first, with why they missed (the
trainers' reasons), and closing a case: justified (with a reason), replaced by the oldest
waiting member of the trade (`services.tvet.replace`, as a field officer does by USSD), or
dropped without a replacement. Also the chart of absence reasons."""

from __future__ import annotations

from collections import Counter
from datetime import date, timedelta
from zoneinfo import ZoneInfo

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from console import bp
from console.web import _, context, db, get_or_404, label, paginate, staff
from models import (
    Absence,
    AbsenceCase,
    AbsenceReason,
    CaseStatus,
    District,
    Trainee,
    TvetRequest,
    TvetRequestStatus,
    Vtc,
    utcnow,
)
from models.at_risk import case_days
from models.tvet import REASON_LABELS
from services.attendance import CaseError, close_case
from services.tvet import LIST_MAX, drop, replace

#: How a case may end, as the form offers it.
OUTCOMES = ("justified", "replaced", "dropped")


def _today() -> date:
    return utcnow().astimezone(ZoneInfo(context().settings.tz)).date()


def _reasons(cases: list[AbsenceCase]) -> dict[int, list[tuple[AbsenceReason, int]]]:
    """Per case, its days' reasons, most frequent first (one query for the page)."""
    days = {case.id: set(case_days(case)) for case in cases}
    rows = db().execute(
        select(Absence.trainee_id, Absence.day, Absence.reason).where(
            Absence.trainee_id.in_({case.trainee_id for case in cases})
        )
    )
    counts: dict[int, Counter[AbsenceReason]] = {case.id: Counter() for case in cases}
    by_trainee: dict[int, list[AbsenceCase]] = {}
    for case in cases:
        by_trainee.setdefault(case.trainee_id, []).append(case)
    for trainee_id, day, reason in rows:
        for case in by_trainee.get(trainee_id, []):
            if day in days[case.id]:
                counts[case.id][reason] += 1
    return {case_id: counter.most_common() for case_id, counter in counts.items()}


def _waiting(cases: list[AbsenceCase]) -> dict[int, list[TvetRequest]]:
    """Per case, who waits for its trade in its VTC's district, oldest first (one query)."""
    districts = {c.trainee.vtc.district_id for c in cases} - {None}
    queue: dict[tuple[int, str], list[TvetRequest]] = {}
    rows = db().scalars(
        select(TvetRequest)
        .options(joinedload(TvetRequest.person))
        .where(
            TvetRequest.status == TvetRequestStatus.WAITING,
            TvetRequest.district_id.in_(districts),
        )
        .order_by(TvetRequest.requested_at, TvetRequest.id)
    )
    for row in rows:
        queue.setdefault((row.district_id, row.trade.lower()), []).append(row)
    return {
        c.id: queue.get((c.trainee.vtc.district_id or 0, c.trainee.trade.lower()), [])[:LIST_MAX]
        for c in cases
    }


@bp.get("/absences")
def absences() -> str:
    district = request.args.get("district", type=int)
    query = (
        select(AbsenceCase)
        .options(
            joinedload(AbsenceCase.trainee).joinedload(Trainee.person),
            joinedload(AbsenceCase.trainee).joinedload(Trainee.vtc),
            joinedload(AbsenceCase.trainee).joinedload(Trainee.trainer),
        )
        .where(AbsenceCase.status == CaseStatus.OPEN)
        .order_by(AbsenceCase.opened_at, AbsenceCase.id)
    )
    if district:
        query = query.join(Trainee, Trainee.id == AbsenceCase.trainee_id).where(
            Trainee.vtc.has(Vtc.district_id == district)
        )
    page = paginate(query)
    cases = list(page.items)
    return render_template(
        "console/absences.html",
        page=page,
        reasons=_reasons(cases),
        reason_labels=REASON_LABELS,
        waiting=_waiting(cases),
        tomorrow=_today() + timedelta(days=1),
        districts=db().scalars(select(District).order_by(District.name)).all(),
        district=district,
    )


@bp.post("/absences/<int:case_id>/close")
def absence_close(case_id: int) -> Response:
    """Close the case: justified (`reason`), replaced (`request_id`, `start`) or dropped."""
    outcome = request.form.get("outcome", "")
    if outcome not in OUTCOMES:
        abort(400)
    case = get_or_404(AbsenceCase, case_id, joinedload(AbsenceCase.trainee))
    code = case.trainee.code
    note = " ".join(request.form.get("note", "").split())[:300] or None
    by, now = staff().person, utcnow()
    extra = ""
    if case.status is not CaseStatus.OPEN:
        flash(_("That case is already closed; nothing changed."))
        return redirect(url_for("console.absences"))
    try:
        if outcome == "justified":
            try:
                reason = AbsenceReason(request.form.get("reason", ""))
            except ValueError:
                flash(_("Choose why the absence is justified."))
                return redirect(url_for("console.absences"))
            close_case(
                db(), case.id, CaseStatus.JUSTIFIED, now=now, note=note, by=by, reason=reason
            )
        elif outcome == "replaced":
            try:
                request_id = int(request.form.get("request_id", ""))
                start = date.fromisoformat(request.form.get("start", ""))
            except ValueError:
                flash(_("Choose who replaces the trainee and when they start."))
                return redirect(url_for("console.absences"))
            done = replace(
                db(),
                context().settings,
                case.id,
                request_id,
                starts_on=start,
                by=by,
                now=now,
                as_staff=True,
            )
            extra = " " + _(
                "%(name)s is trainee %(new)s.", name=done.new.person.name, new=done.new.code
            )
        else:
            drop(db(), context().settings, case.id, by=by, now=now, note=note, as_staff=True)
    except CaseError as error:
        db().rollback()
        flash(_("Nothing changed: %(why)s", why=_(str(error))))
    else:
        db().commit()
        shown = CaseStatus.JUSTIFIED if outcome == "justified" else CaseStatus.REPLACED
        flash(_("Case of %(code)s closed: %(outcome)s.", code=code, outcome=label(shown)) + extra)
    return redirect(url_for("console.absences"))


@bp.get("/absences/reasons")
def absence_reasons() -> str:
    """Why trainees miss training: reasons over the last `days` days, as bars and per VTC."""
    days = request.args.get("days", 90, type=int)
    district = request.args.get("district", type=int)
    since = _today() - timedelta(days=max(days, 1))
    query = (
        select(Vtc.name, Absence.reason, func.count(Absence.id))
        .join(Trainee, Trainee.id == Absence.trainee_id)
        .join(Vtc, Vtc.id == Trainee.vtc_id)
        .where(Absence.day >= since)
        .group_by(Vtc.name, Absence.reason)
    )
    if district:
        query = query.where(Vtc.district_id == district)
    rows = db().execute(query).all()
    totals: Counter[AbsenceReason] = Counter()
    per_vtc: dict[str, Counter[AbsenceReason]] = {}
    for vtc, reason, count in rows:
        totals[reason] += count
        per_vtc.setdefault(vtc, Counter())[reason] += count
    whole = sum(totals.values())
    return render_template(
        "console/absence_reasons.html",
        days=days,
        whole=whole,
        totals=totals.most_common(),
        per_vtc=sorted(per_vtc.items()),
        reasons=list(REASON_LABELS),
        reason_labels=REASON_LABELS,
    )
