"""Cell parsers: text in, a typed value out, or ValueError with a reason a person can act on."""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, date, datetime, time
from enum import StrEnum
from functools import cache
from zoneinfo import ZoneInfo

from babel.dates import get_day_names

from models.enums import Language, Role, VslaOffice
from models.phones import BadPhone, normalize_phone
from models.places import RWANDA_DISTRICTS

Parser = Callable[[str], object]

KIGALI = ZoneInfo("Africa/Kigali")


def text(raw: str) -> str:
    """The cell as written, inner runs of spaces made single."""
    return " ".join(raw.split())


def code(raw: str) -> str:
    """A code such as a trainee's: upper case, no spaces."""
    value = raw.replace(" ", "").upper()
    if not value.isalnum():
        raise ValueError(f"{raw!r} is not a code (letters and digits only)")
    return value


@cache
def phone(raw: str) -> str:
    """A phone number in E.164 (region RW); cached, as big files repeat their numbers."""
    try:
        return normalize_phone(raw)
    except BadPhone as exc:
        raise ValueError(str(exc)) from exc


def choice(kind: type[StrEnum]) -> Parser:
    """A parser accepting the values of `kind` (case forgiven)."""
    allowed = {member.value: member for member in kind}

    def parse(raw: str) -> StrEnum:
        found = allowed.get(raw.strip().lower())
        if found is None:
            raise ValueError(f"{raw!r} is not one of: {' '.join(allowed)}")
        return found

    return parse


language = choice(Language)
_role = choice(Role)


YES = frozenset({"yes", "y", "oui", "o", "yego", "true", "1", "x"})
NO = frozenset({"no", "n", "non", "oya", "false", "0"})


def yes_no(raw: str) -> bool:
    """A mark: yes, oui, yego (or x, 1, true); no, non, oya (or 0, false)."""
    word = raw.strip().lower()
    if word in YES or word in NO:
        return word in YES
    raise ValueError(f"{raw!r} is neither yes nor no (write yes, oui or yego; or leave it blank)")


def roles(raw: str) -> frozenset[Role]:
    """Roles separated by `;`."""
    return frozenset(_role(part) for part in raw.split(";") if part.strip())  # type: ignore[misc]


_DISTRICTS = {name.lower(): name for name in RWANDA_DISTRICTS}


def offices(raw: str) -> frozenset[VslaOffice]:
    """Savings-group offices separated by `;` or `,` (`chairperson;leader`)."""
    found = set()
    for word in re.split(r"[;,]", raw):
        word = word.strip().lower().replace(" ", "_")
        if not word:
            continue
        try:
            found.add(VslaOffice(word))
        except ValueError:
            names = ", ".join(o.value for o in VslaOffice)
            raise ValueError(f"{word!r} is not an office ({names})") from None
    return frozenset(found)


def id_last4(raw: str) -> str:
    """The last 4 digits of a national ID; a number cell that lost its leading zeros (`417`,
    `417.0`) is padded back to 4 digits."""
    value = raw.strip().removesuffix(".0")
    if not value.isdigit() or len(value) > 4:
        raise ValueError(f"{raw!r} is not the last 4 digits of a national ID (like 4417)")
    return value.zfill(4)


def district(raw: str) -> str:
    """One of Rwanda's 30 districts, spelled as the country spells it."""
    found = _DISTRICTS.get(text(raw).lower())
    if found is None:
        raise ValueError(f"{raw!r} is not a district of Rwanda")
    return found


def day(raw: str) -> date:
    """A date written `YYYY-MM-DD`."""
    value = raw.strip()
    try:
        if len(value) == 10:
            return date.fromisoformat(value)
    except ValueError:
        pass
    raise ValueError(f"{raw!r} is not a date; write YYYY-MM-DD, e.g. 2026-11-25")


_MOMENT = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}:\d{2})")


def kigali_moment(raw: str) -> datetime:
    """`YYYY-MM-DD HH:MM` in Africa/Kigali time, returned in UTC."""
    found = _MOMENT.fullmatch(raw.strip())
    try:
        if found is None:
            raise ValueError
        local = datetime.combine(day(found[1]), clock(found[2]), KIGALI)
    except ValueError:
        raise ValueError(
            f"{raw!r} is not a date and time; write YYYY-MM-DD HH:MM, e.g. 2026-12-03 09:30"
        ) from None
    return local.astimezone(UTC)


def clock(raw: str) -> time:
    """A time of day written `HH:MM` (24-hour)."""
    hours, sep, minutes = raw.strip().partition(":")
    try:
        if not sep or len(minutes) != 2:
            raise ValueError
        return time(int(hours), int(minutes))
    except ValueError:
        raise ValueError(f"{raw!r} is not a time; write HH:MM, e.g. 14:00") from None


def _weekday_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for locale in ("en", "fr", "rw"):
        for width in ("wide", "abbreviated"):
            for number, name in get_day_names(width, locale=locale).items():
                names[name.lower().rstrip(".")] = number
    return names


_WEEKDAYS = _weekday_names()


def weekday(raw: str) -> int:
    """A day of the week in English, French or Kinyarwanda (0 = Monday)."""
    found = _WEEKDAYS.get(text(raw).lower().rstrip("."))
    if found is None:
        raise ValueError(f"{raw!r} is not a day of the week, e.g. Tuesday or Kuwa kabiri")
    return found


def whole(raw: str) -> int:
    """A whole number of RWF, zero or more (thousands separators forgiven)."""
    cleaned = raw.strip().replace(",", "").replace(" ", "")
    if not cleaned.lstrip("-").isdigit():
        raise ValueError(f"{raw!r} is not a whole number of RWF")
    value = int(cleaned)
    if value < 0:
        raise ValueError(f"{raw!r} is negative; write a positive amount")
    return value


def positive(raw: str) -> int:
    """A whole number of RWF greater than zero."""
    value = whole(raw)
    if value == 0:
        raise ValueError("the amount must be more than 0")
    return value
