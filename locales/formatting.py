"""The one place that formats money, dates and times for a person, in the house style.

One style in rw, en and fr (see docs/kinyarwanda.md): `21/12/2026`, `ku wa mbere 21/12`,
`saa 14:00`, `6,500 Frw`; never abbreviated months nor year-first dates.

Output is kept to plain characters a feature phone shows and GSM-7 can carry: Babel's narrow
no-break spaces become spaces and accents that GSM-7 lacks are folded (`août` -> `aout`).
"""

from __future__ import annotations

import unicodedata
from datetime import date, datetime, time
from zoneinfo import ZoneInfo

from locales import language_or_default

#: Letters with accents that GSM-7's basic set carries as they are.
GSM_ACCENTED = set("éèùìòÇØøÅåÄÖÑÜäöñüàÉ")
#: The house style for money in every language: `6,500 Frw` (what Rwandans read on receipts).
CURRENCY = "Frw"
#: Weekdays in words, Monday first; rw as the glossary spells them (not CLDR's `Kuwa mbere`).
WEEKDAYS = {
    "rw": (
        "ku wa mbere",
        "ku wa kabiri",
        "ku wa gatatu",
        "ku wa kane",
        "ku wa gatanu",
        "ku wa gatandatu",
        "ku cyumweru",
    ),
    "en": ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"),
    "fr": ("lundi", "mardi", "mercredi", "jeudi", "vendredi", "samedi", "dimanche"),
}
#: The word before a time: `saa 14:00`, `at 14:00`, `à 14:00`.
AT = {"rw": "saa", "en": "at", "fr": "à"}


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


def format_money(amount: int, lang: str | None = None) -> str:
    """Whole francs, digits grouped by commas, then `Frw`, in every language: `6,500 Frw`."""
    return f"{int(amount):,} {CURRENCY}"


def weekday(day: date, lang: str | None) -> str:
    """The weekday in words: `ku wa mbere`, `Monday`, `lundi`."""
    return WEEKDAYS[language_or_default(lang)][day.weekday()]


def format_day(day: date, lang: str | None) -> str:
    """The weekday in words and day/month: `ku wa mbere 21/12`, `Monday 21/12`."""
    return f"{weekday(day, lang)} {day:%d/%m}"


def format_date(day: date, lang: str | None = None) -> str:
    """Day/month/year in digits, the same in every language: `21/12/2026`."""
    return f"{day:%d/%m/%Y}"


def format_time(moment: time | datetime, lang: str | None, tz: str = "Africa/Kigali") -> str:
    """24-hour `HH:MM` (local time for an aware datetime); the catalogue adds `saa`."""
    if isinstance(moment, datetime):
        moment = to_local(moment, tz)
    return f"{moment:%H:%M}"


def format_at(moment: time | datetime, lang: str | None, tz: str = "Africa/Kigali") -> str:
    """The time with its word: `saa 14:00`, `at 14:00`, `à 14:00`."""
    return f"{AT[language_or_default(lang)]} {format_time(moment, lang, tz)}"


def format_when(moment: datetime, lang: str | None, tz: str = "Africa/Kigali") -> str:
    """Weekday, day/month and local time: `ku wa mbere 30/11 saa 14:00`."""
    local = to_local(moment, tz)
    return f"{format_day(local.date(), lang)} {format_at(local, lang, tz)}"


def to_local(moment: datetime, tz: str = "Africa/Kigali") -> datetime:
    """`moment` (aware) in the local zone `tz`."""
    return moment.astimezone(ZoneInfo(tz))


def format_amount(amount: int) -> str:
    """A bare amount in house style: `2,400`."""
    return f"{int(amount):,}"


def format_weekday_date(day: date, lang: str | None) -> str:
    """The weekday in words and the date: `ku wa gatatu 21/12/2026`, `Wednesday 21/12/2026`."""
    return f"{weekday(day, lang)} {format_date(day)}"


def format_phone_local(phone: str) -> str:
    """`+250788100031` -> `0788100031` (how people in Rwanda write a number)."""
    return "0" + phone[4:] if phone.startswith("+250") else phone


def short(text: str, limit: int) -> str:
    """`text` cut at a word boundary to at most `limit` characters (hard cut: one long word)."""
    if len(text) <= limit:
        return text
    cut = text[: limit + 1].rsplit(" ", 1)[0].rstrip()
    return cut if 0 < len(cut) <= limit else text[:limit]
