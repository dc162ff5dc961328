"""Fitting a screen into one USSD page: at most 160 characters, `CON `/`END ` included.

A screen is a text (title and body) followed by numbered choices. When it does not fit, it is
cut into pages at line or choice boundaries (at a word boundary only for a line longer than a
page; never inside a word), each page but the last ending with the "more" hint. A choice keeps
its number on every page: the list goes on from where the previous page stopped.
"""

from __future__ import annotations

from dataclasses import dataclass

BUDGET = 160
PREFIX_LEN = 4  # "CON " or "END "


@dataclass(frozen=True)
class Cursor:
    """Where a page starts: the index of its first word of text and of its first choice."""

    word: int = 0
    choice: int = 0


@dataclass(frozen=True)
class Page:
    text: str
    first_choice: int  # index in the screen's choices of the first choice shown (numbered +1)
    choices: int  # how many choices this page shows
    next: Cursor | None  # where the following page starts; None on the last page
    head: int = 0  # how many lines of `text` (after the notice) are the screen's own text


def room_for_error(page: Page, error: str, budget: int = BUDGET) -> bool:
    """Whether `error` fits above `page`'s choices once its own text is left out."""
    rest = page.text.split("\n")[page.head :]
    return len(_compose([error, *rest])) <= budget - PREFIX_LEN


def with_error(page: Page, error: str, budget: int = BUDGET) -> str:
    """`page` with one short `error` line on top and the same numbered choices: lines of the
    screen's own text are left out, last first, until it fits (the choices never move)."""
    room = budget - PREFIX_LEN
    lines = page.text.split("\n")
    head, rest = lines[: page.head], lines[page.head :]
    while head and len(_compose([error, *head, *rest])) > room:
        head.pop()
    text = _compose([error, *head, *rest])
    if len(text) > room:  # a page of choices only, full to the last character
        text = _compose([error[: max(room - len(_compose(rest)) - 1, 0)], *rest])
    return text[:room]


def words(text: str) -> list[str]:
    """The text's words; a word starting with a newline starts a new line."""
    out: list[str] = []
    for n, line in enumerate(text.split("\n")):
        parts = [w for w in line.split(" ") if w]
        if n and parts and out:
            parts[0] = "\n" + parts[0]
        out.extend(parts)
    return out


def _join(tokens: list[str]) -> str:
    text = ""
    for token in tokens:
        if not text:
            text = token.lstrip("\n")
        elif token.startswith("\n"):
            text += token
        else:
            text += " " + token
    return text


def _compose(lines: list[str]) -> str:
    return "\n".join(line for line in lines if line)


def layout(
    text: str,
    choices: list[str],
    cursor: Cursor,
    *,
    notice: str = "",
    more: str,
    footer: str,
    budget: int = BUDGET,
) -> Page:
    """The page starting at `cursor`: `notice`, then text and choices, then `footer`.

    `more` is the hint for the next page (e.g. `98. More`); it is shown, with `footer`, on every
    page but the last. Everything counts against `budget` minus the `CON ` prefix.
    """
    room = budget - PREFIX_LEN
    tokens = words(text)[cursor.word :]
    rest = choices[cursor.choice :]
    first = cursor.choice + 1
    last = _compose(
        [notice, _join(tokens), *(f"{n}. {c}" for n, c in enumerate(rest, first)), footer]
    )
    if len(last) <= room:
        return Page(last, cursor.choice, len(rest), None, _lines(_join(tokens)))
    tail = " ".join(part for part in (more, footer) if part)
    used_words: list[str] = []
    shown: list[str] = []

    def fits(extra_words: list[str], extra_choices: list[str]) -> bool:
        lines = [notice, _join(extra_words)]
        lines += [f"{n}. {c}" for n, c in enumerate(extra_choices, first)]
        return len(_compose([*lines, tail])) <= room

    for token in tokens:
        if not fits([*used_words, token], []):
            break
        used_words.append(token)
    used_words = _whole_lines(tokens, used_words, lambda line: fits(line, []))
    if len(used_words) == len(tokens):
        for choice in rest:
            if not fits(used_words, [*shown, choice]):
                break
            shown.append(choice)
    if not used_words and not shown:
        return _forced(notice, tokens, rest, cursor, more, footer, room)
    body = [notice, _join(used_words)] + [f"{n}. {c}" for n, c in enumerate(shown, first)]
    nxt = Cursor(cursor.word + len(used_words), cursor.choice + len(shown))
    return Page(_compose([*body, tail]), cursor.choice, len(shown), nxt, _lines(_join(used_words)))


def _lines(text: str) -> int:
    return len(text.split("\n")) if text else 0


def _whole_lines(tokens: list[str], used: list[str], fits_alone) -> list[str]:  # type: ignore[no-untyped-def]
    """Keep a line that does not end on this page for the next one, when it fits a page alone
    and some earlier line stays here."""
    if len(used) == len(tokens):
        return used
    start = max((n for n, t in enumerate(tokens[: len(used) + 1]) if t.startswith("\n")), default=0)
    if start == 0:
        return used
    end = next(
        (n for n in range(start + 1, len(tokens)) if tokens[n].startswith("\n")), len(tokens)
    )
    return used[:start] if fits_alone(tokens[start:end]) else used


def _forced(
    notice: str,
    tokens: list[str],
    rest: list[str],
    cursor: Cursor,
    more: str,
    footer: str,
    room: int,
) -> Page:
    """A single word or choice longer than a page: cut it (the only cut ever made)."""
    if tokens:
        nxt = Cursor(cursor.word + 1, cursor.choice) if tokens[1:] or rest else None
    else:
        nxt = Cursor(cursor.word, cursor.choice + 1) if rest[1:] else None
    tail = " ".join(part for part in ((more if nxt else ""), footer) if part)
    space = max(room - len(_compose([notice, tail])) - 5, 1)
    if tokens:
        text = _compose([notice, tokens[0].lstrip("\n")[:space], tail])
        return Page(text[:room], cursor.choice, 0, nxt)
    text = _compose([notice, f"{cursor.choice + 1}. {rest[0][:space]}", tail])
    return Page(text[:room], cursor.choice, 1, nxt)
