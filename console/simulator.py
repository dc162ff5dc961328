"""The phone simulator: dial the USSD code as any number, read each screen and answer it, send
SMS as that number and read what ikimina sent it.

Every hop and every SMS goes through the real endpoints (`POST /ussd`, `POST /sms/inbound`),
called inside this process as Africa's Talking calls them (form fields, `?token=` the callback
token), so the simulator never bypasses their code. Without JavaScript each hop is a form that
carries the session id and the cumulative text; a few lines of JavaScript add a keypad and
keep the SMS thread fresh.

In demo mode (local SMS gateway, no CALLBACK_TOKEN: `ikimina demo`) it is open to anyone at
`/simulator`; otherwise `/simulator` sends staff to `/console/simulator`, behind the login.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from flask import Blueprint, Flask, current_app, g, redirect, render_template, request, url_for
from flask import session as browser
from flask_wtf.csrf import CSRFError
from sqlalchemy import select
from werkzeug.test import EnvironBuilder, run_wsgi_app
from werkzeug.wrappers import Response

from console import bp, csrf
from console.auth import csrf_failed, page_language
from console.web import _, context, db
from models import InboundSms, OutboundSms, try_normalize_phone, utcnow
from runtime.settings import Settings

public = Blueprint("simulator", __name__, url_prefix="/simulator")
#: The network code the simulator's hops carry (MTN Rwanda).
NETWORK_CODE = "63510"
#: Messages shown in a phone's SMS thread (the newest).
THREAD_SIZE = 30


def demo_mode(settings: Settings) -> bool:
    """The demo's settings: SMS kept by the local gateway and callbacks without a token."""
    return settings.gateway == "local" and not settings.callback_token


def call(path: str, form: dict[str, str]) -> tuple[int, str]:
    """POST `form` to this app's `path` as Africa's Talking does (with the callback token),
    inside this process; the status and the text answered."""
    token = context().settings.callback_token
    builder = EnvironBuilder(
        path=path, method="POST", data=form, base_url=request.host_url,
        query_string={"token": token} if token else None,
    )
    try:
        environ = builder.get_environ()
    finally:
        builder.close()
    app: Flask = current_app._get_current_object()  # type: ignore[attr-defined]
    body, status, _headers = run_wsgi_app(app.wsgi_app, environ, buffered=True)
    return int(status.split()[0]), b"".join(body).decode()


#: Where the dialled session lives in the browser's signed session: never taken from a form.
SIM_KEY = "simulator"


def _id(prefix: str) -> str:
    """A session or message id that says it came from the simulator (and which staff)."""
    who = f"s{g.staff.id}-" if g.get("staff") is not None else ""
    return f"sim-{prefix}-{who}{secrets.token_hex(6)}"


@dataclass(frozen=True)
class Screen:
    """What the phone shows after a hop, and what the next hop must carry."""

    body: str
    ended: bool
    session_id: str
    text: str


def hop(phone: str, session_id: str, text: str) -> Screen:
    status, answer = call("/ussd", {
        "sessionId": session_id, "serviceCode": context().settings.ussd_service_code,
        "phoneNumber": phone, "networkCode": NETWORK_CODE, "text": text,
    })
    if status != 200:
        return Screen(_("The USSD service answered %(status)s.", status=status), True,
                      session_id, text)
    kind, _sep, body = answer.partition(" ")
    return Screen(body, kind != "CON", session_id, text)


def thread(phone: str) -> list[tuple[str, object]]:
    """The phone's SMS both ways, oldest first: ("in", InboundSms) it sent, ("out", OutboundSms)
    ikimina sent it."""
    sent = db().scalars(
        select(InboundSms).where(InboundSms.sender == phone)
        .order_by(InboundSms.id.desc()).limit(THREAD_SIZE)
    ).all()
    got = db().scalars(
        select(OutboundSms).where(OutboundSms.phone == phone)
        .order_by(OutboundSms.id.desc()).limit(THREAD_SIZE)
    ).all()
    both = [(m.received_at, "in", m) for m in sent] + [(m.created_at, "out", m) for m in got]
    both.sort(key=lambda item: (item[0], item[1] == "out"))
    return [(way, message) for _at, way, message in both[-THREAD_SIZE:]]


