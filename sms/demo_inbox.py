"""The demo's phones: what the local gateway 'sent' to a number, newest first.

Served at GET /demo/sms/<phone> (or /demo/sms?phone=) only when SMS go through the local
gateway; `ikimina inbox PHONE` prints the same.
"""

from __future__ import annotations

from collections.abc import Sequence

from flask import Blueprint, Response, current_app, request
from sqlalchemy import select
from sqlalchemy.orm import Session

from locales.formatting import to_local
from models import OutboundSms, SmsStatus, try_normalize_phone

blueprint = Blueprint("demo_inbox", __name__)
#: Message ids the local gateway gives; they tell its messages from real ones.
LOCAL_PREFIX = "local-"


def inbox(session: Session, phone: str, limit: int = 50) -> Sequence[OutboundSms]:
    """The SMS the local gateway delivered to `phone`, newest first."""
    number = try_normalize_phone(phone) or phone
    return session.scalars(
        select(OutboundSms)
        .where(
            OutboundSms.phone == number,
            OutboundSms.at_message_id.startswith(LOCAL_PREFIX),
            OutboundSms.status.in_([SmsStatus.SENT, SmsStatus.DELIVERED]),
        )
        .order_by(OutboundSms.id.desc())
        .limit(limit)
    ).all()


def render(phone: str, messages: Sequence[OutboundSms], tz: str = "Africa/Kigali") -> str:
    """A phone's inbox as plain text, times in the programme's time zone (Kigali)."""
    if not messages:
        return f"No SMS for {phone} yet.\n"
    lines = [f"SMS to {phone} (newest first, {tz} time):", ""]
    for sms in messages:
        when = to_local(sms.sent_at or sms.created_at, tz).strftime("%Y-%m-%d %H:%M")
        lines += [f"[{when}] ({sms.segments} SMS, {sms.kind})", sms.text, ""]
    return "\n".join(lines)


@blueprint.get("/demo/sms")
@blueprint.get("/demo/sms/<phone>")
def show(phone: str | None = None) -> Response:
    phone = phone or request.args.get("phone", "")
    if not phone:
        return Response("Give a phone: /demo/sms/+250788100001\n", 400, mimetype="text/plain")
    ctx = current_app.extensions["ikimina"]
    with ctx.db.session() as session:
        body = render(phone, inbox(session, phone), ctx.settings.tz)
    return Response(body, mimetype="text/plain")
