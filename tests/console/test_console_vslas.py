"""The savings-groups section: each group's rules, members with their balances, meetings with
their entries, loans; SAVIX per district and its CSV."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from support import factories as make
from support.console import add_staff, csrf_token, sign_in
from support.sms import texts_to

from models import Attendance, Channel, Person, VslaOffice
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