def _phone() -> str:
    raw = request.values.get("phone", "").strip()
    return try_normalize_phone(raw) or ""


def _page(phone: str, screen: Screen | None = None, error: str | None = None,
          status: int = 200) -> tuple[str, int]:
    from spreadsheets.demo_data import DEMO_PEOPLE

    settings = context().settings
    return render_template(
        "console/simulator.html",
        ep=request.blueprint,
        phone=phone,
        asked=request.values.get("phone", ""),
        screen=screen,
        error=error,
        messages=thread(phone) if phone else [],
        demo=demo_mode(settings),
        demo_phones=[(row[0], row[1], row[2], row[3]) for row in DEMO_PEOPLE],
        service_code=settings.ussd_service_code,
        section="simulator",
    ), status


def simulator() -> str:
    phone = _phone()
    error = _("Type a phone number, e.g. 0788100001.") if request.args.get("phone") and not phone \
        else None
    return _page(phone, error=error)[0]


def simulator_hop() -> tuple[str, int]:
    """Dial (`action=dial`), answer the screen (`reply`), or hang up (`action=hangup`)."""
    phone = _phone()
    if not phone:
        return _page("", error=_("Type a phone number, e.g. 0788100001."), status=400)
    action = request.form.get("action", "reply")
    if action == "hangup":
        browser.pop(SIM_KEY, None)
        return _page(phone)
    if action == "dial":  # the session id and the phone are kept server-side (signed session)
        browser[SIM_KEY] = {"id": _id("ussd"), "phone": phone}
        return _page(phone, hop(phone, browser[SIM_KEY]["id"], ""))
    dialled = browser.get(SIM_KEY) or {}
    session_id, phone = dialled.get("id", ""), dialled.get("phone", phone)
    if not session_id.startswith("sim-"):
        return _page(phone, error=_("Dial first."), status=400)
    before = request.form.get("text", "")
    reply = request.form.get("reply", "").strip()
    return _page(phone, hop(phone, session_id, f"{before}*{reply}" if before else reply))


def simulator_sms() -> tuple[str, int] | Response:
    """Send an SMS as the phone to the short code, through `/sms/inbound`."""
    phone = _phone()
    text = request.form.get("text", "").strip()
    if not phone or not text:
        return _page(phone, error=_("Type the phone number and the message."), status=400)
    status, answer = call("/sms/inbound", {
        "id": _id("sms"), "from": phone, "text": text,
        "to": context().settings.at_sender_id or "ikimina",
        "date": utcnow().strftime("%Y-%m-%d %H:%M:%S"), "networkCode": NETWORK_CODE,
    })
    if status != 200:
        return _page(phone, error=_("The SMS service answered %(status)s: %(answer)s.",
                                    status=status, answer=answer), status=502)
    return redirect(url_for(f"{request.blueprint}.simulator", phone=phone, _anchor="sms"))


def simulator_thread() -> str:
    """The SMS thread alone, for the page to refresh it."""
    return render_template("console/_thread.html", messages=thread(_phone()))


for blueprint, prefix in ((bp, "/simulator"), (public, "")):
    blueprint.add_url_rule(f"{prefix}", "simulator", simulator, methods=["GET"])
    blueprint.add_url_rule(f"{prefix}/ussd", "simulator_hop", simulator_hop, methods=["POST"])
    blueprint.add_url_rule(f"{prefix}/sms", "simulator_sms", simulator_sms, methods=["POST"])
    blueprint.add_url_rule(f"{prefix}/thread", "simulator_thread", simulator_thread,
                           methods=["GET"])


@public.before_request
def open_in_demo_only() -> Response | None:
    """Open to anyone in demo mode; otherwise staff use the console's (behind the login)."""
    if not demo_mode(context().settings):
        return redirect(url_for("console.simulator", **request.args))
    if request.method == "POST":
        csrf.protect()
    return None


public.register_error_handler(CSRFError, csrf_failed)
public.context_processor(page_language)
