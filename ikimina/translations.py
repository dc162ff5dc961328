"""A reviewer's sheet of every string: export the catalogues to .xlsx, bring corrections back.

Reviewers in the field work in spreadsheets, not in .po files. The sheet has one row per string
(domain, key = the English msgid, en, fr, rw, where it appears, its character budget and an
example rendered with long names). A correction comes back only if it keeps the placeholders,
stays GSM-7 and fits its budget with the long example; the others are refused with a reason.
"""

from __future__ import annotations

import io
from dataclasses import dataclass, field
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po, write_po
from openpyxl import Workbook, load_workbook

from locales import DOMAINS, LANGUAGES, LOCALES_DIR
from locales.examples import example, placeholders
from services.gsm7 import encode, is_gsm7

HEADER = ("domain", "key", "en", "fr", "rw", "where", "budget", "example (rw, long names)")
#: Where each domain's strings appear, and the characters they may use once filled in.
WHERE = {
    "menus": ("USSD screen", 156),  # 160 minus "CON "
    "models": ("USSD screen and SMS", 156),
    "services": ("SMS (reminders, alerts)", 160),
    "sms": ("SMS reply", 160),
    "ussd": ("USSD answer", 156),
    "worker": ("SMS", 160),
    "console": ("staff console (web)", 0),  # 0: no budget
}
def _po_path(lang: str, domain: str, root: Path = LOCALES_DIR) -> Path:
    return root / lang / "LC_MESSAGES" / f"{domain}.po"


def _catalogue(lang: str, domain: str, root: Path = LOCALES_DIR):  # type: ignore[no-untyped-def]
    with open(_po_path(lang, domain, root), "rb") as fh:
        return read_po(fh, locale=lang, domain=domain)


def export(path: Path, root: Path = LOCALES_DIR) -> int:
    """Write the review sheet to `path`; the number of strings."""
    book = Workbook()
    sheet = book.active
    sheet.title = "strings"
    sheet.append(HEADER)
    count = 0
    for domain in DOMAINS:
        cats = {lang: _catalogue(lang, domain, root) for lang in LANGUAGES}
        where, budget = WHERE.get(domain, ("", 0))
        for message in cats["rw"]:
            if not message.id:
                continue
            texts = {lang: (cats[lang].get(message.id) or message).string for lang in LANGUAGES}
            key = str(message.id)
            sheet.append(
                (domain, key, texts["en"], texts["fr"], texts["rw"], where, budget or "",
                 example(str(texts["rw"])))
            )
            count += 1
    book.save(path)
    return count


@dataclass
class Outcome:
    applied: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)


def problem(key: str, text: str, budget: int) -> str | None:
    """Why `text` cannot replace the translation of `key`, or None."""
    if placeholders(text) != placeholders(key):
        return f"placeholders must stay {sorted(placeholders(key))}"
    if budget:
        if not is_gsm7(text):
            return "a character outside GSM-7 (use ' for the apostrophe)"
        shown = example(text)
        if len(shown) > budget or encode(shown).segments > 1:
            return f"{len(shown)} characters with long names; at most {budget}"
    return None


def import_sheet(path: Path, root: Path = LOCALES_DIR) -> Outcome:
    """Bring the sheet's corrections into the .po files (and compile them)."""
    book = load_workbook(path, read_only=True)
    rows = list(book.active.iter_rows(values_only=True))
    header = [str(c or "") for c in rows[0]]
    index = {name: header.index(name) for name in ("domain", "key", *LANGUAGES)}
    outcome = Outcome()
    changed: dict[tuple[str, str], object] = {}
    for number, row in enumerate(rows[1:], 2):
        domain, key = row[index["domain"]], row[index["key"]]
        if domain not in DOMAINS or not key:
            continue
        budget = WHERE.get(str(domain), ("", 0))[1]
        for lang in LANGUAGES:
            new = row[index[lang]]
            if new is None:
                continue
            new = str(new)
            cat = changed.get((lang, str(domain))) or _catalogue(lang, str(domain), root)
            message = cat.get(key)  # type: ignore[attr-defined]
            if message is None or message.string == new:
                continue
            why = problem(str(key), new, budget)
            where = f"row {number}, {lang}, {domain}: {str(key)[:40]!r}"
            if why is not None:
                outcome.refused.append(f"{where}: {why}")
                continue
            message.string = new
            changed[(lang, str(domain))] = cat
            outcome.applied.append(where)
    for (lang, domain), cat in changed.items():
        po = _po_path(lang, domain, root)
        with open(po, "wb") as fh:
            write_po(fh, cat, width=76)  # type: ignore[arg-type]
        compiled = io.BytesIO()
        write_mo(compiled, cat)  # type: ignore[arg-type]
        po.with_suffix(".mo").write_bytes(compiled.getvalue())
    return outcome
