"""The pager keeps a line whole on the next page rather than cutting it between words."""

from __future__ import annotations

from menus.pager import BUDGET, PREFIX_LEN, Cursor, layout

MORE, FOOTER = "98. More", "0. Back 00. Home"


def pages(text: str) -> list[str]:
    out, cursor = [], Cursor()
    while cursor is not None:
        page = layout(text, [], cursor, more=MORE, footer=FOOTER)
        out.append(page.text)
        cursor = page.next
    return out


def test_a_line_that_does_not_end_on_the_page_moves_whole_to_the_next() -> None:
    lines = [
        "Your trainings:",
        "Tue 01/12 09:30: Cooperative governance, Rubavu district hall",
        "Wed 02/12 14:00: VSLA methodology, at the cell office of Nengo",
        "Mon 07/12 09:00: Financial literacy, Gikondo sector office",
    ]
    shown = pages("\n".join(lines))
    assert all(len(p) <= BUDGET - PREFIX_LEN for p in shown)
    for line in lines:  # every line appears whole on exactly one page
        assert sum(line in p for p in shown) == 1


def test_a_line_longer_than_a_page_is_still_cut_between_words() -> None:
    shown = pages("Title\n" + " ".join(["word"] * 60))
    assert len(shown) > 1
    assert all(len(p) <= BUDGET - PREFIX_LEN for p in shown)
    body = [p.replace(MORE, "").replace(FOOTER, "").replace("Title", "") for p in shown]
    assert " ".join(body).split() == ["word"] * 60  # every word whole, none lost
