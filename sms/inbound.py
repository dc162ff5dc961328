"""`POST /sms/inbound`: Africa's Talking delivers an SMS sent to our short code.

The message is stored under Africa's Talking's `id` before anything else and answered 200 at
once; the worker runs its command. Africa's Talking retries until it gets a 200, so a repeated
`id` is acknowledged and not stored or run again.
"""

from __future__ import annotations

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError

from models import InboundSms
from runtime.context import Context, enqueue_after_commit

PROCESS_JOB = "worker.jobs.inbound.process_inbound"

#: Form field -> (InboundSms column, longest accepted value, required)
FIELDS: dict[str, tuple[str, int, bool]] = {
    "id": ("at_id", 100, True),
    "from": ("sender", 40, True),
    "text": ("text", 5000, True),
    "to": ("to", 40, False),
    "date": ("sent_at", 40, False),
    "networkCode": ("network_code", 10, False),
    "linkId": ("link_id", 100, False),
}

bp = Blueprint("sms", __name__, url_prefix="/sms")


def _plain(body: str, status: int = 200) -> Response:
    return Response(body, status=status, mimetype="text/plain")


def read_form() -> tuple[dict[str, str], str | None]:
    """The message's columns from Africa's Talking's form, or a short reason it is bad."""
    values: dict[str, str] = {}
    missing = [
        name for name, (_col, _longest, required) in FIELDS.items()
        if required and (request.form.get(name) is None
                         or (name != "text" and not request.form[name].strip()))
    ]
    if missing:
        needed = ", ".join(n for n, (_c, _l, required) in FIELDS.items() if required)
        return {}, f"missing form field(s): {', '.join(missing)} (required: {needed})"
    for name, (column, longest, _required) in FIELDS.items():
        raw = request.form.get(name)
        value = raw.replace("\x00", "") if raw is not None else None
        if value is not None and len(value) > longest:
            return {}, f"{name} too long"
        if value is not None:
            values[column] = value if name == "text" else value.strip()
    return values, None


@bp.post("/inbound")
def inbound() -> Response:
    ctx: Context = current_app.extensions["ikimina"]
    values, problem = read_form()
    if problem is not None:
        return _plain(problem, 400)
    try:
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
    except OperationalError:
        current_app.logger.exception("inbound SMS not stored")
        return _plain("try again", 503)  # Africa's Talking retries
    return _plain("OK")
