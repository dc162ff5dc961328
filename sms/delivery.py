"""`POST /sms/delivery`: Africa's Talking's delivery reports (token-protected, answered fast)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from runtime.context import Context
from services.delivery_reports import BadReport, record_report

blueprint = Blueprint("sms_delivery", __name__)


def _context() -> Context:
    return current_app.extensions["ikimina"]


@blueprint.post("/sms/delivery")
def delivery() -> Response:
    """Store the report and move its SMS forward; 200 so AT does not post it again."""
    ctx = _context()
    try:
        with ctx.db.session() as session:
            record_report(session, request.form)
    except BadReport as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    return Response("OK", status=200, mimetype="text/plain")
