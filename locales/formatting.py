"""The one place that formats money, dates and times for a person, through Babel's locale data.

Output is kept to plain characters a feature phone shows and GSM-7 can carry: Babel's narrow
no-break spaces become spaces and accents that GSM-7 lacks are folded (`août` -> `aout`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from babel import dates as babel_dates
from babel import numbers as babel_numbers

from locales import babel_locale

#: Letters with accents that GSM-7's basic set carries as they are.
GSM_ACCENTED = set("éèùìòÇØøÅåÄÖÑÜäöñüàÉ")
CURRENCY = "RWF"


def plain(text: str) -> str:
    """Fold characters a feature phone may not show: odd spaces, accents outside GSM-7."""
    out = []
    for ch in text:
        if ch in GSM_ACCENTED or ord(ch) < 128:
            out.append(ch)
        elif unicodedata.category(ch) == "Zs":
            out.append(" ")
        else:
            base = unicodedata.normalize("NFKD", ch).encode("ascii", "ignore").decode()
            out.append(base)
    return "".join(out)


def format_money(amount: int, lang: str | None) -> str:
    """Whole francs, grouped the person's way, then `RWF`: `15.000 RWF`, `15,000 RWF`."""
    number = babel_numbers.format_decimal(int(amount), format="#,##0", locale=babel_locale(lang))
    return plain(f"{number} {CURRENCY}")


def format_day(day: date, lang: str | None) -> str:
    """A short date with the weekday, e.g. `Kuwa gatandatu 28/11` or `samedi 28/11`."""
    weekday = babel_dates.format_date(day, "EEEE", locale=babel_locale(lang))
    return plain(f"{weekday} {day:%d/%m}")


def format_date(day: date, lang: str | None) -> str:
    """A medium date: `2026 Ugu. 28`, `Nov 28, 2026`, `28 nov. 2026`."""
    return plain(babel_dates.format_date(day, "medium", locale=babel_locale(lang)))


def format_time(moment: time | datetime, lang: str | None, tz: str = "Africa/Kigali") -> str:
    """24-hour `HH:MM` (local time for an aware datetime)."""
    if isinstance(moment, datetime):
        moment = to_local(moment, tz)
    return plain(babel_dates.format_time(moment, "HH:mm", locale=babel_locale(lang)))


def format_when(moment: datetime, lang: str | None, tz: str = "Africa/Kigali") -> str:
    """Weekday, day/month and local time: `Kuwa mbere 30/11 14:00`."""
    local = to_local(moment, tz)
    return f"{format_day(local.date(), lang)} {format_time(local, lang, tz)}"


def to_local(moment: datetime, tz: str = "Africa/Kigali") -> datetime:
    """`moment` (aware) in the local zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


#: House weekdays in Kinyarwanda, Monday first (Babel's `Kuwa ...` is not the house style).
RW_WEEKDAYS = (
    "ku wa mbere",
    "ku wa kabiri",
    "ku wa gatatu",
    "ku wa kane",
    "ku wa gatanu",
    "ku wa gatandatu",
    "ku cyumweru",
)


def format_numeric_date(day: date) -> str:
    """`21/12/2026`: the date every language reads on a phone."""
    return f"{day:%d/%m/%Y}"


def format_weekday_date(day: date, lang: str | None) -> str:
    """The weekday in words and the date: `ku wa gatatu 21/12/2026`, `Wednesday 21/12/2026`."""
    if (lang or "rw")[:2] == "rw":
        weekday = RW_WEEKDAYS[day.weekday()]
    else:
        weekday = babel_dates.format_date(day, "EEEE", locale=babel_locale(lang))
    return plain(f"{weekday} {format_numeric_date(day)}")


def format_phone_local(phone: str) -> str:
    """`+250788100031` -> `0788100031` (how people in Rwanda write a number)."""
    return "0" + phone[4:] if phone.startswith("+250") else phone


def short(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters (hard cut: one long word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip()
    return cut if 0 < len(cut) <= limit else text[:limit]
