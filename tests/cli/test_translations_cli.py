"""`ikimina translations export|import`: a reviewer's spreadsheet round trip, and
`ikimina screens`: the atlas of every screen and SMS."""

from __future__ import annotations

import shutil
from pathlib import Path

from babel.messages.pofile import read_po
from click.testing import CliRunner
from openpyxl import load_workbook

from ikimina.cli import main
from locales import LOCALES_DIR

KEY = "Invalid choice."
LONG_KEY = "Next meeting of {group}: {when}, {place}."


def _rw(root: Path, msgid: str) -> str:
    with open(root / "rw" / "LC_MESSAGES" / "menus.po", "rb") as fh:
        return read_po(fh, locale="rw").get(msgid).string


def test_a_reviewers_corrections_come_back_and_broken_ones_are_refused(tmp_path) -> None:
    root = tmp_path / "locales"
    shutil.copytree(LOCALES_DIR, root, ignore=shutil.ignore_patterns("*.py", "__pycache__"))
    sheet = tmp_path / "review.xlsx"
    runner = CliRunner()
    exported = runner.invoke(main, ["translations", "export", str(sheet), "--locales", str(root)])
    assert exported.exit_code == 0, exported.output
    book = load_workbook(sheet)
    rows = book.active
    header = [c.value for c in rows[1]]
    assert header[:7] == ["domain", "key", "en", "fr", "rw", "where", "budget"]
    by_key = {(r[0].value, r[1].value): r for r in rows.iter_rows(min_row=2)}
    good, long_one = by_key[("menus", KEY)], by_key[("menus", LONG_KEY)]
    assert good[5].value == "USSD screen" and good[6].value == 156
    assert "Twiyubake Abakora Neza" in long_one[7].value  # the example, with long names
    good[4].value = "Ntibikunze. Hitamo kimwe muri ibi."
    long_one[4].value = "Inama itaha ya {group}: {when}, {place}. " + "Murakoze cyane. " * 6
    curly = by_key[("menus", "Help")]
    curly[4].value = "Ubufasha \u2019"
    book.save(sheet)
    imported = runner.invoke(main, ["translations", "import", str(sheet), "--locales", str(root)])
    assert imported.exit_code == 1  # some refused, the good one applied
    assert "1 corrections applied." in imported.output
    assert "characters with long names" in imported.output and "GSM-7" in imported.output
    assert _rw(root, KEY) == "Ntibikunze. Hitamo kimwe muri ibi."
    assert _rw(root, "Help") == "Ubufasha"
    assert (root / "rw" / "LC_MESSAGES" / "menus.mo").stat().st_size > 0
    assert _rw(LOCALES_DIR, KEY) == "Igisubizo kitari cyo."  # the installed ones untouched


def test_the_screen_atlas_shows_every_screen_with_its_keys(settings) -> None:
    result = CliRunner().invoke(
        main, ["screens", "--lang", "rw"], env={"DATABASE_URL": settings.database_url}
    )
    assert result.exit_code == 0, result.output
    out = result.output
    assert "== member: *384*1234# 2 " in out and "Inama itaha ya Twiyubake" in out
    assert "== trainer: *384*1234#" in out and "== new caller: *384*1234#" in out
    assert "== SMS (services)" in out and "Nyiramahoro Uwimana Claudine" in out
    assert "Uku." not in out and "RWF" not in out
