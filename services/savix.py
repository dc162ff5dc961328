"""SAVIX indicators and data items of savings groups, from their own books, at a report date.

Every figure counts the cycle running at the date (the latest cycle started on or before it)
and ledger rows dated on or before it. District figures add numerators and denominators;
they never average ratios. Not recorded here (blank or 0 in the export): members' gender,
property, external debt, write-offs.
"""

from __future__ import annotations

from dataclasses import asdict, dataclass
from datetime import date

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from models import (
    Attendance,
    Cycle,
    CycleMember,
    District,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    MeetingEntry,
    MeetingStatus,
    Sector,
    ShareOut,
    ShareOutStatus,
    Vsla,
)
from models.books import dues
from models.vsla_rules import owed_on
from services.meetings import FUND_EFFECT

COLUMNS = (
    "report_date district sector group_id group_name cycle_number cycle_start planned_share_out "
    "share_value meetings_held last_meeting members_at_start members_now members_dropped "
    "members_female members_male attendance_rate savings_value savings_per_member "
    "loans_disbursed_count loans_disbursed_value loans_outstanding_count "
    "loans_outstanding_value loans_past_due_value loans_past_due_30_value par30 "
    "write_offs_value cash_loan_fund cash_social_fund property_value external_debt net_worth "
    "loan_fund_utilisation dropout_rate return_on_savings annualised_return_on_savings "
    "share_out_date share_out_value"
).split()


def ratio(top: int | float, bottom: int | float) -> str:
    return f"{top / bottom:.4f}" if bottom else ""


@dataclass
class Items:
    """The data items of one group (money in francs), from which the ratios are made."""

    present: int = 0
    expected: int = 0
    members_at_start: int = 0
    members_now: int = 0
    members_dropped: int = 0
    savings: int = 0
    disbursed_count: int = 0
    disbursed_value: int = 0
    outstanding_count: int = 0
    outstanding: int = 0
    past_due: int = 0
    past_due_30: int = 0
    loan_cash: int = 0
    social_cash: int = 0
    days: int = 0

    @property
    def net_worth(self) -> int:
        return self.loan_cash + self.outstanding


def cycle_at(session: Session, vsla_id: int, day: date) -> Cycle | None:
    return session.scalar(
        select(Cycle)
        .where(Cycle.vsla_id == vsla_id, Cycle.starts_on <= day)
        .order_by(Cycle.number.desc())
        .limit(1)
    )


def items(session: Session, cycle: Cycle, day: date) -> Items:
    found = Items(days=(day - cycle.starts_on).days)
    held = list(
        session.scalars(
            select(Meeting).where(
                Meeting.cycle_id == cycle.id,
                Meeting.status == MeetingStatus.CLOSED,
                Meeting.held_on <= day,
            )
        )
    )
    for meeting in held:
        rows = session.scalars(
            select(MeetingEntry.attendance).where(MeetingEntry.meeting_id == meeting.id)
        ).all()
        found.expected += len(rows)
        found.present += sum(1 for a in rows if a is Attendance.PRESENT)
    listed = session.scalars(select(CycleMember).where(CycleMember.cycle_id == cycle.id)).all()
    start = [m for m in listed if m.joined_on <= cycle.starts_on]
    found.members_at_start = len(start)
    found.members_dropped = sum(1 for m in start if m.left_on is not None and m.left_on <= day)
    found.members_now = sum(
        1 for m in listed if m.joined_on <= day and (m.left_on is None or m.left_on > day)
    )
    sums = dict(
        session.execute(
            select(LedgerEntry.kind, func.sum(LedgerEntry.amount))
            .where(LedgerEntry.cycle_id == cycle.id, LedgerEntry.date <= day)
            .group_by(LedgerEntry.kind)
        ).all()
    )
    left = {m.person_id for m in listed if m.left_on is not None and m.left_on <= day}
    refunded = session.scalar(  # a leaver's savings went back to them (share_out.leave)
        select(func.sum(LedgerEntry.amount)).where(
            LedgerEntry.cycle_id == cycle.id,
            LedgerEntry.date <= day,
            LedgerEntry.kind == LedgerKind.SHARES,
            LedgerEntry.person_id.in_(left),
        )
    )
    found.savings = int(sums.get(LedgerKind.SHARES) or 0) - int(refunded or 0)
    for kind, total in sums.items():
        loan_effect, social_effect = FUND_EFFECT.get(kind, (0, 0))
        found.loan_cash += loan_effect * int(total or 0)
        found.social_cash += social_effect * int(total or 0)
    loans = session.scalars(
        select(Loan).where(
            Loan.cycle_id == cycle.id,
            Loan.disbursed_on.is_not(None),
            Loan.disbursed_on <= day,
            Loan.status.in_((LoanStatus.ACTIVE, LoanStatus.REPAID, LoanStatus.SETTLED)),
        )
    )
    for loan in loans:
        found.disbursed_count += 1
        found.disbursed_value += loan.principal
        paid = session.scalar(
            select(func.sum(LedgerEntry.amount)).where(
                LedgerEntry.loan_id == loan.id,
                LedgerEntry.kind.in_((LedgerKind.REPAYMENT, LedgerKind.SERVICE_CHARGE)),
                LedgerEntry.date <= day,
            )
        )
        owed = owed_on(dues(loan), int(paid or 0), day)
        if owed.left > 0:
            found.outstanding_count += 1
            found.outstanding += owed.left
            found.past_due += owed.overdue
            if owed.days_overdue > 30:
                found.past_due_30 += owed.left
    return found


