"""The broadcast composer: an audience built from fields (or written as an expression), a text
per language checked for GSM-7, the recipients and cost before sending, now or at a set time.

`/console/broadcasts/preview` answers the same preview as JSON (with the rendered panel) for
the few lines of JavaScript that keep it live; without JavaScript the Preview button posts the
form and the page comes back with the same panel.
"""

from __future__ import annotations

import shlex
from dataclasses import dataclass
from datetime import datetime
from zoneinfo import ZoneInfo

from flask import flash, jsonify, redirect, render_template, request, url_for
from flask.wrappers import Response
from markupsafe import Markup, escape
from sqlalchemy import select
from werkzeug.datastructures import MultiDict
from werkzeug.wrappers import Response as BaseResponse

from console import bp
from console.web import _, context, db, staff
from locales import LANGUAGES
from locales.formatting import to_local
from models import Cooperative, District, Language, Role, Sector, Vsla, Vtc, utcnow
from services.broadcasts import BadBroadcast, Preview, create, preview
from services.gsm7 import encode, non_gsm7_chars, normalise

#: The audience builder's fields, each a key of models.audience.
FIELDS = ("district", "sector", "vsla", "cooperative", "vtc", "role", "language")
#: The places and groups the builder suggests, per field.
NAMED = {"sector": Sector, "vsla": Vsla, "cooperative": Cooperative, "vtc": Vtc}


def audience_from(form: MultiDict[str, str]) -> str:
    """The audience expression the builder's fields and the raw box make together (AND)."""
    terms = []
    for key in FIELDS:
        value = " ".join(form.get(key, "").split())
        if value:
            terms.append(f"{key}:{shlex.quote(value)}")
    raw = form.get("expression", "").strip()
    if raw and not (raw.lower() == "all" and terms):
        terms.append(raw)
    return " ".join(terms)


def texts_from(form: MultiDict[str, str]) -> dict[str, str]:
    return {lang: form.get(f"text_{lang}", "") for lang in LANGUAGES}


def marked(text: str) -> Markup:
    """`text` escaped, each character that GSM-7 lacks (after normalising) in a <mark>."""
    bad = set(non_gsm7_chars(normalise(text)))
    return Markup("").join(
        Markup('<mark title="{0}">{1}</mark>').format(f"U+{ord(ch):04X}", ch) if ch in bad
        else escape(ch)
        for ch in text
    )


@dataclass(frozen=True)
class TextCheck:
    """One language's text: its length, encoding and segments, and what breaks GSM-7."""

    language: str
    text: str
    segments: int
    encoding: str
    length: int
    non_gsm7: tuple[str, ...]


def check_texts(texts: dict[str, str]) -> list[TextCheck]:
    checks = []
    for lang, text in texts.items():
        if text.strip():
            encoded = encode(text.strip())
            checks.append(TextCheck(lang, text.strip(), encoded.segments, encoded.encoding,
                                    encoded.length, tuple(non_gsm7_chars(encoded.text))))
    return checks


@dataclass(frozen=True)
class Seen:
    """What the preview panel shows: the numbers, the text checks, or why it cannot go out."""

    audience: str
    numbers: Preview | None
    checks: list[TextCheck]
    error: str | None


def look(form: MultiDict[str, str]) -> Seen:
    """The preview of the form as it stands (recipients even before any text is written)."""
    audience = audience_from(form)
    texts = texts_from(form)
    checks = check_texts(texts)
    if not audience:
        return Seen(audience, None, checks, _("Choose who gets it, or write all."))
    try:
        # Without a text yet, count the recipients with a stand-in (no segments are shown).
        numbers = preview(db(), context().settings, audience, texts if checks else {"rw": "-"})
    except BadBroadcast as exc:
        return Seen(audience, None, checks, str(exc))
    return Seen(numbers.audience, numbers, checks, None)


def send_at(form: MultiDict[str, str]) -> datetime | None:
    """The time asked for (Kigali time in the form), or None for now; ValueError if bad."""
    if form.get("when") != "later":
        return None
    raw = form.get("send_at", "").strip()
    try:
        local = datetime.fromisoformat(raw)
    except ValueError:
        raise ValueError(_("Give the day and time to send it.")) from None
    moment = local.replace(tzinfo=ZoneInfo(context().settings.tz))
    if moment <= utcnow():
        raise ValueError(_("That time has passed: choose a later one, or send now."))
    return moment


def choices() -> dict[str, object]:
    """What the builder offers: districts, roles, languages, and names to suggest."""
    return {
        "districts": db().scalars(select(District.name).order_by(District.name)).all(),
        "suggestions": {
            key: db().scalars(select(model.name).order_by(model.name).distinct()).all()
            for key, model in NAMED.items()
        },
        "roles": list(Role),
        "languages": list(Language),
        "cost_per_segment": context().settings.sms_cost_per_segment,
        "tz": context().settings.tz,
        "now_local": to_local(utcnow(), context().settings.tz).strftime("%Y-%m-%dT%H:%M"),
    }


def _form(form: MultiDict[str, str], seen: Seen | None, error: str | None = None,
          status: int = 200) -> tuple[str, int]:
    return render_template("console/compose.html", form=form, seen=seen, error=error,
                           **choices()), status


@bp.get("/broadcasts/new")
def compose() -> str:
    return _form(request.args, None)[0]


@bp.post("/broadcasts/new")
def compose_post() -> tuple[str, int] | BaseResponse:
    """Preview (`action=preview`) or send the broadcast."""
    form = request.form
    seen = look(form)
    if form.get("action") != "send":
        return _form(form, seen)
    if seen.error or not seen.checks:
        return _form(form, seen, seen.error or _("Write the text in at least one language."), 400)
    try:
        at = send_at(form)
        made = create(db(), context().settings, audience_from(form), texts_from(form), send_at=at,
                      urgent=form.get("urgent") == "1", created_by_id=staff().person_id)
    except (ValueError, BadBroadcast) as exc:
        return _form(form, seen, str(exc), 400)
    db().commit()
    flash(_("Broadcast to %(n)s people scheduled.", n=made.recipients) if at
          else _("Broadcast to %(n)s people on its way.", n=made.recipients))
    return redirect(url_for("console.broadcast", broadcast_id=made.id))


@bp.get("/broadcasts/preview")
def compose_preview() -> Response:
    """The preview as JSON: the numbers, each text's check, and the panel rendered."""
    seen = look(request.args)
    numbers = seen.numbers
    return jsonify(
        audience=seen.audience,
        error=seen.error,
        recipients=numbers.recipients if numbers else None,
        opted_out=numbers.opted_out if numbers else None,
        total_segments=numbers.total_segments if numbers and seen.checks else None,
        estimated_cost=numbers.estimated_cost if numbers and seen.checks else None,
        unknown_names=list(numbers.unknown_names) if numbers else [],
        texts={c.language: {"segments": c.segments, "encoding": c.encoding,
                            "length": c.length, "non_gsm7": list(c.non_gsm7)}
               for c in seen.checks},
        html=render_template("console/_preview.html", seen=seen,
                             cost_per_segment=context().settings.sms_cost_per_segment),
    )


bp.add_app_template_filter(marked, "gsm7_marked")
