"""The Kinyarwanda catalogues follow docs/kinyarwanda.md: no word known to mean something else,
one word for one thing, the house style for money and dates, no abbreviation to decode."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.pofile import read_po

from locales import DOMAINS

LOCALES = Path(__file__).resolve().parents[1] / "locales"
#: Domains whose strings reach a phone (USSD screens and SMS).
PHONE = ("menus", "models", "services", "sms")

#: (pattern, why) for every rw string.
EVERYWHERE = [
    (r"ejo hazaza", "means 'the future': tomorrow is 'ejo' (ejo ku wa kabiri)"),
    (r"\bbanditse\b", "means 'who wrote': registered is 'banditswe'"),
    (r"\bafunzwe\b", "'your money is locked': say 'ntushobora kureba amafaranga yawe kugeza ...'"),
    (r"ufungurwe", "'so that you are released'"),
    (r"urwibutso", "means 'memorial': a reminder is 'kwibutsa'"),
    (r"\bRWF\b", "money is written '6,500 Frw'"),
    (r"\b(Uku|Nya|Ugu|Mut|Gas|Wer|Mat|Gic|Kam|Nyak|Nze|Ukw)\.", "abbreviated months"),
    (r"\bno\.", "write 'nomero'"),
    (r"Ongera uhamagare", "'call again': the person must dial the code again ('ongera ukande')"),
    (r"^Kwandika ko", "a confirmation asks 'Wemeza ko ...?'"),
    (r"\bKuwa\b", "weekdays are 'ku wa mbere', lower case, in two words"),
    (r"[\u2018\u2019]", "ASCII apostrophe only"),
]
#: (pattern, why) for rw strings that reach a phone.
ON_PHONES = [
    (r"\bibimina\b", "the group is 'itsinda' (plural 'amatsinda') on screens"),
    (r"\bmu kimina\b", "the group is 'itsinda': 'injira mu kimina' is ambiguous"),
    (r"\bikimina\b(?! [a-z-]+ )", "the service is 'Ikimina'; the group is 'itsinda'"),
    (r"itsinda ryo kwizigama", "one word for one thing: 'itsinda'"),
    (r"(?<!\()\bRCA\b(?!\))", "'RCA' alone is an abbreviation to decode"),
]
#: Domains where 'dosiye' would be an absence case (that is 'ikibazo').
NO_DOSIYE = ("menus", "services", "sms")


def _rw(domain: str) -> list[tuple[str, str]]:
    with open(LOCALES / "rw" / "LC_MESSAGES" / f"{domain}.po", "rb") as fh:
        return [(m.id, m.string) for m in read_po(fh, locale="rw") if m.id and m.string]


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_rw_string_uses_a_forbidden_variant_or_a_wrong_word(domain: str) -> None:
    rules = EVERYWHERE + (ON_PHONES if domain in PHONE else [])
    if domain in NO_DOSIYE:
        rules = [*rules, (r"\bdosiye\b", "the absence case is 'ikibazo'; 'dosiye' is the RCA file")]
    found = [
        (msgid, text, why)
        for msgid, text in _rw(domain)
        for pattern, why in rules
        if re.search(pattern, text, re.MULTILINE)
    ]
    assert found == []


@pytest.mark.parametrize("domain", PHONE)
def test_one_form_of_rejected_per_string(domain: str) -> None:
    mixed = [
        text
        for _msgid, text in _rw(domain)
        if re.search(r"\byanzwe\b", text, re.I) and re.search(r"\bbyanzwe\b", text, re.I)
    ]
    assert mixed == []


#: The person addressed alone (singular imperative, subjunctive, "your").
SINGULAR = (
    r"\b(Hitamo|Injiza|Kanda|Ohereza|Subiza|Andika|Hamagara|Tegereza|Emeza|Reba|Ongera|Komeza|"
    r"Sohoka|Garuka|Menyesha|Sobanura|Shyiramo|uhitemo|ukande|winjize|wohereze|usubize|wandike|"
    r"uhamagare|utegereze|wemeze|urebe|wongere|ugerageze|usobanure|ushobora|wohereje|"
    r"[a-z]+awe)\b"
)
#: The same verbs addressed to several people (or politely), and "your" plural. "Murakoze",
#: "Mutwihanganire" and "Mutubabarire" are closing and apology formulas, allowed anywhere.
PLURAL = (
    r"\b(Muhitemo|Mwinjize|Mukande|Mwohereze|Musubize|Mwandike|Mutegereze|Mwemeze|Murebe|"
    r"Mwongere|Mugerageze|Musobanure|Mujyane|Mumusimbuze|Mumukure|Mukomeze|Mushobora|Mwohereje|"
    r"Mwebwe|[a-z]+anyu)\b"
)


@pytest.mark.parametrize("domain", DOMAINS)
def test_no_rw_string_mixes_singular_and_plural_address(domain: str) -> None:
    mixed = [
        (text, re.findall(SINGULAR, text, re.I), re.findall(PLURAL, text, re.I))
        for _msgid, text in _rw(domain)
        if re.search(SINGULAR, text) and re.search(PLURAL, text, re.I)
    ]
    assert mixed == []
