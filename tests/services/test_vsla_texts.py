"""Every SMS the group's books send fits one GSM-7 SMS in rw, en and fr at worst case: group
names cut to 12 characters, member names to 19, amounts of 7 characters, dates 21/12/2026."""

from __future__ import annotations

import pytest

from locales import translate
from services import disputes, receipts, share_out
from services.gsm7 import encode

GROUP, NAME, AMOUNT, DAY, PHONE = (
    "Abishyizehamwe"[:12],
    "Mukandayisenga V.xx",
    "999,999",
    "21/12/2026",
    "+250788100120",
)
WORST = {
    "receipt": [
        (receipts.SHARES_LINE, {"count": 5, "total": 99, "value": AMOUNT}),
        (receipts.SOCIAL_LINE, {"amount": "9,999", "total": "99,999"}),
        (receipts.LOAN_PAID_LINE, {"repaid": AMOUNT, "left": f"{AMOUNT} ({DAY})"}),
        (receipts.FINE_LINE, {"amount": "9,999"}),
        (receipts.WRONG_HINT, {}),
    ],
    "correction": [
        (receipts.CORRECTED, {"group": GROUP, "date": DAY}),
        (receipts.SHARES_LINE, {"count": 5, "total": 99, "value": AMOUNT}),
        (receipts.SOCIAL_LINE, {"amount": "9,999", "total": "99,999"}),
        (receipts.LOAN_PAID_LINE, {"repaid": AMOUNT, "left": f"{AMOUNT} ({DAY})"}),
        (receipts.FINE_LINE, {"amount": "9,999"}),
    ],
    "loan given": [
        (
            receipts.LOAN_GIVEN,
            {
                "group": GROUP,
                "date": DAY,
                "amount": AMOUNT,
                "charge": AMOUNT,
                "total": AMOUNT,
                "next": AMOUNT,
                "due": DAY,
                "name": NAME,
            },
        ),
    ],
    "loan to confirm": [
        (
            receipts.LOAN_TO_CONFIRM,
            {"group": GROUP, "amount": AMOUNT, "name": NAME, "ussd": "*384*1234#"},
        ),
    ],
    "loan refused": [
        (receipts.LOAN_REFUSED, {"group": GROUP, "amount": AMOUNT, "name": NAME, "officer": NAME}),
    ],
    "reopened": [(receipts.REOPENED, {"group": GROUP, "date": DAY, "name": NAME})],
    "dispute alert": [
        (
            disputes.ALERT,
            {"group": GROUP, "name": NAME, "phone": PHONE, "date": DAY, "words": "x" * 36},
        ),
    ],
    "dispute noted": [(disputes.NOTED, {"group": GROUP, "date": DAY})],
    "dispute no mistake": [(disputes.NO_MISTAKE, {"group": GROUP, "date": DAY})],
    "member leaves": [
        (
            share_out.LEFT,
            {
                "group": GROUP,
                "date": DAY,
                "shares": 999,
                "value": AMOUNT,
                "debt": AMOUNT,
                "payout": AMOUNT,
            },
        ),
    ],
    "share-out": [
        (share_out.HEAD, {"group": GROUP, "date": DAY}),
        (share_out.GROSS, {"shares": 999, "per_share": "9999.99", "gross": AMOUNT}),
        (share_out.DEBT, {"debt": AMOUNT}),
        (share_out.PAYOUT, {"payout": AMOUNT}),
        (share_out.SOCIAL_STAYS, {"amount": AMOUNT}),
    ],
}


@pytest.mark.parametrize("lang", ["rw", "en", "fr"])
@pytest.mark.parametrize("kind", sorted(WORST))
def test_each_text_fits_one_gsm7_sms(kind: str, lang: str) -> None:
    lines = [translate(lang, msgid, **values) for msgid, values in WORST[kind]]
    if kind == "receipt":
        lines.insert(0, f"{GROUP} {DAY}")
    text = "\n".join(lines)
    sent = encode(text)
    assert (sent.encoding, sent.segments) == ("GSM-7", 1), (len(text), text)
