"""TVET intakes and the waiting list: staff add an intake (a trade at a VTC, start and end),
see its trainees, graduate them early or drop one; the waiting list of each trade and
district, oldest first, and withdrawing a request."""

from __future__ import annotations

from collections import Counter
from datetime import date, time

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.wrappers import Response

from console import bp
from console.texts import field_texts, save_texts
from console.web import _, context, db, get_or_404, label
from locales import LANGUAGES
from models import (
    District,
    Intake,
    Trainee,
    TraineeStatus,
    TvetRequest,
    TvetRequestStatus,
    Vtc,
    utcnow,
)
from models.tvet import BadTransition, set_status
from services.attendance import CaseError
from services.texts import missing
from services.tvet import graduate


def _intake_form_error(form: dict[str, str]) -> tuple[str | None, dict[str, object]]:
    """The form's problem (None when fine) and its values."""
    vtc = db().get(Vtc, int(form.get("vtc_id") or 0))
    trade = " ".join(form.get("trade", "").split())[:80]
    try:
        start = date.fromisoformat(form.get("start", ""))
        end = date.fromisoformat(form.get("end", ""))
        at = time.fromisoformat(form.get("start_time") or "08:00")
    except ValueError:
        return _("Give the start and end dates and the start time (HH:MM)."), {}
    if vtc is None or not trade:
        return _("Choose the training centre and type the trade."), {}
    if end <= start:
        return _("The end date must be after the start date."), {}
    return None, {"vtc": vtc, "trade": trade, "start": start, "end": end, "at": at}


@bp.route("/intakes", methods=["GET", "POST"])
def intakes() -> str | Response:
    error = None
    if request.method == "POST":
        error, values = _intake_form_error(request.form)
        if error is None:
            db().add(
                Intake(
                    vtc=values["vtc"],
                    trade=values["trade"],
                    start_date=values["start"],
                    end_date=values["end"],
                    start_time=values["at"],
                )
            )
            try:
                db().commit()
            except IntegrityError:
                db().rollback()
                error = _("That intake already exists.")
            else:
                flash(_("Intake added."))
                return redirect(url_for("console.intakes"))
    rows = db().scalars(select(Intake).order_by(Intake.start_date.desc(), Intake.id)).all()
    counts: dict[int, Counter[TraineeStatus]] = {}
    for intake_id, status, n in db().execute(
        select(Trainee.intake_id, Trainee.status, func.count())
        .where(Trainee.intake_id.is_not(None))
        .group_by(Trainee.intake_id, Trainee.status)
    ):
        counts.setdefault(intake_id, Counter())[status] += n
    return render_template(
        "console/intakes.html",
        intakes=rows,
        counts=counts,
        statuses=[
            TraineeStatus.ACTIVE,
            TraineeStatus.AT_RISK,
            TraineeStatus.GRADUATED,
            TraineeStatus.DROPPED,
        ],
        vtcs=db().scalars(select(Vtc).order_by(Vtc.name)).all(),
        error=error,
        form=request.form,
    ), (400 if error else 200)


@bp.get("/intakes/<int:intake_id>")
def intake(intake_id: int) -> str | tuple[str, int]:
    return _intake_page(get_or_404(Intake, intake_id))


def _intake_page(found: Intake, error: str | None = None) -> str | tuple[str, int]:
    """The intake, its trainees and their trade per language (the first trainee's texts; a
    language is missing when any trainee lacks it)."""
    trainees = list(found.trainees)
    trade = field_texts(trainees[0], request.form if error else None) if trainees else []
    for shown in trade:
        shown.missing = [code for code in LANGUAGES if any(code in missing(t, "trade")
                                                           for t in trainees)]
    page = render_template("console/intake.html", intake=found, trade=trade, error=error)
    return (page, 400) if error else page


@bp.post("/intakes/<int:intake_id>/trade")
def intake_trade(intake_id: int) -> Response | str | tuple[str, int]:
    """The trade of every trainee of the intake, per language."""
    found = get_or_404(Intake, intake_id)
    error = save_texts(list(found.trainees))
    if error is not None:
        return _intake_page(found, error)
    flash(_("Texts saved."))
    return redirect(url_for("console.intake", intake_id=found.id))


@bp.post("/trainees/<int:trainee_id>/texts")
def trainee_texts(trainee_id: int) -> Response:
    """One trainee's trade, per language (from their person page)."""
    found = get_or_404(Trainee, trainee_id)
    flash(save_texts([found]) or _("Texts saved."))
    return redirect(url_for("console.person", person_id=found.person_id))


@bp.post("/intakes/<int:intake_id>/graduate")
def intake_graduate(intake_id: int) -> Response:
    found = get_or_404(Intake, intake_id)
    active = [t.id for t in found.trainees if t.status is TraineeStatus.ACTIVE]
    count = graduate(db(), context().settings, active, now=utcnow())
    db().commit()
    flash(_("Trainees graduated: %(n)s.", n=count))
    return redirect(url_for("console.intake", intake_id=intake_id))


@bp.post("/trainees/<int:trainee_id>/status")
def trainee_status(trainee_id: int) -> Response:
    trainee = get_or_404(Trainee, trainee_id)
    chosen = request.form.get("status", "")
    if chosen not in (TraineeStatus.GRADUATED.value, TraineeStatus.DROPPED.value):
        abort(400)
    try:
        if chosen == TraineeStatus.GRADUATED.value:
            graduate(db(), context().settings, [trainee.id], now=utcnow())
        else:
            set_status(trainee, TraineeStatus.DROPPED, utcnow())
    except (CaseError, BadTransition):
        db().rollback()
        flash(_("%(code)s is not active: close their case first.", code=trainee.code))
    else:
        db().commit()
        flash(_("%(code)s: %(status)s.", code=trainee.code, status=label(trainee.status)))
    target = url_for("console.intake", intake_id=trainee.intake_id) if trainee.intake_id else None
    return redirect(target or url_for("console.intakes"))


@bp.get("/tvet-waiting")
def tvet_waiting() -> str:
    district = request.args.get("district", type=int)
    trade = request.args.get("trade", "").strip()
    query = (
        select(TvetRequest)
        .where(TvetRequest.status == TvetRequestStatus.WAITING)
        .order_by(
            TvetRequest.district_id,
            func.lower(TvetRequest.trade),
            TvetRequest.requested_at,
            TvetRequest.id,
        )
    )
    if district:
        query = query.where(TvetRequest.district_id == district)
    if trade:
        query = query.where(func.lower(TvetRequest.trade) == trade.lower())
    rows = db().scalars(query).all()
    positions: dict[int, int] = {}
    seen: Counter[tuple[int, str]] = Counter()
    for row in rows:
        seen[(row.district_id, row.trade.lower())] += 1
        positions[row.id] = seen[(row.district_id, row.trade.lower())]
    return render_template(
        "console/tvet_waiting.html",
        rows=rows,
        positions=positions,
        districts=db().scalars(select(District).order_by(District.name)).all(),
        district=district,
        trade=trade,
    )


@bp.post("/tvet-waiting/<int:request_id>/withdraw")
def tvet_withdraw(request_id: int) -> Response:
    found = get_or_404(TvetRequest, request_id)
    if found.status is TvetRequestStatus.WAITING:
        found.status, found.closed_at = TvetRequestStatus.WITHDRAWN, utcnow()
        db().commit()
        flash(_("%(name)s left the waiting list.", name=found.person.name))
    return redirect(url_for("console.tvet_waiting"))
