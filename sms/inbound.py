"""`POST /sms/inbound`: Africa's Talking delivers an SMS sent to our short code.

The message is stored under Africa's Talking's `id` before anything else and answered 200 at
once; the worker runs its command. Africa's Talking retries until it gets a 200, so a repeated
`id` is acknowledged and not stored or run again.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from models import InboundSms
from runtime.context import Context, enqueue_after_commit
from sms.fields import Spec, read_fields

PROCESS_JOB = "worker.jobs.inbound.process_inbound"

#: Form field -> InboundSms column
COLUMNS = {
    "id": "at_id",
    "from": "sender",
    "text": "text",
    "to": "to",
    "date": "sent_at",
    "networkCode": "network_code",
    "linkId": "link_id",
}
FIELDS = {
    "id": Spec(100, required=True),
    "from": Spec(40, required=True),
    "text": Spec(5000, keep_spaces=True, present=True),
    "to": Spec(40),
    "date": Spec(40),
    "networkCode": Spec(10),
    "linkId": Spec(100),
}

bp = Blueprint("sms", __name__, url_prefix="/sms")


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def read_form() -> tuple[dict[str, str], str | None]:
    """The message's columns from Africa's Talking's form, or a short reason it is bad."""
    values, problem = read_fields(request.form, FIELDS)
    found = {COLUMNS[name]: value for name, value in values.items() if value is not None}
    return found, problem  # type: ignore[return-value]


@bp.post("/inbound")
def inbound() -> Response:
    ctx: Context = current_app.extensions["ikimina"]
    values, problem = read_form()
    if problem is not None:
        return _plain(problem, 400)
    # the database down: the app answers 503 with Retry-After, and Africa's Talking retries
    with ctx.db.session() as session:
        if session.scalar(select(InboundSms.id).where(InboundSms.at_id == values["at_id"])):
            return _plain("OK (repeat)")
        row = InboundSms(**values)
        try:
            with session.begin_nested():
                session.add(row)
                session.flush()
        except IntegrityError:  # the same id, stored a moment ago by a parallel request
            return _plain("OK (repeat)")
        enqueue_after_commit(session, PROCESS_JOB, row.id, queue="high")
    return _plain("OK")
