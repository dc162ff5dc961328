"""The screen atlas for staff and reviewers: every screen the demo phones reach, with its keys,
and every SMS text with long names (menus.atlas; `ikimina screens` prints the same)."""

from __future__ import annotations

from flask import render_template, request

from console import bp
from console.web import context
from locales import LANGUAGES
from menus.atlas import sms_texts, walk
from menus.journeys import build_engine
from menus.store import MemoryStore

#: (phone, who) of the demo data walked; an unknown number shows the new caller's screens.
PHONES = (
    ("+250788100001", "member (rw)"),
    ("+250788100003", "member (en)"),
    ("+250788100004", "member (fr)"),
    ("+250788100002", "leader"),
    ("+250788100010", "trainer"),
    ("+250788999990", "new caller"),
)


@bp.get("/screens")
def screen_atlas() -> str:
    lang = request.args.get("lang", "rw")
    lang = lang if lang in LANGUAGES else "rw"
    engine = build_engine(context(), MemoryStore())
    screens = [entry for phone, who in PHONES for entry in walk(engine, phone, who, lang)]
    return render_template(
        "console/screens.html",
        screens=screens,
        sms=list(sms_texts(lang)),
        lang=lang,
        languages=LANGUAGES,
        section="screens",
    )
