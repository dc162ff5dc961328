"""Every string a person can see is translated in rw, en and fr, and the shipped .mo files
are compiled from the current .po files (so a plain install has the right words)."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from babel.messages.frontend import CommandLineInterface
from babel.messages.mofile import read_mo, write_mo
from babel.messages.pofile import read_po

from locales import DOMAINS, LANGUAGES

ROOT = Path(__file__).resolve().parents[1]
LOCALES = ROOT / "locales"
CATALOGUES = [(lang, domain) for lang in LANGUAGES for domain in DOMAINS]


def _po(lang: str, domain: str):  # type: ignore[no-untyped-def]
    with open(LOCALES / lang / "LC_MESSAGES" / f"{domain}.po", "rb") as fh:
        return read_po(fh, locale=lang)


@pytest.mark.parametrize("domain", DOMAINS)
def test_the_catalogues_hold_every_marked_string(domain: str, tmp_path: Path) -> None:
    pot = tmp_path / f"{domain}.pot"
    CommandLineInterface().run(
        ["pybabel", "-q", "extract", "-F", str(ROOT / "babel.cfg"), "-k", "N_"]
        + ["-k", "translate:2", "--no-location", "-o", str(pot), str(ROOT / domain)]
    )
    with open(pot, "rb") as fh:
        extracted = {m.id for m in read_po(fh) if m.id}
    for lang in LANGUAGES:
        missing = sorted(extracted - {m.id for m in _po(lang, domain) if m.id})
        assert not missing, f"{lang}/{domain}: run scripts/i18n; missing: {missing[:5]}"


@pytest.mark.parametrize(("lang", "domain"), CATALOGUES)
def test_every_message_is_translated(lang: str, domain: str) -> None:
    untranslated = [m.id for m in _po(lang, domain) if m.id and (not m.string or m.fuzzy)]
    assert untranslated == []


@pytest.mark.parametrize(("lang", "domain"), CATALOGUES)
def test_the_compiled_catalogue_matches_the_po_file(lang: str, domain: str) -> None:
    fresh = io.BytesIO()
    write_mo(fresh, _po(lang, domain))
    fresh.seek(0)
    with open(LOCALES / lang / "LC_MESSAGES" / f"{domain}.mo", "rb") as fh:
        shipped = read_mo(fh)
    assert {m.id: m.string for m in shipped if m.id} == {
        m.id: m.string for m in read_mo(fresh) if m.id
    }, "run scripts/i18n (pybabel compile) and commit the .mo files"
