"""Absence cases: trainees found absent too long, oldest first (closing them comes with the
inbound SMS work)."""

from __future__ import annotations

from flask import render_template
from sqlalchemy import select
from sqlalchemy.orm import joinedload

from ikimina.console import bp
from ikimina.console.web import paginate
from models import AbsenceCase, CaseStatus, Trainee


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
    return render_template("console/absences.html", page=page)
