"""The keyword engine's edge cases: keyword matching, glued keywords, field shapes, days."""

from __future__ import annotations

from datetime import date

import pytest

from runtime.settings import Settings
from sms.commands import INTERPRETER
from sms.interpreter import (
    TEXT,
    BadValue,
    Command,
    Field,
    Interpreter,
    Request,
    parse_day,
    words_of,
)

TODAY = date(2026, 11, 28)


@pytest.mark.parametrize(
    ("text", "name", "rest"),
    [
        ("SIBA T0042", "absence", " T0042"),
        ("  siba t0042,t0107", "absence", " t0042,t0107"),
        ("ABST0042", "absence", "T0042"),
        ("ABSENTT0042 25/11", "absence", "T0042 25/11"),
        ("Absent: T0042", "absence", ": T0042"),
        ("YAJET0042", "presence", "T0042"),
        ("langfr", "language", "fr"),
        ("LANGUEEN", "language", "EN"),
        ("Arrêt", "stop", ""),
        ("STOP please", "stop", " please"),
    ],
)
def test_keywords_are_found_whatever_the_case_spacing_or_glue(text, name, rest) -> None:
    found = INTERPRETER.match(text)
    assert found is not None and (found[0].name, found[2]) == (name, rest)


@pytest.mark.parametrize("text", ["STOPPED", "HELPME", "ABSTRACT", "T0042", "", "*384#", "SIBAX"])
def test_words_that_only_start_like_a_keyword_are_not_commands(text) -> None:
    assert INTERPRETER.command_name(text) == "unknown"


def test_words_are_split_on_spaces_commas_semicolons_and_colons() -> None:
    assert words_of(" t0042,t0107 ;T0003: 25/11. ") == ["T0042", "T0107", "T0003", "25/11"]


@pytest.mark.parametrize(
    ("word", "day"),
    [
        ("25/11", date(2026, 11, 25)),
        ("25/11/2026", date(2026, 11, 25)),
        ("25-11-26", date(2026, 11, 25)),
        ("2026-11-25", date(2026, 11, 25)),
        ("30/11", date(2026, 11, 30)),  # still this year: refused later as a future day
        ("1/2", date(2026, 2, 1)),
    ],
)
def test_days(word, day) -> None:
    assert parse_day(word, TODAY) == day


def test_a_day_without_a_year_well_ahead_means_last_year() -> None:
    assert parse_day("30/12", date(2027, 1, 3)) == date(2026, 12, 30)


@pytest.mark.parametrize("word", ["31/02", "25/13", "2026-11", "00/11/2026"])
def test_impossible_days(word) -> None:
    with pytest.raises(BadValue):
        parse_day(word, TODAY)


def test_a_raw_field_gets_the_rest_of_the_message_as_typed() -> None:
    """Free text (e.g. a broadcast's audience and message) keeps its case, quotes and commas."""
    echo = Command(
        "echo",
        keywords={"en": ("ECHO",)},
        fields=(Field("message", TEXT),),
        handler=lambda request: request.values["message"],
    )
    engine = Interpreter((echo,))
    command, _, rest = engine.match('echo district:Rubavu,Nyabihu "Inama" ejo')
    request = Request(None, None, None, "", "en", TODAY, Settings(), engine)  # type: ignore[arg-type]
    assert command is echo and engine._parse(command, rest, request) is None
    assert request.values == {"message": 'district:Rubavu,Nyabihu "Inama" ejo'}
