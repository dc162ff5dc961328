"""What the shipped catalogues hold: the compiled .mo files of every domain, per language."""

from __future__ import annotations

from collections.abc import Iterable
from functools import cache

from babel.messages.mofile import read_mo

from locales import LANGUAGES, LOCALES_DIR


@cache
def msgids(lang: str) -> frozenset[str]:
    """Every message translated for `lang`, whatever its domain."""
    ids: set[str] = set()
    for path in sorted((LOCALES_DIR / lang / "LC_MESSAGES").glob("*.mo")):
        with path.open("rb") as fh:
            ids |= {m.id for m in read_mo(fh) if m.id and m.string}
    return frozenset(ids)


def untranslated(messages: Iterable[str]) -> dict[str, list[str]]:
    """The messages each of rw, en and fr lacks (no entry: every language has them all)."""
    wanted = set(messages)
    return {lang: sorted(wanted - msgids(lang)) for lang in LANGUAGES if wanted - msgids(lang)}
