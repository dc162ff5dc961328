"""`ikimina screens`: the atlas (menus.atlas) on a throwaway SQLite database of demo data, with
every demo person speaking the language asked for."""

from __future__ import annotations

import itertools
import tempfile
from pathlib import Path

from sqlalchemy import select

from ikimina import db as schema
from locales import LANGUAGES
from menus.atlas import render as render_entries
from menus.atlas import sms_texts, walk
from menus.journeys import build_engine
from menus.store import MemoryStore
from models import Language, Person
from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings

#: Demo phones (spreadsheets.demo_data) and who they are.
CALLERS = (
    ("+250788100001", "member"),
    ("+250788100002", "leader"),
    ("+250788100010", "trainer"),
    ("+250788999990", "new caller"),
)


def render(settings: Settings, lang: str) -> str:
    assert lang in LANGUAGES
    with tempfile.TemporaryDirectory() as folder:
        url = f"sqlite:///{Path(folder) / 'atlas.db'}"
        local = settings.with_(database_url=url, redis_url="", sms_gateway="local")
        context = Context.build(local, runner=InProcessRunner(eager=True))
        try:
            schema.upgrade(url)
            from spreadsheets.demo_data import seed_demo

            seed_demo(context)
            with context.db.session() as s:
                for person in s.scalars(select(Person)):
                    person.language = Language(lang)
            engine = build_engine(context, MemoryStore())
            screens = [list(walk(engine, phone, who, lang)) for phone, who in CALLERS]
            return render_entries(itertools.chain(*screens, sms_texts(lang)))
        finally:
            context.db.dispose()
