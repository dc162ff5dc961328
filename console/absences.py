"""Absence cases: trainees found absent too long, oldest first, and closing a case as replaced
or justified (the same `close_case` as `ikimina cases close`)."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from console import bp
from console.web import _, db, get_or_404, label, paginate, staff
from models import AbsenceCase, CaseStatus, Trainee, utcnow
from services.attendance import CaseError, close_case

#: How a case may end, as the form offers it.
OUTCOMES = (CaseStatus.REPLACED, CaseStatus.JUSTIFIED)


@bp.get("/absences")
def absences() -> str:
    page = paginate(
        select(AbsenceCase)
        .options(
            joinedload(AbsenceCase.trainee).joinedload(Trainee.person),
            joinedload(AbsenceCase.trainee).joinedload(Trainee.vtc),
            joinedload(AbsenceCase.trainee).joinedload(Trainee.trainer),
        )
        .where(AbsenceCase.status == CaseStatus.OPEN)
        .order_by(AbsenceCase.opened_at, AbsenceCase.id)
    )
    return render_template("console/absences.html", page=page, outcomes=OUTCOMES)


@bp.post("/absences/<int:case_id>/close")
def absence_close(case_id: int) -> Response:
    """Close the case: `outcome` replaced (the place goes to someone else) or justified."""
    outcome = request.form.get("outcome", "")
    if outcome not in {o.value for o in OUTCOMES}:
        abort(400)
    case = get_or_404(AbsenceCase, case_id, joinedload(AbsenceCase.trainee))
    note = " ".join(request.form.get("note", "").split())[:500] or None
    try:
        close_case(db(), case.id, CaseStatus(outcome), now=utcnow(), note=note, by=staff().person)
    except CaseError:
        db().rollback()
        flash(_("That case is already closed; nothing changed."))
    else:
        db().commit()
        flash(_("Case of %(code)s closed: %(outcome)s.", code=case.trainee.code,
                outcome=label(CaseStatus(outcome))))
    return redirect(url_for("console.absences"))
