"""`POST /sms/delivery`: Africa's Talking's delivery reports (token-protected, answered fast)."""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request

from runtime.context import Context
from services.delivery_reports import BadReport, record_report
from sms.fields import Spec, read_fields

FIELDS = {
    "id": Spec(100, required=True),
    "status": Spec(40, required=True),
    "phoneNumber": Spec(40),
    "networkCode": Spec(10),
    "failureReason": Spec(100),
    "retryCount": Spec(20, number=True),
}

blueprint = Blueprint("sms_delivery", __name__)


def _context() -> Context:
    return current_app.extensions["ikimina"]


@blueprint.post("/sms/delivery")
def delivery() -> Response:
    """Store the report and move its SMS forward; 200 so AT does not post it again."""
    ctx = _context()
    values, problem = read_fields(request.form, FIELDS)
    if problem is not None:
        if problem.startswith("missing"):
            problem = "a delivery report needs id and status"
        return Response(problem, status=400, mimetype="text/plain")
    try:
        with ctx.db.session() as session:
            record_report(session, values)
    except BadReport as exc:
        return Response(str(exc), status=400, mimetype="text/plain")
    return Response("OK", status=200, mimetype="text/plain")
