"""Phone numbers: parsed with region RW and stored in E.164."""

from __future__ import annotations

import phonenumbers


class BadPhone(ValueError):
    """Raised for text that is not a valid phone number."""


def normalize_phone(raw: str, region: str = "RW") -> str:
    """`0788 123 456`, `250788123456` and `+250 788-123-456` all become `+250788123456`."""
    text = (raw or "").strip()
    if not text:
        raise BadPhone("empty phone number")
    digits = "".join(ch for ch in text if ch.isdigit())
    if not text.startswith("+") and digits.startswith("250") and len(digits) == 12:
        text = "+" + digits
    try:
        number = phonenumbers.parse(text, region)
    except phonenumbers.NumberParseException as exc:
        raise BadPhone(f"not a phone number: {raw!r}") from exc
    if not phonenumbers.is_valid_number(number):
        raise BadPhone(f"not a valid phone number: {raw!r}")
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def try_normalize_phone(raw: str, region: str = "RW") -> str | None:
    """Like `normalize_phone`, but None instead of an error."""
    try:
        return normalize_phone(raw, region)
    except BadPhone:
        return None
