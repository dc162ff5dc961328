"""Cooperatives: the registration pipeline (how many at each stage, who is there and since
when), each cooperative's history, and moving it to another stage (the same
`services.registration.change_stage` as the CLI and the importer: it records the step and tells
every member), and the documents of the stage's checklist handed in."""

from __future__ import annotations

from datetime import date

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import case, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from console import bp
from console.dashboard import cooperatives_by_stage
from console.texts import field_texts, save_texts
from console.web import _, context, db, get_or_404, label, lang, paginate, people_by, staff
from locales.formatting import to_local
from models import Cooperative, Person, PersonRole, Role, Stage, utcnow
from models.checklists import checklist
from models.registration import WAITING_ON, next_step
from services.registration import BadStageChange, change_stage, members_told, record_document

#: Stages in the order they are passed, for sorting the pipeline.
STAGE_ORDER = case({stage.value: n for n, stage in enumerate(Stage)}, value=Cooperative.stage)


@bp.get("/cooperatives")
def cooperatives() -> str:
    stage = request.args.get("stage", "")
    stmt = select(Cooperative).options(
        joinedload(Cooperative.district), joinedload(Cooperative.sector)
    )
    if stage in {s.value for s in Stage}:
        stmt = stmt.where(Cooperative.stage == Stage(stage))
    page = paginate(
        stmt.order_by(STAGE_ORDER, Cooperative.stage_date, Cooperative.name, Cooperative.id)
    )
    return render_template(
        "console/cooperatives.html",
        page=page,
        stages=cooperatives_by_stage(),
        stage=stage,
        waiting_on=WAITING_ON,
    )


def _today() -> date:
    return to_local(utcnow(), context().settings.tz).date()


@bp.get("/cooperatives/<int:cooperative_id>")
def cooperative(cooperative_id: int) -> str:
    return _cooperative_page(cooperative_id)[0]


def _cooperative_page(
    cooperative_id: int, error: str | None = None, status: int = 200, texts_error: str | None = None
) -> tuple[str, int]:
    coop = get_or_404(
        Cooperative,
        cooperative_id,
        joinedload(Cooperative.district),
        joinedload(Cooperative.sector),
        selectinload(Cooperative.history),
        selectinload(Cooperative.documents),
    )
    leaders = db().scalars(
        select(Person)
        .join(PersonRole)
        .where(Person.cooperative_id == coop.id, PersonRole.role == Role.LEADER)
        .order_by(Person.name)
    ).all()
    members = paginate(
        select(Person).where(Person.cooperative_id == coop.id).order_by(Person.name, Person.id),
        "members",
    )
    recorders = people_by(Person.id, {change.recorded_by_id for change in coop.history})
    return render_template(
        "console/cooperative.html",
        coop=coop,
        history=list(reversed(coop.history)),
        recorders=recorders,
        leaders=leaders,
        members=members,
        next_step=next_step(coop, lang()),
        checklist=checklist(coop.stage),
        received={doc.document: doc for doc in coop.documents},
        stages=[stage for stage in Stage if stage is not coop.stage],
        today=_today(),
        form=request.form,
        error=error,
        reason=field_texts(coop, request.form if texts_error else None),
        texts_error=texts_error,
    ), status


@bp.post("/cooperatives/<int:cooperative_id>/stage")
def cooperative_stage(cooperative_id: int):  # type: ignore[no-untyped-def]
    """Move the cooperative to `stage` on `date` (certificate number or rejection reason
    when the stage needs one); its members are told by SMS."""
    coop = get_or_404(Cooperative, cooperative_id)
    form = request.form
    try:
        stage = Stage(form.get("stage", ""))
    except ValueError:
        return _cooperative_page(coop.id, _("Choose the stage it reached."), 400)
    try:
        on = date.fromisoformat(form.get("date", ""))
    except ValueError:
        return _cooperative_page(coop.id, _("Give the date of the step."), 400)
    if on > _today():
        return _cooperative_page(coop.id, _("The date of a step cannot be in the future."), 400)
    try:
        change = change_stage(
            db(), context().settings, coop, stage, on=on, by=staff().person,
            note=_clean(form.get("note"), 300),
            certificate_no=_clean(form.get("certificate_no"), 60)
            if stage is Stage.CERTIFIED else None,
            rejection_reason=_clean(form.get("rejection_reason"), 300)
            if stage is Stage.REJECTED else None,
        )
    except BadStageChange as exc:
        db().rollback()
        return _cooperative_page(coop.id, str(exc), 400)
    told = members_told(db(), change)
    db().commit()
    flash(_("%(name)s moved to %(stage)s. Members told by SMS: %(n)s.", name=coop.name,
            stage=label(stage), n=told))
    return redirect(url_for("console.cooperative", cooperative_id=coop.id))


@bp.post("/cooperatives/<int:cooperative_id>/texts")
def cooperative_texts(cooperative_id: int) -> Response | tuple[str, int]:
    """The rejection reason in each language (what members read on their screens)."""
    coop = get_or_404(Cooperative, cooperative_id)
    error = save_texts([coop])
    if error is not None:
        return _cooperative_page(coop.id, status=400, texts_error=error)
    flash(_("Texts saved."))
    return redirect(url_for("console.cooperative", cooperative_id=coop.id))


def _clean(value: str | None, longest: int) -> str | None:
    """The field with its spaces tidied, cut to the column's length; None when blank."""
    return " ".join((value or "").split())[:longest] or None



@bp.post("/cooperatives/<int:cooperative_id>/documents")
def cooperative_document(cooperative_id: int) -> Response:
    """Note a document of the current stage's checklist as handed in (on `date`)."""
    coop = get_or_404(Cooperative, cooperative_id)
    try:
        on = date.fromisoformat(request.form.get("date", ""))
        added = record_document(db(), coop, request.form.get("document", ""), on=on, by=None)
    except (ValueError, BadStageChange):
        db().rollback()
        abort(400)
    if added:
        coop.documents[-1].recorded_by_id = staff().person_id
    db().commit()
    flash(_("Document received.") if added else _("Already received."))
    return redirect(url_for("console.cooperative", cooperative_id=coop.id))


@bp.post("/cooperatives/<int:cooperative_id>/documents/<key>/delete")
def cooperative_document_delete(cooperative_id: int, key: str) -> Response:
    coop = get_or_404(Cooperative, cooperative_id)
    for doc in list(coop.documents):
        if doc.document == key:
            coop.documents.remove(doc)
    db().commit()
    flash(_("Document marked missing."))
    return redirect(url_for("console.cooperative", cooperative_id=coop.id))
