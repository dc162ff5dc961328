"""The savings-groups section: each group's rules, members with their balances, meetings with
their entries, loans; SAVIX per district and its CSV."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from freezegun import freeze_time
from sqlalchemy import select
from support import factories as make
from support.console import add_staff, csrf_token, sign_in
from support.sms import post_sms, texts_to

from models import (
    Attendance,
    Channel,
    ChargeMode,
    Cycle,
    CycleStatus,
    Dispute,
    DisputeStatus,
    FineKind,
    Language,
    LedgerEntry,
    LedgerKind,
    Loan,
    LoanStatus,
    Meeting,
    Officer,
    Person,
    ShareOut,
    ShareOutStatus,
    Vsla,
    VslaOffice,
)
from services import book_loans, constitution, meetings
from services.book_ledger import Actor

DAY = date(2026, 1, 5)


def _group(context) -> None:  # type: ignore[no-untyped-def]
    with context.db.session() as s:
        group = make.vsla(s, "Twiyubake", meeting_day=0, share_value=200)
        people = [
            make.person(s, f"+2507881004{n:02d}", name, vsla=group)
            for n, name in enumerate(["Mukamana Claire", "Habimana Jean", "Uwimana Jeanne"])
        ]
        constitution.set_offices(s, people[0], {VslaOffice.CHAIRPERSON})
        constitution.set_offices(s, people[1], {VslaOffice.SECRETARY})
        constitution.set_rules(
            s,
            group,
            {
                "starts_on": DAY,
                "planned_share_out_on": date(2026, 6, 1),
                "share_value": 200,
                "social_fund_per_meeting": 100,
            },
        )
        actor = Actor(people[1].id, Channel.WEB)
        meeting = meetings.open_(s, context.settings, group, DAY, actor)
        for person, shares in zip(people, (5, 4, 3), strict=True):
            entry = meetings.EntryInput(Attendance.PRESENT, shares=shares, social_fund=100)
            meetings.record(s, meeting, person, entry, actor)
        loan = book_loans.request(s, context.settings, meeting, people[2], 1000, 1, actor)
        book_loans.approve(s, context.settings, loan, people[0], Actor(people[0].id, Channel.WEB))
        meetings.close(s, context.settings, meeting, actor)


def test_the_savings_groups_pages_show_the_books(context, client) -> None:
    _group(context)
    add_staff(context)
    assert sign_in(client).status_code == 302
    listing = client.get("/console/vslas").get_data(as_text=True)
    assert "Twiyubake" in listing and "Rubavu" in listing
    with context.db.session() as s:
        vsla_id = s.scalar(select(Person.vsla_id).where(Person.name == "Uwimana Jeanne"))
    page = client.get(f"/console/vslas/{vsla_id}").get_data(as_text=True)
    assert "Uwimana Jeanne" in page and "1000 + 100" in page  # the loan and its charge
    assert "<td>1</td><td><a" in page  # members by list number
    assert "<b>1400</b>" in page and "<b>1100</b>" in page  # loan fund 2,400 - 1,000; owed
    csv_text = client.get("/console/vslas/savix.csv").get_data(as_text=True)
    header, row = csv_text.splitlines()[:2]
    assert header.startswith("report_date,district,sector,group_id,group_name")
    assert ",Twiyubake," in row


def test_staff_digitise_a_paper_meeting_with_the_same_entry(context, client) -> None:
    _group(context)
    add_staff(context)
    assert sign_in(client).status_code == 302
    with context.db.session() as s:
        jeanne = s.scalar(select(Person).where(Person.name == "Uwimana Jeanne"))
        vsla_id, person_id = jeanne.vsla_id, jeanne.id
    opened = client.post(
        f"/console/vslas/{vsla_id}/meetings",
        data={"csrf_token": csrf_token(client, "/console/vslas"), "date": "2026-01-12"},
    )
    assert opened.status_code == 302
    meeting_page = opened.headers["Location"]
    form = {
        "csrf_token": csrf_token(client, "/console/vslas"),
        "person_id": person_id,
        "attendance": "present",
    }
    bad = client.post(f"{meeting_page}/entries", data={**form, "shares": "9"})
    assert bad.status_code == 302
    assert "Type 0 or 1 to 5." in client.get(meeting_page).get_data(as_text=True)
    client.post(
        f"{meeting_page}/entries",
        data={**form, "shares": "2", "social_fund": "100", "repayment": "1,100"},
    )
    page = client.get(meeting_page).get_data(as_text=True)
    assert "<td>Uwimana Jeanne</td><td>present</td><td>2</td><td>100</td><td>1100</td>" in page
    client.post(f"{meeting_page}/close", data={"csrf_token": csrf_token(client, "/console/vslas")})
    (receipt,) = texts_to(context, "+250788100402", "vsla_receipt")[1:]
    assert receipt.startswith("Twiyubake 12/01/2026\nImigabane +2 = 5 (1,000 Frw)")
    assert "Inguzanyo -1,100 = 0" in receipt


def _post(client, path: str, **form: object):  # type: ignore[no-untyped-def]
    return client.post(path, data={**form, "csrf_token": csrf_token(client, "/console/vslas")})


def test_staff_write_the_rules_and_the_officers_until_the_first_meeting(context, client) -> None:
    with context.db.session() as s:
        group = make.vsla(s, "Abishyizehamwe", share_value=0)
        a = make.person(s, "+250788100501", "Mukamana Claire", vsla=group)
        b = make.person(s, "+250788100502", "Habimana Jean", vsla=group)
        outsider = make.person(s, "+250788100503", "Uwase Aline")
        vsla_id, a_id, b_id, out_id = group.id, a.id, b.id, outsider.id
    add_staff(context)
    assert sign_in(client).status_code == 302
    page = f"/console/vslas/{vsla_id}"
    rules = {
        "share_value": "300",
        "shares_max": "4",
        "social_fund": "200",
        "charge_mode": "monthly",
        "charge_rate": "2.5",
        "fine_late": "100",
        "cycle_start": "2026-01-05",
        "share_out_date": "2026-06-01",
        "social_fund_shared": "yes",
    }
    assert _post(client, f"{page}/rules", **rules).status_code == 302
    assert "The rules are saved." in client.get(page).get_data(as_text=True)
    with context.db.session() as s:
        cycle = s.scalar(select(Cycle).where(Cycle.vsla_id == vsla_id))
        assert (cycle.number, cycle.status, cycle.share_value, cycle.shares_max) == (
            1,
            CycleStatus.OPEN,
            300,
            4,
        )
        assert (cycle.charge_mode, cycle.charge_rate_bp, cycle.social_fund_per_meeting) == (
            ChargeMode.MONTHLY,
            250,
            200,
        )
        assert (cycle.starts_on, cycle.planned_share_out_on) == (DAY, date(2026, 6, 1))
        assert cycle.social_fund_shared and cycle.fine_late == 100
        assert s.get(Vsla, vsla_id).share_value == 300
    shown = client.get(page).get_data(as_text=True)
    assert 'name="charge_rate" value="2.5"' in shown
    assert 'name="cycle_start" value="2026-01-05"' in shown
    _post(client, f"{page}/rules", shares_max="11")
    assert "These rules break the limits" in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/rules", charge_rate="twelve")
    assert "is not a percentage, e.g. 10 or 2.5" in client.get(page).get_data(as_text=True)

    # officers: one secretary per group (the previous one steps down), several money counters
    _post(client, f"{page}/officers", person_id=a_id, office=["secretary", "money_counter"])
    _post(client, f"{page}/officers", person_id=b_id, office=["secretary", "chairperson"])
    _post(client, f"{page}/officers", person_id=out_id, office=["treasurer"])
    assert "Only a member of a group" in client.get(page).get_data(as_text=True)
    with context.db.session() as s:
        rows = s.scalars(select(Officer).where(Officer.vsla_id == vsla_id))
        held = {(o.office, o.person_id) for o in rows}
    assert held == {
        (VslaOffice.MONEY_COUNTER, a_id),
        (VslaOffice.SECRETARY, b_id),
        (VslaOffice.CHAIRPERSON, b_id),
    }

    # once the cycle has a meeting its rules are fixed: no form, a change is refused
    with context.db.session() as s:
        group, secretary = s.get(Vsla, vsla_id), s.get(Person, b_id)
        meetings.open_(s, context.settings, group, DAY, Actor(secretary.id, Channel.USSD))
    assert 'name="charge_rate"' not in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/rules", share_value="500")
    assert "The rules are fixed for the cycle" in client.get(page).get_data(as_text=True)
    with context.db.session() as s:
        assert s.scalar(select(Cycle.share_value).where(Cycle.vsla_id == vsla_id)) == 300


def test_a_disputed_receipt_found_right_is_closed_and_the_member_texted(context, client) -> None:
    _group(context)
    add_staff(context)
    with freeze_time("2026-01-06 08:00:00"):
        assert sign_in(client).status_code == 302
        assert post_sms(client, "+250788100402", "WRONG nari naguze 4").status_code == 200
        with context.db.session() as s:
            dispute = s.scalar(select(Dispute))
            vsla_id, dispute_id = dispute.vsla_id, dispute.id
        page = f"/console/vslas/{vsla_id}"
        assert "no-mistake" in client.get(page).get_data(as_text=True)
        done = _post(client, f"{page}/disputes/{dispute_id}/no-mistake", note="book says 3")
        assert done.status_code == 302
        shown = client.get(page).get_data(as_text=True)
        assert "(rejected: book says 3)" in shown and "no-mistake" not in shown
        told = texts_to(context, "+250788100402", "vsla_notice")
        assert told[-1] == (
            "Twiyubake 05/01/2026: umunyamabanga yasuzumye inyemezabwishyu yawe, nta kosa "
            "ririmo. Ibibazo: baza perezida."
        )
        _post(client, f"{page}/disputes/{dispute_id}/no-mistake", note="again")
        assert "This dispute is already settled." in client.get(page).get_data(as_text=True)
    with context.db.session() as s:
        dispute = s.get(Dispute, dispute_id)
        assert (dispute.status, dispute.note) == (DisputeStatus.REJECTED, "book says 3")
        assert dispute.resolved_at is not None
    assert texts_to(context, "+250788100402", "vsla_notice") == told  # no second SMS


def _debtor_group(context, shared: bool, name: str = "Twiyubake") -> tuple[int, dict[str, int]]:  # type: ignore[no-untyped-def]
    """Three members buy 10, 20 and 30 shares of 100 Frw over three meetings and pay 100 Frw of
    social fund each time (900); the treasurer borrows 3,000 for a month at flat 10% (charge
    300) and repays 2,300 (the charge, then 2,000 of principal); the chairperson pays a 100 Frw
    fine. She still owes 1,000 at share-out."""
    with context.db.session() as s:
        group = make.vsla(s, name, meeting_day=0, share_value=100)
        chair, secretary, treasurer = (
            make.person(s, f"+25078810060{n}", name, vsla=group, language=lang)
            for n, name, lang in (
                (1, "Mukamana Claire", Language.RW),
                (2, "Habimana Jean", Language.RW),
                (3, "Ingabire Grace", Language.EN),
            )
        )
        for who, office in (
            (chair, VslaOffice.CHAIRPERSON),
            (secretary, VslaOffice.SECRETARY),
            (treasurer, VslaOffice.TREASURER),
        ):
            constitution.set_offices(s, who, {office})
        rules = {
            "starts_on": DAY,
            "planned_share_out_on": date(2026, 2, 9),
            "share_value": 100,
            "shares_max": 10,
            "social_fund_per_meeting": 100,
            "social_fund_shared": shared,
        }
        constitution.set_rules(s, group, rules)
        actor = Actor(secretary.id, Channel.USSD)
        plan = (
            {chair: (5, 0, 0), secretary: (10, 0, 0), treasurer: (10, 0, 0)},
            {chair: (5, 0, 0), secretary: (10, 0, 0), treasurer: (10, 0, 0)},
            {chair: (0, 0, 100), secretary: (0, 0, 0), treasurer: (10, 2_300, 0)},
        )
        for week, entries in enumerate(plan):
            meeting = meetings.open_(s, context.settings, group, DAY + timedelta(weeks=week), actor)
            for person, (shares, repaid, fine) in entries.items():
                values = meetings.EntryInput(
                    Attendance.PRESENT,
                    shares=shares,
                    social_fund=100,
                    repayment=repaid,
                    fine=fine,
                    fine_kind=FineKind.OTHER if fine else None,
                )
                meetings.record(s, meeting, person, values, actor)
            if week == 1:
                loan = book_loans.request(s, context.settings, meeting, treasurer, 3_000, 1, actor)
                book_loans.approve(
                    s, context.settings, loan, chair, Actor(chair.id, Channel.USSD)
                )
            meetings.close(s, context.settings, meeting, actor)
        ids = {"chair": chair.id, "secretary": secretary.id, "treasurer": treasurer.id}
        return group.id, ids


@pytest.mark.parametrize(
    ("shared", "per_share", "lines", "social_line"),
    [
        # D = savings 6,000 + charge 300 + fine 100 = 6,400 over S = 60 shares;
        # gross = shares x 6,400 // 60; 1,066 + 2,133 + 3,200 = 6,399: 1 Frw stays (R)
        (False, "106.67", ((10, 1_066, 0), (20, 2_133, 0), (30, 3_200, 1_000)), 900),
        # the rules share the social fund: D = 6,400 + 900 = 7,300; 1,216 + 2,433 + 3,650 = 7,299
        (True, "121.67", ((10, 1_216, 0), (20, 2_433, 0), (30, 3_650, 1_000)), 0),
    ],
)
def test_share_out_in_the_console_deducts_a_debt_and_shares_the_social_fund_if_the_rules_say(
    context, client, shared, per_share, lines, social_line
) -> None:
    vsla_id, ids = _debtor_group(context, shared)
    add_staff(context)
    page = f"/console/vslas/{vsla_id}"
    with freeze_time("2026-02-09 08:00:00"):
        assert sign_in(client).status_code == 302
        with context.db.session() as s:
            loan_id = s.scalar(select(Loan.id))
        schedule = client.get(f"{page}/loans/{loan_id}").get_data(as_text=True)
        assert (
            "<td>1</td><td>09/02/2026</td><td>3000</td><td>300</td><td>2300</td><td>1000</td>"
            in schedule
        )
        _post(client, f"{page}/share-out", step="draft")
        _post(client, f"{page}/share-out", step="approve", officer_id=ids["chair"])
        _post(client, f"{page}/share-out", step="approve", officer_id=ids["chair"])
        assert "approve, once each" in client.get(page).get_data(as_text=True)
        _post(client, f"{page}/share-out", step="approve", officer_id=ids["secretary"])
        _post(client, f"{page}/share-out", step="pay", officer_id=ids["secretary"])
        assert "Only the chairperson or the treasurer pays out." in client.get(page).get_data(
            as_text=True
        )
        with context.db.session() as s:
            assert s.scalar(select(ShareOut.status)) is ShareOutStatus.APPROVED
        _post(client, f"{page}/share-out", step="pay", officer_id=ids["chair"])
    with context.db.session() as s:
        paid = s.scalar(select(ShareOut))
        assert (paid.status, paid.total_shares, paid.remainder) == (ShareOutStatus.PAID, 60, 1)
        assert paid.distributable == sum(gross for _, gross, _ in lines) + 1
        got = {x.person_id: (x.shares, x.gross, x.debt, x.payout) for x in paid.lines}
        want = zip((ids["chair"], ids["secretary"], ids["treasurer"]), lines, strict=True)
        assert got == {pid: (n, gross, debt, gross - debt) for pid, (n, gross, debt) in want}
        assert s.scalar(select(Loan.status)) is LoanStatus.SETTLED
        cycles = s.scalars(select(Cycle).order_by(Cycle.number)).all()
        assert meetings.cash(s, cycles[0].id) == (0, 0)  # every franc of cycle 1 accounted for
        assert meetings.cash(s, cycles[1].id) == (1, social_line)
    gross = lines[2][1]
    stays = f"\nSocial fund {social_line:,} stays in the group" if social_line else ""
    assert texts_to(context, "+250788100603", "vsla_share_out") == [
        f"Twiyubake share-out 09/02/2026\n30 shares x {per_share} = {gross:,} Frw\n"
        f"Loan -1,000\nYou receive {gross - 1_000:,} Frw{stays}"
    ]


def test_a_member_leaving_mid_cycle_gets_their_savings_less_their_loan(context, client) -> None:
    _group(context)  # Uwimana Jeanne saved 3 shares (600 Frw) and owes 1,100
    vsla_id, ids = _debtor_group(context, shared=False, name="Dufatanye")
    add_staff(context)
    with context.db.session() as s:
        jeanne = s.scalar(select(Person).where(Person.name == "Uwimana Jeanne"))
        other, jeanne_id = jeanne.vsla_id, jeanne.id
    with freeze_time("2026-01-20 08:00:00"):
        assert sign_in(client).status_code == 302
        _post(client, f"/console/vslas/{other}/members/{jeanne_id}/leave")
        assert "owes 1,100 Frw, more than their savings 600 Frw: collect it first." in client.get(
            f"/console/vslas/{other}"
        ).get_data(as_text=True)
        # Grace saved 30 shares (3,000 Frw) and owes 1,000 of her loan: she gets 2,000
        page = f"/console/vslas/{vsla_id}"
        assert _post(client, f"{page}/members/{ids['treasurer']}/leave").status_code == 302
        shown = client.get(page).get_data(as_text=True)
        assert "Ingabire Grace left the group and receives 2000 Frw." in shown
    assert texts_to(context, "+250788100603", "vsla_left") == [
        "Dufatanye 20/01/2026: you leave the group. 30 shares = 3,000 Frw, loan -1,000: "
        "you receive 2,000 Frw. The social fund stays with the group."
    ]
    with context.db.session() as s:
        grace = s.get(Person, ids["treasurer"])
        assert grace.vsla_id is None and s.scalar(select(Loan.status).where(
            Loan.person_id == grace.id
        )) is LoanStatus.SETTLED
        assert not s.scalars(select(Officer).where(Officer.person_id == grace.id)).all()
        rows = s.execute(
            select(LedgerEntry.kind, LedgerEntry.amount)
            .where(LedgerEntry.person_id == grace.id, LedgerEntry.date == date(2026, 1, 20))
            .order_by(LedgerEntry.id)
        ).all()
        assert rows == [(LedgerKind.REPAYMENT, 1_000), (LedgerKind.SHARE_OUT, 3_000)]
        cycle = s.scalar(select(Cycle).where(Cycle.vsla_id == vsla_id))
        # 5,400 in the box + her 1,000 repaid - her 3,000 savings; the social fund untouched
        assert meetings.cash(s, cycle.id) == (3_400, 900)
    # at share-out her shares are not counted: D = 3,400 over the 30 shares left
    with freeze_time("2026-02-09 08:00:00"):
        assert sign_in(client).status_code == 302
        _post(client, f"{page}/share-out", step="draft")
        assert "<p>3400 / 30 " in client.get(page).get_data(as_text=True)


def test_social_fund_help_and_group_expenses_come_out_of_their_boxes(context, client) -> None:
    _group(context)  # after 05/01: loan box 1,400 (2,400 saved, 1,000 lent), social box 300
    add_staff(context)
    assert sign_in(client).status_code == 302
    with context.db.session() as s:
        jean = s.scalar(select(Person).where(Person.name == "Habimana Jean"))
        vsla_id, jean_id = jean.vsla_id, jean.id
    opened = _post(client, f"/console/vslas/{vsla_id}/meetings", date="2026-01-12")
    page = opened.headers["Location"]
    help_ = {"kind": "social_payout", "person_id": jean_id, "note": "funeral"}
    _post(client, f"{page}/spend", **help_, amount="400")
    assert "The social fund box has only 300 Frw." in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/spend", **help_, amount="200")
    _post(client, f"{page}/spend", kind="expense", amount="1,500", note="ledger book")
    assert "The loan fund box has only 1,400 Frw." in client.get(page).get_data(as_text=True)
    _post(client, f"{page}/spend", kind="expense", amount="500", note="ledger book")
    shown = client.get(page).get_data(as_text=True)
    assert "Social fund help: 200 · Expenses: 500 · Loan fund: 900 · Social fund: 100" in shown
    assert texts_to(context, "+250788100401", "vsla_notice")[-1] == (
        "Twiyubake 12/01/2026: ikigega cy'ingoboka kiguhaye 200 Frw."
    )
    _post(client, f"{page}/close")
    with context.db.session() as s:
        held = s.scalar(select(Meeting).where(Meeting.held_on == date(2026, 1, 12)))
        assert (held.closing_loan_cash, held.closing_social_cash) == (900, 100)
        rows = s.execute(
            select(LedgerEntry.kind, LedgerEntry.person_id, LedgerEntry.amount, LedgerEntry.note)
            .where(LedgerEntry.meeting_id == held.id)
            .order_by(LedgerEntry.id)
        ).all()
    assert rows == [
        (LedgerKind.SOCIAL_PAYOUT, jean_id, 200, "funeral"),
        (LedgerKind.EXPENSE, None, 500, "ledger book"),
    ]
