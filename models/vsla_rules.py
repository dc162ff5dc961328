"""The money rules of a savings group, as pure functions of whole francs (no database).

Rounding, stated once and used everywhere: a percentage is rounded half up to the franc
(`rhu`); an amount split into instalments gives each `amount // n` and the remainder to the
last; a share-out gives each member `shares x D // S` and the few francs left over (fewer than
the number of members) stay in the group's loan fund for the next cycle.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

#: A loan "month" is four weeks, so every due date falls on a meeting day.
MONTH_DAYS = 28


def rhu(amount: int, bp: int) -> int:
    """`amount x bp / 10,000` rounded half up to the franc (bp: basis points, 10% = 1000)."""
    return (amount * bp + 5000) // 10000


def split(amount: int, parts: int) -> list[int]:
    """`amount` in `parts` whole francs: equal floors, the remainder on the last."""
    base = amount // parts
    return [base] * (parts - 1) + [amount - base * (parts - 1)]


@dataclass(frozen=True)
class Due:
    """One instalment: when, and its parts of principal and charge."""

    number: int
    due_on: date
    principal: int
    charge: int

    @property
    def total(self) -> int:
        return self.principal + self.charge


def schedule(principal: int, months: int, mode: str, bp: int, start: date) -> list[Due]:
    """The instalments of a loan given on `start`: flat = one charge on the principal, split
    like it; monthly = the rate on the balance before each instalment."""
    parts = split(principal, months)
    if mode == "flat":
        charges = split(rhu(principal, bp), months)
    else:
        balances = [principal - sum(parts[:k]) for k in range(months)]
        charges = [rhu(b, bp) for b in balances]
    return [
        Due(k + 1, start + timedelta(days=MONTH_DAYS * (k + 1)), parts[k], charges[k])
        for k in range(months)
    ]


@dataclass(frozen=True)
class Allocation:
    charge: int
    principal: int


def allocate(instalments: list[Due], already_paid: int, amount: int) -> Allocation:
    """Split a payment of `amount` into charge and principal: instalment by instalment, oldest
    first, its charge then its principal; `already_paid` earlier payments are walked the same
    way first. Raises ValueError when `amount` is more than what is owed."""
    owed = sum(d.total for d in instalments) - already_paid
    if amount > owed:
        raise ValueError("more than owed")
    skip, left = already_paid, amount
    charge = principal = 0
    for due in instalments:
        for part, is_charge in ((due.charge, True), (due.principal, False)):
            covered = min(skip, part)
            skip -= covered
            take = min(left, part - covered)
            left -= take
            if is_charge:
                charge += take
            else:
                principal += take
    return Allocation(charge, principal)


@dataclass(frozen=True)
class Owed:
    """A loan on a day: all left, the next instalment not fully paid, what is overdue."""

    left: int
    next_due: date | None
    next_amount: int
    overdue: int
    days_overdue: int


def owed_on(instalments: list[Due], paid: int, day: date) -> Owed:
    """What is owed on `day` after `paid` francs (charge and principal) in all."""
    left = sum(d.total for d in instalments) - paid
    cumulative, next_due, next_amount = 0, None, 0
    overdue_since: date | None = None
    past_due = 0
    for due in instalments:
        cumulative += due.total
        if cumulative > paid and next_due is None:
            next_due, next_amount = due.due_on, cumulative - paid
        if due.due_on < day:
            past_due = cumulative
            if cumulative > paid and overdue_since is None:
                overdue_since = due.due_on
    overdue = max(past_due - paid, 0)
    days = (day - overdue_since).days if overdue and overdue_since else 0
    return Owed(left, next_due, next_amount, overdue, days)


@dataclass(frozen=True)
class Split:
    distributable: int
    total_shares: int
    gross: dict[int, int]  # by member key
    remainder: int


def split_share_out(distributable: int, shares: dict[int, int]) -> Split:
    """Each member's gross share-out = their shares x D // S (one exact integer division); the
    remainder R = D - sum of gross stays in the group (0 <= R < number of members)."""
    total = sum(shares.values())
    gross = {k: (n * distributable // total if total else 0) for k, n in shares.items()}
    return Split(distributable, total, gross, distributable - sum(gross.values()))


def per_share(distributable: int, total_shares: int) -> str:
    """The value of one share with two decimals, for reading only (`203.49`)."""
    if not total_shares:
        return "0.00"
    cents = (distributable * 100 * 2 + total_shares) // (2 * total_shares)
    return f"{cents // 100}.{cents % 100:02d}"
