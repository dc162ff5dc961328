"""Reading Africa's Talking's callback forms: every field cleaned (NUL bytes and other control
characters dropped, spaces trimmed), bounded in length, numbers read within range. A required
field missing or a field too long makes the whole form bad (400); an unreadable number is None.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

#: Largest number a callback may carry (PostgreSQL `integer`).
MAX_INT = 2**31 - 1


@dataclass(frozen=True)
class Spec:
    """One form field: its longest accepted value, required or not, text or a whole number."""

    longest: int
    required: bool = False
    number: bool = False
    keep_spaces: bool = False  # an SMS text is kept as typed (but for control characters)
    present: bool = False  # must be sent, but may be empty (an SMS text)


def clean(value: str, keep_spaces: bool = False) -> str:
    """`value` without NUL bytes and control characters other than new lines and tabs."""
    kept = "".join(ch for ch in value if ch.isprintable() or ch in "\n\t")
    return kept if keep_spaces else kept.strip()


def whole_number(value: str) -> int | None:
    """A non-negative whole number (`12`, `12.0`) within MAX_INT, else None."""
    head, dot, tail = value.partition(".")
    if not head.isascii() or not head.isdigit() or (dot and tail.strip("0")) or len(head) > 12:
        return None
    number = int(head)
    return number if number <= MAX_INT else None


def read_fields(
    form: Mapping[str, str], specs: Mapping[str, Spec]
) -> tuple[dict[str, str | int | None], str | None]:
    """The cleaned values by field name, or a short reason the form is bad (naming every
    missing field and the fields that are needed)."""
    missing = [
        name for name, spec in specs.items()
        if (spec.required and not clean(form.get(name) or "").strip())
        or (spec.present and form.get(name) is None)
    ]
    if missing:
        needed = ", ".join(n for n, spec in specs.items() if spec.required or spec.present)
        return {}, f"missing form field(s): {', '.join(missing)} (required: {needed})"
    values: dict[str, str | int | None] = {}
    for name, spec in specs.items():
        raw = form.get(name)
        value = None if raw is None else clean(raw, spec.keep_spaces)
        if value is not None and len(value) > spec.longest:
            return {}, f"{name} too long"
        if spec.number:
            values[name] = whole_number(value) if value else None
        else:
            values[name] = value
    return values, None
