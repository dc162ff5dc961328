"""Translations: the gettext catalogues for rw (default), en and fr, and the one helper that
picks a person's.

Each layer (top-level folder) has its own catalogue domain, named after the folder:
`locales/<lang>/LC_MESSAGES/<folder>.po` (edited by translators) and `.mo` (compiled, shipped in
the package). Strings are marked with `N_()` where declared as data and looked up with
`translate(lang, message, **values)` or `translator(lang).gettext(message)` at run time.
"""

from __future__ import annotations

from functools import cache
from pathlib import Path

from babel import Locale
from babel.support import NullTranslations, Translations

LOCALES_DIR = Path(__file__).parent
LANGUAGES = ("rw", "en", "fr")
DEFAULT_LANGUAGE = "rw"
#: One catalogue domain per layer folder; `scripts/i18n` extracts each from its folder.
DOMAINS = ("console", "menus", "models", "services", "sms", "ussd", "worker")


def N_(message: str) -> str:
    """Mark a string for extraction without translating it (for strings declared as data)."""
    return message


def language_or_default(lang: str | None) -> str:
    """`lang` if ikimina speaks it, otherwise Kinyarwanda."""
    code = (lang or "").strip().lower()[:2]
    return code if code in LANGUAGES else DEFAULT_LANGUAGE


@cache
def translator(lang: str | None) -> NullTranslations:
    """The merged translations of every domain for `lang` (rw when unknown)."""
    code = language_or_default(lang)
    merged: NullTranslations | None = None
    for domain in DOMAINS:
        loaded = Translations.load(str(LOCALES_DIR), [code], domain=domain)
        if merged is None:
            merged = loaded
        elif isinstance(merged, Translations) and isinstance(loaded, Translations):
            merged.merge(loaded)
    return merged or NullTranslations()


def translate(lang: str | None, message: str, **values: object) -> str:
    """`message` in `lang`, with `{name}` placeholders filled from `values`."""
    text = translator(lang).gettext(message)
    return text.format(**values) if values else text


@cache
def babel_locale(lang: str | None) -> Locale:
    """Babel's locale data for `lang` (dates, weekdays, numbers)."""
    return Locale.parse(language_or_default(lang))