def row(session: Session, vsla: Vsla, day: date) -> dict[str, object] | None:
    """One group's CSV row at `day` (None: no books yet)."""
    cycle = cycle_at(session, vsla.id, day)
    if cycle is None:
        return None
    it = items(session, cycle, day)
    held = session.scalars(
        select(Meeting.held_on).where(
            Meeting.cycle_id == cycle.id,
            Meeting.status == MeetingStatus.CLOSED,
            Meeting.held_on <= day,
        )
    ).all()
    paid = session.scalar(
        select(ShareOut).where(
            ShareOut.cycle_id == cycle.id,
            ShareOut.status == ShareOutStatus.PAID,
            ShareOut.held_on <= day,
        )
    )
    ros = (it.net_worth - it.savings) / it.savings if it.savings else None
    sector = session.get(Sector, vsla.sector_id)
    district = session.get(District, sector.district_id) if sector else None
    return {
        "report_date": day.isoformat(),
        "district": district.name if district else "",
        "sector": sector.name if sector else "",
        "group_id": vsla.id,
        "group_name": vsla.name,
        "cycle_number": cycle.number,
        "cycle_start": cycle.starts_on.isoformat(),
        "planned_share_out": cycle.planned_share_out_on.isoformat(),
        "share_value": cycle.share_value,
        "meetings_held": len(held),
        "last_meeting": max(held).isoformat() if held else "",
        "members_at_start": it.members_at_start,
        "members_now": it.members_now,
        "members_dropped": it.members_dropped,
        "members_female": "",
        "members_male": "",
        "attendance_rate": ratio(it.present, it.expected),
        "savings_value": it.savings,
        "savings_per_member": it.savings // it.members_now if it.members_now else "",
        "loans_disbursed_count": it.disbursed_count,
        "loans_disbursed_value": it.disbursed_value,
        "loans_outstanding_count": it.outstanding_count,
        "loans_outstanding_value": it.outstanding,
        "loans_past_due_value": it.past_due,
        "loans_past_due_30_value": it.past_due_30,
        "par30": ratio(it.past_due_30, it.outstanding) if it.outstanding else "0.0000",
        "write_offs_value": 0,
        "cash_loan_fund": it.loan_cash,
        "cash_social_fund": it.social_cash,
        "property_value": 0,
        "external_debt": 0,
        "net_worth": it.net_worth,
        "loan_fund_utilisation": ratio(it.outstanding, it.outstanding + it.loan_cash),
        "dropout_rate": ratio(it.members_dropped, it.members_at_start),
        "return_on_savings": f"{ros:.4f}" if ros is not None else "",
        "annualised_return_on_savings": (
            f"{ros * 365 / it.days:.4f}" if ros is not None and it.days > 0 else ""
        ),
        "share_out_date": paid.held_on.isoformat() if paid else "",
        "share_out_value": paid.distributable if paid else "",
    }


def rows(session: Session, day: date, district: str | None = None) -> list[dict[str, object]]:
    """Every group's row at `day`, by district and name."""
    query = (
        select(Vsla)
        .join(Sector, Sector.id == Vsla.sector_id)
        .join(District, District.id == Sector.district_id)
    )
    if district:
        query = query.where(District.name.ilike(district))
    found = []
    for vsla in session.scalars(query.order_by(District.name, Vsla.name)):
        line = row(session, vsla, day)
        if line is not None:
            found.append(line)
    return found


def district_totals(session: Session, day: date) -> dict[str, dict[str, object]]:
    """Per district, the ratios from summed items (never averages of ratios)."""
    sums: dict[str, Items] = {}
    for vsla in session.scalars(select(Vsla)):
        cycle = cycle_at(session, vsla.id, day)
        if cycle is None:
            continue
        sector = session.get(Sector, vsla.sector_id)
        district = session.get(District, sector.district_id) if sector else None
        name = district.name if district else "-"
        add = items(session, cycle, day)
        total = sums.setdefault(name, Items())
        for key, value in asdict(add).items():
            setattr(total, key, getattr(total, key) + value)
    return {
        name: {
            "attendance_rate": ratio(it.present, it.expected),
            "savings_per_member": it.savings // it.members_now if it.members_now else "",
            "loan_fund_utilisation": ratio(it.outstanding, it.outstanding + it.loan_cash),
            "par30": ratio(it.past_due_30, it.outstanding) if it.outstanding else "0.0000",
            "dropout_rate": ratio(it.members_dropped, it.members_at_start),
            "return_on_savings": ratio(it.net_worth - it.savings, it.savings),
        }
        for name, it in sorted(sums.items())
    }
