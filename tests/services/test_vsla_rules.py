"""The money rules of a savings group on the design's hand-computed figures: charges, schedules,
the allocation of a repayment, what is owed on a day, and the share-out split."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from models.vsla_rules import (
    Owed,
    Split,
    allocate,
    owed_on,
    per_share,
    rhu,
    schedule,
    split_share_out,
)

START = date(2026, 1, 12)


def test_a_percentage_rounds_half_up_to_the_franc() -> None:
    assert rhu(5000, 1000) == 500
    assert rhu(4100, 250) == 103  # 102.5 up
    assert rhu(3334, 300) == 100  # 100.02 down
    assert rhu(4999, 1) == 0  # 0.4999 down, however close to the half


@pytest.mark.parametrize(
    ("principal", "months", "mode", "bp", "parts", "charges"),
    [
        (5000, 1, "flat", 1000, [5000], [500]),
        (5000, 3, "flat", 1000, [1666, 1666, 1668], [166, 166, 168]),
        (6000, 3, "monthly", 500, [2000, 2000, 2000], [300, 200, 100]),
        (5000, 3, "monthly", 300, [1666, 1666, 1668], [150, 100, 50]),
    ],
)
def test_the_schedule_splits_principal_and_charge(principal, months, mode, bp, parts, charges):  # type: ignore[no-untyped-def]
    dues = schedule(principal, months, mode, bp, START)
    assert [d.principal for d in dues] == parts
    assert [d.charge for d in dues] == charges
    assert [d.number for d in dues] == list(range(1, months + 1))  # the reminders count on it
    assert [d.due_on for d in dues] == [
        START + timedelta(days=28 * k) for k in range(1, months + 1)
    ]


def test_a_repayment_pays_each_instalment_charge_first_oldest_first() -> None:
    dues = schedule(5000, 3, "flat", 1000, START)
    first = allocate(dues, 0, 2000)
    assert (first.charge, first.principal) == (332, 1668)
    rest = allocate(dues, 2000, 3500)
    assert first.charge + rest.charge == 500 and first.principal + rest.principal == 5000
    with pytest.raises(ValueError):
        allocate(dues, 2000, 3501)


def test_what_is_owed_on_a_day() -> None:
    dues = schedule(5000, 3, "flat", 1000, START)
    owed = owed_on(dues, 1000, START + timedelta(days=30))
    assert owed.left == 4500
    assert (owed.next_due, owed.next_amount) == (dues[0].due_on, 832)
    assert owed.overdue == 832 and owed.days_overdue == 2


def test_what_is_owed_on_each_day_of_a_loan() -> None:
    """Mutmut's survivors: the due day itself, a first instalment paid to the franc, all paid."""
    dues = schedule(5000, 3, "flat", 1000, START)  # 1832, 1832, 1836
    first, second, third = (d.due_on for d in dues)
    assert owed_on(dues, 0, START) == Owed(5500, first, 1832, 0, 0)
    assert owed_on(dues, 0, first) == Owed(5500, first, 1832, 0, 0)  # due today: not late
    assert owed_on(dues, 0, first + timedelta(days=1)) == Owed(5500, first, 1832, 1832, 1)
    paid_first = owed_on(dues, 1832, second + timedelta(days=3))
    assert paid_first == Owed(3668, second, 1832, 1832, 3)  # late since the second, not the first
    assert owed_on(dues, 2000, third + timedelta(days=2)) == Owed(3500, second, 1664, 3500, 30)
    assert owed_on(dues, 5500, third + timedelta(days=9)) == Owed(0, None, 0, 0, 0)


def test_share_out_leaves_fewer_francs_than_members_and_loses_none() -> None:
    split = split_share_out(6400, {1: 10, 2: 20, 3: 30})
    assert split == Split(6400, 60, {1: 1066, 2: 2133, 3: 3200}, 1)
    assert per_share(46_600, 229) == "203.49"


def test_a_share_out_without_shares_gives_nobody_anything() -> None:
    assert split_share_out(700, {1: 0, 2: 0}) == Split(700, 0, {1: 0, 2: 0}, 700)
    assert per_share(700, 0) == "0.00"
    assert per_share(1001, 100) == "10.01"
    assert per_share(1, 200) == "0.01"  # half a centime rounds up


@given(
    st.integers(min_value=0, max_value=10_000_000),
    st.lists(st.integers(min_value=0, max_value=60), min_size=1, max_size=40),
)
def test_no_franc_is_unaccounted_for(fund: int, shares: list[int]) -> None:
    split = split_share_out(fund, dict(enumerate(shares)))
    if sum(shares):
        assert sum(split.gross.values()) + split.remainder == fund
        assert 0 <= split.remainder < len(shares)


@given(
    st.integers(min_value=100, max_value=1_000_000),
    st.integers(min_value=1, max_value=12),
    st.sampled_from(["flat", "monthly"]),
    st.integers(min_value=0, max_value=5000),
    st.lists(st.integers(min_value=1, max_value=50_000), max_size=8),
)
def test_payments_never_split_more_than_is_owed(principal, months, mode, bp, payments):  # type: ignore[no-untyped-def]
    dues = schedule(principal, months, mode, bp, START)
    assert sum(d.principal for d in dues) == principal
    total, paid = sum(d.total for d in dues), 0
    for amount in payments:
        amount = min(amount, total - paid)
        part = allocate(dues, paid, amount)
        assert part.charge + part.principal == amount
        paid += amount
    assert owed_on(dues, paid, START).left == total - paid
