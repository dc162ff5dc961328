"""Trade names as people read them: the stored trade (any case) to a msgid of the models
catalogue; a trade not listed here is shown as stored."""

from __future__ import annotations

from locales import N_, translate

#: Lower-case stored trade -> its label (msgid).
TRADE_NAMES: dict[str, str] = {
    "tailoring": N_("Tailoring"),
    "welding": N_("Welding"),
    "hairdressing": N_("Hairdressing"),
    "carpentry": N_("Carpentry"),
    "masonry": N_("Masonry"),
    "electricity": N_("Electricity"),
    "culinary arts": N_("Culinary arts"),
    "motor mechanics": N_("Motor mechanics"),
    "knitting": N_("Knitting"),
    "food processing": N_("Food processing"),
}


def trade_label(trade: str, lang: str | None) -> str:
    """`trade` in `lang` when it is a known trade, else as stored."""
    msgid = TRADE_NAMES.get(trade.strip().lower())
    return translate(lang, msgid) if msgid else trade
