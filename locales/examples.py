"""Strings filled with long example values: the worst case a phone will show (for the review
sheet, the screen atlas and the budget checks)."""

from __future__ import annotations

import re
import string

#: Long values for placeholders, so that an example shows the worst case a phone will see.
LONG = {
    "name": "Nyiramahoro Uwimana Claudine",
    "group": "Twiyubake Abakora Neza",
    "vsla": "Twiyubake Abakora Neza",
    "cooperative": "Abakora Neza Gisenyi",
    "amount": "1,250,000 Frw",
    "cost": "12,500 Frw",
    "date": "21/12/2026",
    "day": "ku wa gatandatu 21/12",
    "when": "ku wa gatandatu 21/12 saa 14:00",
    "until": "ku wa gatandatu 21/12 saa 14:00",
    "time": "14:00",
    "phone": "0788000000",
    "help_phone": "0788000000",
    "help": "0788000000",
    "ussd": "*384*1234#",
    "topic": "Imicungire y'amafaranga",
    "venue": "Ku biro by'Umurenge wa Gisenyi",
    "place": "Ku biro by'Umurenge wa Gisenyi",
    "trade": "Electrical installation",
    "vtc": "Gisenyi VTC",
    "codes": "T0001, T0002, T0003",
    "who": "T0001 Nyiramahoro Uwimana, T0002 Habimana",
    "names": "T0001 Nyiramahoro Uwimana, T0002 Habimana",
}


def placeholders(text: str) -> set[str]:
    """The `{name}` and `%(name)s` placeholders of `text`."""
    brace = {name for _lit, name, _spec, _conv in string.Formatter().parse(text) if name}
    return brace | set(re.findall(r"%\((\w+)\)s", text))


def example(text: str) -> str:
    """`text` with long values in its placeholders."""
    values = {name: LONG.get(name, "X" * 12) for name in placeholders(text)}
    try:
        return re.sub(r"%\((\w+)\)s", lambda m: str(values[m.group(1)]), text).format(**values)
    except (KeyError, IndexError, ValueError):
        return text
