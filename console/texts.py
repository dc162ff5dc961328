"""Texts typed as data, per language: staff read and write a training's topic and venue, a
trainee's trade and a cooperative's rejection reason in rw, en and fr (what each person's
screens show, models.texts), and see which languages are still missing. Upcoming trainings
have their own page; the trade is written on the intake and person pages, the reason on the
cooperative's (console.tvet, console.cooperatives). Every change goes through
`services.texts.set_texts`."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from flask import flash, redirect, render_template, request, url_for
from sqlalchemy import select
from werkzeug.wrappers import Response

from console import bp
from console.web import _, db, get_or_404, lang, paginate
from locales import LANGUAGES, N_
from models import Training, utcnow
from services.texts import FIELDS, LONGEST, TextError, missing, set_texts, stored

#: How each field is named to staff.
FIELD_LABELS = {
    "topic": N_("Topic"),
    "venue": N_("Venue"),
    "trade": N_("Trade"),
    "rejection_reason": N_("Reason (rejected)"),
}


@dataclass
class FieldTexts:
    """One field of a row as its form shows it."""

    field: str
    label: str
    typed: str
    values: dict[str, str]
    missing: list[str]
    longest: int


def field_texts(row: Any, form: dict[str, str] | None = None) -> list[FieldTexts]:
    """The per-language texts of `row`'s fields (what was just typed in `form`, when refused)."""
    out = []
    for field in FIELDS[type(row)]:
        values = stored(row, field)
        if form:
            values = {code: form.get(f"{field}_{code}", "") for code in LANGUAGES}
        out.append(
            FieldTexts(field, _(FIELD_LABELS[field]), getattr(row, field) or "", values,
                       missing(row, field), LONGEST[field])
        )
    return out


def save_texts(rows: list[Any]) -> str | None:
    """Write the form's `<field>_<lang>` texts on every row (each of the same model); None when
    saved and committed, else the refusal, in the staff's language, with nothing changed."""
    try:
        for row in rows:
            for field in FIELDS[type(row)]:
                texts = {
                    code: request.form[f"{field}_{code}"]
                    for code in LANGUAGES
                    if f"{field}_{code}" in request.form
                }
                set_texts(row, field, texts, lang=lang())
    except TextError as refused:
        db().rollback()
        return str(refused)
    db().commit()
    return None


@bp.get("/trainings")
def trainings() -> str:
    page = paginate(
        select(Training)
        .where(Training.starts_at >= utcnow())
        .order_by(Training.starts_at, Training.id)
    )
    return render_template("console/trainings.html", page=page, missing=missing)


@bp.route("/trainings/<int:training_id>", methods=["GET", "POST"])
def training(training_id: int) -> str | Response | tuple[str, int]:
    found = get_or_404(Training, training_id)
    error = None
    if request.method == "POST":
        error = save_texts([found])
        if error is None:
            flash(_("Texts saved."))
            return redirect(url_for("console.training", training_id=found.id))
    return render_template(
        "console/training.html",
        training=found,
        fields=field_texts(found, request.form if error else None),
        error=error,
    ), (400 if error else 200)
