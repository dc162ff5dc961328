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
                session_id=form.get("sessionId", ""),
                phone=form.get("phoneNumber", ""),
                text=form.get("text", ""),
                service_code=form.get("serviceCode", ""),
                network_code=form.get("networkCode", ""),
            )
        )
        g.ussd_screen = reply.screen  # for the metrics and the hop's log line
        response = _text(reply.body)
        response.call_on_close(lambda: served.record(reply))  # after the screen is sent
        return response
    except Exception:  # noqa: BLE001 - the engine answers its own errors; this is the last net
        log.exception("ussd: could not answer a hop")
        return _text("END " + translate(None, APOLOGY))


@blueprint.post("/ussd/events")
def events() -> Response:
    """Africa's Talking's notification that a session ended: status, cost, duration, hops."""
    form = request.form
    session_id = form.get("sessionId", "").strip()[:100]
    if not session_id:
        return _text("missing sessionId"), 400  # type: ignore[return-value]
    with _context().db.session() as db:
        record_end(
            db,
            session_id,
            form.get("phoneNumber", "")[:40],
            status=form.get("status", "")[:20],
            cost=form.get("cost", "")[:40] or None,
            duration_ms=_int(form.get("durationInMillis")),
            hops=_int(form.get("hopsCount")),
            error=form.get("errorMessage") or None,
            ended_at=_at_date(form.get("date", "")),
        )
    return _text("ok")


def _int(value: str | None) -> int | None:
    try:
        return int(float(value)) if value else None
    except ValueError:
        return None


def _at_date(value: str) -> datetime | None:
    """Africa's Talking's `date` (UTC, `yyyy-MM-dd HH:mm:ss`)."""
    try:
        return datetime.strptime(value.strip(), "%Y-%m-%d %H:%M:%S").replace(tzinfo=UTC)
    except ValueError:
        return None
