"""What every console page shares: the request's database session and language, translated
templates, labels, and pagination that never counts the whole table."""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from functools import wraps
from typing import Any, Generic, TypeVar

from flask import Flask, abort, current_app, g, request, url_for
from sqlalchemy import Select, select
from sqlalchemy.orm import InstrumentedAttribute, Session

from locales import language_or_default, translator
from locales.formatting import format_date, format_time, to_local
from models import Person, StaffAccount, Stage
from models.registration import stage_label
from runtime.context import Context

T = TypeVar("T")
PAGE_SIZE = 50
F = TypeVar("F", bound=Callable[..., Any])


def context() -> Context:
    ctx: Context = current_app.extensions["ikimina"]
    return ctx


def db() -> Session:
    """The request's database session (opened on first use, closed when the request ends)."""
    if "db" not in g:
        g.db = context().db.open()
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    session = g.pop("db", None)
    if session is not None:
        session.close()


def get_or_404(model: type[T], id_: int, *options: Any) -> T:
    """The `model` row with primary key `id_` (loaded with `options`), or a 404 page."""
    found = db().get(model, id_, options=list(options))
    if found is None:
        abort(404)
    return found


def people_by(column: InstrumentedAttribute[Any], values: set[Any]) -> dict[Any, Person]:
    """The people whose `column` is one of `values`, keyed by it (one query, none if empty)."""
    values = {v for v in values if v is not None}
    if not values:
        return {}
    found = db().scalars(select(Person).where(column.in_(values)))
    return {getattr(p, column.key): p for p in found}


def staff() -> StaffAccount:
    """The signed-in staff account (every console page but the login has one)."""
    account: StaffAccount = g.staff
    return account


def lang() -> str:
    """The language of the page: the staff account's, or the browser's before login."""
    if "lang" not in g:
        account = g.get("staff")
        if account is not None:
            g.lang = account.language.value
        else:
            default = context().settings.default_language
            g.lang = request.accept_languages.best_match(("rw", "en", "fr"), default)
    return language_or_default(g.lang)


def _(message: str, **values: Any) -> str:
    """`message` in the page's language, `%(name)s` placeholders filled from `values`."""
    text = translator(lang()).gettext(message)
    return text % values if values else text


def admin_required(view: F) -> F:
    """Refuse the view (403) to staff who are not admins."""

    @wraps(view)
    def wrapper(*args: Any, **kwargs: Any) -> Any:
        if not staff().is_admin:
            abort(403)
        return view(*args, **kwargs)

    return wrapper  # type: ignore[return-value]


def local_next(default: str) -> str:
    """The `next` form field when it is a console path (never another site), else `default`."""
    target = request.values.get("next", "")
    if target.startswith("/console") and not target.startswith("//"):
        return target
    return default


@dataclass
class Page(Generic[T]):
    """One page of a list; `has_next` comes from fetching one row more than shown."""

    items: list[T]
    number: int
    has_next: bool
    param: str

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    def url(self, number: int) -> str:
        args = {**(request.view_args or {}), **request.args.to_dict(), self.param: number}
        return url_for(str(request.endpoint), **args)


#: The furthest page a URL may ask for (a bigger number would overflow the OFFSET).
MAX_PAGE = 100_000


def paginate(stmt: Select[tuple[T]], param: str = "page", size: int = PAGE_SIZE) -> Page[T]:
    """The page of `stmt`'s rows named by the query parameter `param` (1 when absent)."""
    number = min(max(request.args.get(param, 1, type=int) or 1, 1), MAX_PAGE)
    rows = list(db().scalars(stmt.limit(size + 1).offset((number - 1) * size)))
    return Page(items=rows[:size], number=number, has_next=len(rows) > size, param=param)


def _when(moment: datetime | None) -> str:
    """A moment in the programme's time zone: `Nov 28, 2026 14:05`."""
    if moment is None:
        return "-"
    tz = context().settings.tz
    return f"{format_date(to_local(moment, tz).date(), lang())} {format_time(moment, lang(), tz)}"


def _day(day: date | None) -> str:
    return "-" if day is None else format_date(day, lang())


def label(value: Any) -> str:
    """A status, role, stage or language in the page's language."""
    from console.labels import LABELS

    if isinstance(value, Stage):
        return stage_label(value, lang())
    key = getattr(value, "value", value)
    return _(LABELS[key]) if key in LABELS else str(key)


def hide_code(text: str) -> str:
    """An SMS that carries a one-time code, with the code hidden (staff never read it)."""
    return re.sub(r"\b\d{6}\b", "******", text)


def _percent(part: int, whole: int) -> str:
    return "-" if not whole else f"{100 * part / whole:.0f}%"


def install_templates(app: Flask) -> None:
    """Jinja's i18n extension on the console's gettext, and the console's filters."""
    app.jinja_env.add_extension("jinja2.ext.i18n")
    app.jinja_env.install_gettext_callables(  # type: ignore[attr-defined]
        lambda message: translator(lang()).gettext(message),
        lambda singular, plural, n: translator(lang()).ngettext(singular, plural, n),
        newstyle=True,
    )
    app.jinja_env.filters.update(
        when=_when, day=_day, label=label, percent=_percent, hide_code=hide_code
    )
    app.teardown_appcontext(close_db)
