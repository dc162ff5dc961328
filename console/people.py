"""People: search by name or phone, and one person's page (roles, groups, the others on their
phone, messages, USSD sessions, PIN and opt-out state), with the language and opt-out switches
and the PIN unlock."""

from __future__ import annotations

from datetime import timedelta

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import Select, func, or_, select
from sqlalchemy.orm import joinedload, selectinload
from werkzeug.wrappers import Response

from console import bp
from console.texts import field_texts
from console.web import _, context, db, get_or_404, lang, paginate, staff
from locales import translate
from models import (
    InboundSms,
    Language,
    OutboundSms,
    Person,
    Trainee,
    UssdSession,
    try_normalize_phone,
    utcnow,
)
from services import pin_resets
from services.people import set_language, set_opted_out
from services.people import unlock_pin as unlock
from services.phones import others_on_phone

MESSAGES_PER_PAGE = 20
#: SMS carrying a one-time code: the page shows them with the code hidden.
SECRET_KINDS = ("pin_code", "phone_code")


def search(query: str) -> Select[tuple[Person]]:
    """People whose phone is `query` (any local or international spelling), whose phone
    contains its digits, or whose name contains it."""
    stmt = select(Person).options(
        joinedload(Person.vsla), joinedload(Person.cooperative), joinedload(Person.district)
    )
    query = query.strip()
    if not query:
        return stmt.order_by(Person.name, Person.id)
    phone = try_normalize_phone(query)
    compact = query.replace(" ", "").replace("-", "").removeprefix("+")
    if phone is not None:
        match = Person.phone == phone
    elif compact.isdigit() and len(compact) >= 3:
        match = Person.phone.contains(compact.lstrip("0"))
    else:
        match = func.lower(Person.name).contains(query.lower(), autoescape=True)
    return stmt.where(match).order_by(Person.name, Person.id)


@bp.get("/people")
def people() -> str:
    query = "".join(ch for ch in request.args.get("q", "") if ch.isprintable())[:100]
    page = paginate(search(query))
    return render_template("console/people.html", page=page, query=query)


def _person(person_id: int) -> Person:
    return get_or_404(
        Person,
        person_id,
        joinedload(Person.vsla),
        joinedload(Person.cooperative),
        joinedload(Person.district),
        joinedload(Person.sector),
        joinedload(Person.vtc),
    )


@bp.get("/people/<int:person_id>")
def person(person_id: int) -> str:
    who = _person(person_id)
    outbound = paginate(
        select(OutboundSms)
        .options(selectinload(OutboundSms.events))
        .where(or_(OutboundSms.person_id == who.id, OutboundSms.phone == who.phone))
        .order_by(OutboundSms.created_at.desc(), OutboundSms.id.desc()),
        "out",
        MESSAGES_PER_PAGE,
    )
    inbound = paginate(
        select(InboundSms)
        .where(InboundSms.sender == who.phone)
        .order_by(InboundSms.received_at.desc(), InboundSms.id.desc()),
        "in",
        MESSAGES_PER_PAGE,
    )
    sessions = paginate(
        select(UssdSession)
        .options(selectinload(UssdSession.hop_rows))
        .where(UssdSession.phone == who.phone)
        .order_by(UssdSession.started_at.desc(), UssdSession.id.desc()),
        "ussd",
        MESSAGES_PER_PAGE,
    )
    trainees = (
        db()
        .scalars(
            select(Trainee).options(joinedload(Trainee.vtc)).where(Trainee.person_id == who.id)
        )
        .all()
    )
    return render_template(
        "console/person.html",
        person=who,
        roles=sorted(who.roles),
        same_phone=others_on_phone(db(), who),
        trainees=trainees,
        trade_texts={t.id: field_texts(t) for t in trainees},
        pin_locked=who.pin_locked_until is not None and who.pin_locked_until > utcnow(),
        outbound=outbound,
        inbound=inbound,
        sessions=sessions,
        # "dropped" as on the dashboard: no end screen and no hop for the session's lifetime
        still_open_after=utcnow() - timedelta(seconds=context().settings.ussd_session_ttl_s),
        languages=list(Language),
        resets=pin_resets.history(db(), who),
        secret_kinds=SECRET_KINDS,
    )


@bp.post("/people/<int:person_id>/opt-out")
def person_opt_out(person_id: int) -> Response:
    """Stop or resume reminders and broadcasts to this person (`opted_out` = 1 or 0)."""
    who = _person(person_id)
    opted_out = request.form.get("opted_out") == "1"
    set_opted_out(who, opted_out)
    db().commit()
    flash(
        _("Opted out: no reminders or broadcasts.")
        if opted_out
        else _("Opted in: reminders and broadcasts resume.")
    )
    return redirect(url_for("console.person", person_id=who.id))


@bp.post("/people/<int:person_id>/language")
def person_language(person_id: int) -> Response:
    """Change the language of this person's USSD screens and SMS."""
    who = _person(person_id)
    chosen = request.form.get("language", "")
    if chosen not in {lang.value for lang in Language}:
        abort(400)
    set_language(who, Language(chosen))
    db().commit()
    flash(_("Language changed."))
    return redirect(url_for("console.person", person_id=who.id))


@bp.post("/people/<int:person_id>/unlock-pin")
def person_unlock_pin(person_id: int) -> Response:
    """Lift the person's PIN lock (the same as `ikimina unlock-pin`); their PIN is kept."""
    who = _person(person_id)
    unlock(who)
    db().commit()
    flash(_("PIN unlocked: %(name)s may try again.", name=who.name))
    return redirect(url_for("console.person", person_id=who.id))


def _refused(error: pin_resets.ResetError) -> None:
    db().rollback()
    flash(translate(lang(), error.message, **error.values))


@bp.post("/people/<int:person_id>/id-digits")
def person_id_digits(person_id: int) -> Response:
    """Record the last 4 digits of the person's national ID (hashed): the proof for a first PIN
    and for a PIN reset."""
    who = _person(person_id)
    try:
        pin_resets.record_id_digits(context().settings, who, request.form.get("digits", ""))
    except pin_resets.ResetError as error:
        _refused(error)
    else:
        db().commit()
        flash(_("National ID digits recorded for %(name)s.", name=who.name))
    return redirect(url_for("console.person", person_id=who.id))


@bp.post("/people/<int:person_id>/reset-pin")
def person_reset_pin(person_id: int) -> Response:
    """Staff reset a forgotten PIN after the member told them the last 4 digits of their
    national ID: the member gets a one-time code by SMS (`services.pin_resets`)."""
    who = _person(person_id)
    settings = context().settings
    digits = request.form.get("digits", "")
    try:
        pin_resets.reset_by_staff(db(), settings, who, digits, staff(), utcnow())
    except pin_resets.ResetError as error:
        _refused(error)
    else:
        db().commit()
        flash(_("PIN reset: %(name)s gets a one-time code by SMS.", name=who.name))
    return redirect(url_for("console.person", person_id=who.id))


@bp.post("/people/<int:person_id>/phone")
def person_phone(person_id: int) -> Response:
    """Move the person to a new phone number: a code goes to the new number, and the number
    changes once that phone types it (USSD)."""
    who = _person(person_id)
    settings = context().settings
    raw = request.form.get("phone", "")
    try:
        reset = pin_resets.ask_phone_change(db(), settings, who, raw, utcnow(), staff=staff())
    except pin_resets.ResetError as error:
        _refused(error)
    else:
        db().commit()
        flash(
            _(
                "A code was sent to %(phone)s: the number changes when that phone types it.",
                phone=reset.new_phone,
            )
        )
    return redirect(url_for("console.person", person_id=who.id))
