"""GSM-7: normalise smart punctuation, tell the encoding, count SMS segments, pick what fits."""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass

# The GSM 03.38 basic character set and its extension table (extension chars cost two).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")

SMART_PUNCTUATION = {
    "\u2018": "'",
    "\u2019": "'",
    "\u201a": "'",
    "\u201b": "'",
    "\u2032": "'",
    "\u00b4": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u201e": '"',
    "\u201f": '"',
    "\u00ab": '"',
    "\u00bb": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2212": "-",
    "\u2010": "-",
    "\u2011": "-",
    "\u2026": "...",
    "\u00a0": " ",
    "\u202f": " ",
    "\u2009": " ",
    "\u2007": " ",
    "\u00b7": ".",
    "\u2022": "-",
    "\t": " ",
    # French letters GSM-7 lacks, folded to their nearest GSM-7 letter
    "\u00e2": "a",
    "\u00ea": "e",
    "\u00ee": "i",
    "\u00f4": "o",
    "\u00fb": "u",
    "\u00eb": "e",
    "\u00ef": "i",
    "\u00e7": "c",
    "\u00c0": "A",
    "\u00c2": "A",
    "\u00c8": "E",
    "\u00ca": "E",
    "\u00ce": "I",
    "\u00d4": "O",
    "\u00db": "U",
    "\u0153": "oe",
    "\u0152": "OE",
}


@dataclass(frozen=True)
class Encoded:
    text: str
    encoding: str  # "GSM-7" or "UCS-2"
    segments: int
    length: int  # in septets for GSM-7, in UTF-16 units for UCS-2


def normalise(text: str) -> str:
    """Replace smart punctuation and accents GSM-7 lacks with plain equivalents."""
    return "".join(SMART_PUNCTUATION.get(ch, ch) for ch in text)


def to_gsm7(text: str) -> str:
    """`text` in GSM-7: smart punctuation replaced, accents dropped (`É` -> `E`), any other
    character GSM-7 lacks (emoji, other scripts, control characters) removed, spaces collapsed."""
    kept = []
    for ch in normalise(text):
        if ch not in "\n\r\x1b" and (ch in GSM7_BASIC or ch in GSM7_EXTENDED):
            kept.append(ch)
            continue
        base = "".join(
            part
            for part in unicodedata.normalize("NFKD", ch)
            if part.isascii() and part.isprintable()
        )
        kept.append(base if base else " ")
    return " ".join("".join(kept).split())


def is_gsm7(text: str) -> bool:
    """True when every character of `text` is in GSM-7 (basic or extension table)."""
    return all(ch in GSM7_BASIC or ch in GSM7_EXTENDED for ch in text)


def non_gsm7_chars(text: str) -> list[str]:
    """The characters of `text` that force UCS-2, in order, without repeats."""
    seen: list[str] = []
    for ch in text:
        if ch not in GSM7_BASIC and ch not in GSM7_EXTENDED and ch not in seen:
            seen.append(ch)
    return seen


def encode(text: str) -> Encoded:
    """Normalise `text` and count its segments: GSM-7 160/153, UCS-2 70/67."""
    text = normalise(text)
    if is_gsm7(text):
        length = sum(2 if ch in GSM7_EXTENDED else 1 for ch in text)
        single, part, encoding = 160, 153, "GSM-7"
    else:
        length = len(text.encode("utf-16-le")) // 2
        single, part, encoding = 70, 67, "UCS-2"
    segments = 1 if length <= single else -(-length // part)
    return Encoded(text=text, encoding=encoding, segments=segments, length=length)


def fit(*variants: str) -> str:
    """The first variant that fits one SMS, or the last (shortest) one."""
    for text in variants:
        if encode(text).segments == 1:
            return text
    return variants[-1]
