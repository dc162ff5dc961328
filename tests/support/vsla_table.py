"""The worked example of the design (issue 15, section 2.7), computed by hand: group Twiyubake,
share 200 Frw, social fund 100 Frw a meeting, flat 10% charge, four meetings in January 2026.

ROWS: number, name, phone, language, offices, shares bought at m1..m4 (None = absent), and
the hand-computed share-out: gross = shares x 46,600 // 229, debt, payout.
"""

from __future__ import annotations

from datetime import date

MEETINGS = [date(2026, 1, 5), date(2026, 1, 12), date(2026, 1, 19), date(2026, 1, 26)]
SHARE_OUT_DAY = date(2026, 2, 9)
SHARE_VALUE = 200
SOCIAL = 100

ROWS = [
    (1, "Mukamana Claire", "+250788100101", "rw", ("chairperson",), (2, 1, 5, 1), 1831),
    (2, "Habimana Jean", "+250788100102", "rw", ("secretary",), (2, 2, 1, 1), 1220),
    (3, "Uwase Aline", "+250788100103", "rw", ("treasurer",), (2, 3, 2, 1), 1627),
    (4, "Niyonsaba Eric", "+250788100104", "rw", ("money_counter",), (3, 4, 3, 3), 2645),
    (5, "Ingabire Grace", "+250788100105", "en", ("money_counter",), (4, 3, 3, 2), 2441),
    (6, "Nshimiyimana Paul", "+250788100106", "rw", (), (2, 3, 3, 2), 2034),
    (7, "Mukeshimana Alice", "+250788100107", "rw", (), (3, 5, 4, 2), 2848),
    (8, "Uwimana Jeanne", "+250788100108", "fr", (), (5, 5, 4, 4), 3662),
    (9, "Hakizimana Emmanuel", "+250788100109", "rw", (), (1, 4, 5, 3), 2645),
    (10, "Nyiraneza Josiane", "+250788100110", "rw", (), (4, 5, 3, 4), 3255),
    (11, "Bizimana Patrick", "+250788100111", "rw", (), (4, 1, 4, 1), 2034),
    (12, "Mutoni Diane", "+250788100112", "rw", (), (2, 2, None, 2), 1220),
    (13, "Ndayisaba Olivier", "+250788100113", "rw", (), (5, 1, 3, 5), 2848),
    (14, "Umutoni Sandrine", "+250788100114", "rw", (), (4, 2, 1, 1), 1627),
    (15, "Niyitegeka Samuel", "+250788100115", "rw", (), (4, 1, 1, 4), 2034),
    (16, "Mukandayisenga Vestine", "+250788100116", "rw", (), (5, 3, 4, 5), 3459),
    (17, "Twagirayezu Innocent", "+250788100117", "rw", (), (2, 2, 5, 5), 2848),
    (18, "Uwamahoro Solange", "+250788100118", "rw", (), (3, 1, 2, 3), 1831),
    (19, "Nsengiyumva Theogene", "+250788100119", "rw", (), (3, None, 3, 4), 2034),
    (20, "Nyiramahoro Uwimana", "+250788100120", "rw", (), (4, 3, 4, 1), 2441),
]
DISTRIBUTABLE = 46_600  # savings 45,800 + charge 500 + fines 300
TOTAL_SHARES = 229
REMAINDER = 16  # 46,600 - 46,584 paid out: stays in the group, carried into cycle 2
#: Meeting by meeting: shares count, social fund, repaid, fines, loans out, loan box, social box
BY_MEETING = [
    (64, 2000, 0, 0, 0, 12_800, 2_000),
    (51, 1900, 0, 100, 5000, 18_100, 3_900),
    (60, 1900, 2000, 0, 0, 32_100, 5_800),
    (54, 2000, 3500, 200, 0, 46_600, 7_800),
]


def shares_after(row: tuple, meeting: int) -> int:  # type: ignore[type-arg]
    """The member's shares after meeting `meeting` (1-4)."""
    return sum(n or 0 for n in row[5][:meeting])


def social_after(row: tuple, meeting: int) -> int:  # type: ignore[type-arg]
    return SOCIAL * sum(1 for n in row[5][:meeting] if n is not None)
