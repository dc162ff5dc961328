"""`POST /ussd` (one hop of a session) and `POST /ussd/events` (Africa's Talking's end report).

Both are Africa's Talking callbacks, token-protected by `ikimina.callbacks`. A hop is always
answered `text/plain` with `CON ...` or `END ...`: whatever fails inside becomes a short
apology, never an HTTP 500 (Africa's Talking would end the session with "Failed").
"""

from __future__ import annotations

import logging
from datetime import UTC, datetime

from flask import Blueprint, Response, current_app, g, request

from locales import translate
from menus.engine import APOLOGY, Engine, Hop
from menus.journeys import build_engine
from runtime.context import Context
from services.ussd_sessions import record_end
from sms.fields import Spec, clean, read_fields

log = logging.getLogger(__name__)

blueprint = Blueprint("ussd", __name__)


def _context() -> Context:
    return current_app.extensions["ikimina"]


def engine() -> Engine:
    """The app's engine, built on first use."""
    found = current_app.extensions.get("ussd_engine")
    if found is None:
        found = current_app.extensions["ussd_engine"] = build_engine(_context())
    return found


def _text(body: str) -> Response:
    return Response(body, mimetype="text/plain")


@blueprint.post("/ussd")
def hop() -> Response:
    """One hop: the screen to show, `CON` (more to come) or `END`."""
    try:
        form = request.form
        served = engine()
        reply = served.answer(
            Hop(
                session_id=form.get("sessionId", ""),  # the engine refuses a bad one
                phone=clean(form.get("phoneNumber", ""))[:40],
                text=clean(form.get("text", ""))[:5000],
                service_code=clean(form.get("serviceCode", ""))[:40],
                network_code=clean(form.get("networkCode", ""))[:10],
            )
        )
        g.ussd_screen = reply.screen  # for the metrics and the hop's log line
        response = _text(reply.body)
        response.call_on_close(lambda: served.record(reply))  # after the screen is sent
        return response
    except Exception:  # noqa: BLE001 - the engine answers its own errors; this is the last net
        log.exception("ussd: could not answer a hop")
        return _text("END " + translate(None, APOLOGY))


#: Africa's Talking's end-of-session form (longer values are refused with 400).
EVENT_FIELDS = {
    "sessionId": Spec(100, required=True),
    "phoneNumber": Spec(40),
    "status": Spec(20),
    "cost": Spec(40),
    "durationInMillis": Spec(40, number=True),
    "hopsCount": Spec(40, number=True),
    "errorMessage": Spec(2000),
    "date": Spec(40),
}


@blueprint.post("/ussd/events")
def events() -> Response:
    """Africa's Talking's notification that a session ended: status, cost, duration, hops."""
    values, problem = read_fields(request.form, EVENT_FIELDS)
    if problem is not None:
        return Response(problem, status=400, mimetype="text/plain")
    with _context().db.session() as db:
        record_end(
            db,
            str(values["sessionId"]),
            str(values["phoneNumber"] or ""),
            status=str(values["status"] or ""),
            cost=values["cost"] or None,  # type: ignore[arg-type]
            duration_ms=values["durationInMillis"],  # type: ignore[arg-type]
            hops=values["hopsCount"],  # type: ignore[arg-type]
            error=values["errorMessage"] or None,  # type: ignore[arg-type]
            ended_at=_at_date(str(values["date"] or "")),
        )
    return _text("ok")


def _at_date(value: str) -> datetime | None:
    """Africa's Talking's `date` (UTC, `yyyy-MM-dd HH:mm:ss`)."""
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
