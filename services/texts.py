"""Staff write the per-language texts of data (models.texts) one field at a time: a training's
topic and venue, a trainee's trade, a cooperative's rejection reason, in rw, en and fr.

Each text must reach a phone as typed: GSM-7 only (smart punctuation is straightened first) and
short enough for the screen it sits in. A blank text removes that language, which then falls
back visibly to the typed one.
"""

from __future__ import annotations

from typing import Any

from locales import LANGUAGES, N_, translate
from models import Cooperative, Trainee, Training
from models.texts import TYPED_IN
from services.gsm7 import non_gsm7_chars, normalise

#: The fields staff may write per language, by the model they belong to.
FIELDS: dict[type, tuple[str, ...]] = {
    Training: ("topic", "venue"),
    Trainee: ("trade",),
    Cooperative: ("rejection_reason",),
}
#: The longest text of each field: a trainings line is a date, a topic and a venue in 160
#: characters with the title; a trade fits a list; a reason fits the cooperative's screen.
LONGEST = {"topic": 60, "venue": 40, "trade": 40, "rejection_reason": 120}

LANGUAGE_NAMES = {"rw": N_("Kinyarwanda"), "en": N_("English"), "fr": N_("French")}
TOO_LONG = N_("{language}: {length} characters, at most {longest}.")
NOT_GSM7 = N_("{language}: a phone cannot show {chars}.")


class TextError(ValueError):
    """A text refused; the message, in the language of whoever typed it, says what to fix."""


def stored(row: Any, field: str) -> dict[str, str]:
    """The texts of `row.field` written per language (the typed one as English when none is)."""
    found = dict((row.texts or {}).get(field) or {})
    typed = getattr(row, field) or ""
    if typed and TYPED_IN not in found:
        found[TYPED_IN] = typed
    return {lang: found[lang] for lang in LANGUAGES if found.get(lang)}


def missing(row: Any, field: str) -> list[str]:
    """The languages `row.field` has no text in (they see the typed text, marked)."""
    have = stored(row, field)
    return [lang for lang in LANGUAGES if lang not in have]


def set_texts(row: Any, field: str, texts: dict[str, str], *, lang: str) -> list[str]:
    """Write `row.field` in the languages of `texts` (blank removes one); the languages changed.
    Raises TextError (its message in `lang`, the writer's), changing nothing, when a text does
    not fit a phone."""
    if field not in FIELDS.get(type(row), ()):
        raise ValueError(f"{type(row).__name__}.{field} has no texts per language")
    clean = {
        code: " ".join(normalise(texts[code]).split()) for code in LANGUAGES if code in texts
    }
    for code, text in clean.items():
        name = translate(lang, LANGUAGE_NAMES[code])
        if bad := non_gsm7_chars(text):
            raise TextError(translate(lang, NOT_GSM7, language=name, chars=" ".join(bad)))
        if len(text) > LONGEST[field]:
            raise TextError(
                translate(lang, TOO_LONG, language=name, length=len(text), longest=LONGEST[field])
            )
    before = dict((row.texts or {}).get(field) or {})
    after = dict(before)
    for code, text in clean.items():
        if text and not (code == TYPED_IN and text == getattr(row, field)):
            after[code] = text
        else:
            after.pop(code, None)
    changed = [code for code in LANGUAGES if before.get(code) != after.get(code)]
    if changed:
        others = {key: value for key, value in (row.texts or {}).items() if key != field}
        row.texts = {**others, field: after} if after else others  # a new dict: saved
    return changed
