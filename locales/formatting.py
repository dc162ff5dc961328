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


def format_frw(amount: int) -> str:
    """House style for money in the books, the same in rw, en and fr: `2,400 Frw`."""
    return f"{int(amount):,} Frw"


def format_amount(amount: int) -> str:
    """A bare amount in house style: `2,400`."""
    return f"{int(amount):,}"


def format_dmy(day: date) -> str:
    """House style for a date, the same in rw, en and fr: `21/12/2026`."""
    return f"{day:%d/%m/%Y}"
