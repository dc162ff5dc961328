"""Texts typed as data (training topics and venues, trades, rejection reasons) in each language.

A row keeps the text as first typed in its own column (`topic`), taken to be English, and the
others in `texts`: `{"topic": {"rw": "...", "fr": "..."}}`. A person sees their language; when
it is missing they see the typed text marked with its language, so that nobody takes English
for a translation and a reviewer sees what is missing.
"""

from __future__ import annotations

from typing import Any

from locales import LANGUAGES, N_, language_or_default, translate

#: The language data is typed in when no column says otherwise.
TYPED_IN = "en"
FALLBACK = N_("{text} (in English)")


def text_in(row: Any, field: str, lang: str | None, *, mark: bool = True) -> str:
    """`row.field` in `lang`, or the typed text visibly marked as English (`mark=False` for
    names of places, which stay as they are)."""
    code = language_or_default(lang)
    typed = getattr(row, field) or ""
    found = ((row.texts or {}).get(field) or {}).get(code)
    if found:
        return str(found)
    if code == TYPED_IN or not typed or not mark:
        return typed
    return translate(code, FALLBACK, text=typed)


def texts_from(values: dict[str, Any], fields: tuple[str, ...]) -> dict[str, dict[str, str]]:
    """The per-language texts of an import row's `field_rw`, `field_en`, `field_fr` cells."""
    out: dict[str, dict[str, str]] = {}
    for field in fields:
        found = {lang: values.get(f"{field}_{lang}") for lang in LANGUAGES}
        found = {lang: text for lang, text in found.items() if text}
        if found:
            out[field] = found
    return out
