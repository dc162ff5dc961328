"""Savings groups: each group's constitution, officers, members with their balances, meetings
with their entries, loans and disputes, the share-out working; SAVIX per district and the CSV
of the SAVIX data items. Read from the same services as USSD and SMS."""

from __future__ import annotations

import csv
import io
from datetime import date

from flask import Response, flash, redirect, render_template, request, url_for
from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError

from console import bp
from console.web import _, context, db, get_or_404, lang, staff
from locales import N_, translate
from locales.formatting import to_local
from models import (
    Attendance,
    Channel,
    Cycle,
    Dispute,
    DisputeStatus,
    FineKind,
    LedgerKind,
    Loan,
    Meeting,
    MeetingEntry,
    Officer,
    Person,
    ShareOut,
    Vsla,
    VslaOffice,
    balances,
    utcnow,
)
from models.books import dues, loan_paid
from services import constitution, disputes, group_books, meetings, savix
from services import share_out as sharing
from services.book_ledger import Actor, BookError
from spreadsheets import cells
from spreadsheets.vslas import RULE_COLUMNS

NOT_A_NUMBER = N_("{field}: write a whole number of francs.")
BAD_RULES = N_("These rules break the limits: 0-10 shares, rate 0-50%, share-out after the start.")


def _today() -> date:
    return to_local(utcnow(), context().settings.tz).date()


@bp.get("/vslas")
def vslas() -> str:
    day = _today()
    session = db()
    open_disputes = dict(
        session.execute(
            select(Dispute.vsla_id, func.count(Dispute.id))
            .where(Dispute.status == DisputeStatus.OPEN)
            .group_by(Dispute.vsla_id)
        ).all()
    )
    groups = []
    for row in savix.rows(session, day):
        row["open_disputes"] = open_disputes.get(row["group_id"], 0)
        groups.append(row)
    return render_template(
        "console/vslas.html", groups=groups, districts=savix.district_totals(session, day), day=day
    )


@bp.get("/vslas/savix.csv")
def vslas_savix_csv() -> Response:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=savix.COLUMNS, lineterminator="\n")
    writer.writeheader()
    writer.writerows(savix.rows(db(), _today()))
    return Response(
        out.getvalue(),
        mimetype="text/csv",
        headers={"Content-Disposition": "attachment; filename=savix.csv"},
    )


@bp.get("/vslas/<int:vsla_id>")
def vsla(vsla_id: int) -> str:
    session = db()
    group = get_or_404(Vsla, vsla_id)
    day = _today()
    cycle = constitution.live(session, group.id)
    members = []
    if cycle is not None:
        for member in constitution.sync_members(session, cycle, day):
            person = session.get(Person, member.person_id)
            assert person is not None
            money = balances(session, person.id, day)
            today = group_books.if_today(session, person, day)
            members.append((member.number, person, money, today))
    officers = session.execute(
        select(Officer.office, Person).join(Person).where(Officer.vsla_id == group.id)
    ).all()
    held = session.scalars(
        select(Meeting).where(Meeting.vsla_id == group.id).order_by(Meeting.held_on.desc())
    ).all()
    loans = session.scalars(
        select(Loan).where(Loan.vsla_id == group.id).order_by(Loan.id.desc())
    ).all()
    disputes = session.scalars(
        select(Dispute).where(Dispute.vsla_id == group.id).order_by(Dispute.id.desc())
    ).all()
    share_out = (
        session.scalar(select(ShareOut).where(ShareOut.cycle_id == cycle.id)) if cycle else None
    )
    totals = group_books.group_totals(session, group.id, day)
    listed = session.scalars(
        select(Person).where(Person.vsla_id == group.id).order_by(Person.name)
    ).all()
    return render_template(
        "console/vsla.html",
        people=listed,
        offices=list(VslaOffice),
        rule_values=_rule_values(cycle),
        editable=cycle is None or not constitution.has_meetings(session, cycle),
        approvers=constitution.officers(session, group.id, *sharing.APPROVERS),
        payers=constitution.officers(session, group.id, *sharing.PAYERS),
        group=group,
        cycle=cycle,
        members=members,
        officers=officers,
        meetings=held,
        loans=loans,
        disputes=disputes,
        share_out=share_out,
        totals=totals,
    )


def _rule_values(cycle: Cycle | None) -> list[tuple[str, str]]:
    """The rules form's fields as the import columns name them, filled from the cycle."""
    out = []
    for name, _parse, field in (("share_value", None, "share_value"), *RULE_COLUMNS):
        value = getattr(cycle, field) if cycle is not None else None
        if field == "charge_rate_bp" and value is not None:
            value = f"{value / 100:g}"
        elif isinstance(value, bool):
            value = "yes" if value else "no"
        out.append((name, "" if value is None else str(value)))
    return out


@bp.get("/vslas/<int:vsla_id>/meetings/<int:meeting_id>")
def vsla_meeting(vsla_id: int, meeting_id: int) -> str:
    session = db()
    meeting = get_or_404(Meeting, meeting_id)
    if meeting.vsla_id != vsla_id:
        return get_or_404(Meeting, 0)  # type: ignore[return-value]
    entries = session.execute(
        select(MeetingEntry, Person)
        .join(Person, Person.id == MeetingEntry.person_id)
        .where(MeetingEntry.meeting_id == meeting.id)
        .order_by(Person.name)
    ).all()
    listed = [
        (m.number, session.get(Person, m.person_id)) for m in meetings.members(session, meeting)
    ]
    return render_template(
        "console/vsla_meeting.html",
        group=session.get(Vsla, vsla_id),
        meeting=meeting,
        entries=entries,
        listed=listed,
        totals=meetings.totals(session, meeting),
    )


# -- the same meeting entry for staff who digitise paper books ------------------------------


def _actor() -> Actor:
    return Actor(staff().person_id, Channel.WEB)


def _amount(name: str) -> int:
    value = (request.form.get(name) or "0").replace(",", "").strip()
    if not value.isdigit():
        raise BookError(NOT_A_NUMBER, field=name)
    return int(value)


@bp.post("/vslas/<int:vsla_id>/meetings")
def vsla_meeting_open(vsla_id: int):  # type: ignore[no-untyped-def]
    group = get_or_404(Vsla, vsla_id)
    try:
        day = date.fromisoformat(request.form.get("date", ""))
        meeting = meetings.open_(db(), context().settings, group, day, _actor())
    except ValueError:
        flash(_("Give the date of the meeting."))
        return redirect(url_for("console.vsla", vsla_id=group.id))
    except BookError as error:
        db().rollback()
        flash(translate(lang(), error.code, **error.values))
        return redirect(url_for("console.vsla", vsla_id=group.id))
    db().commit()
    return redirect(url_for("console.vsla_meeting", vsla_id=group.id, meeting_id=meeting.id))


@bp.post("/vslas/<int:vsla_id>/meetings/<int:meeting_id>/entries")
def vsla_meeting_entry(vsla_id: int, meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_or_404(Meeting, meeting_id)
    person = get_or_404(Person, int(request.form.get("person_id") or 0))
    back = redirect(url_for("console.vsla_meeting", vsla_id=vsla_id, meeting_id=meeting.id))
    try:
        fine = _amount("fine")
        values = meetings.EntryInput(
            Attendance(request.form.get("attendance", "present")),
            shares=_amount("shares"),
            social_fund=_amount("social_fund"),
            repayment=_amount("repayment"),
            fine=fine,
            fine_kind=FineKind.OTHER if fine else None,
        )
        meetings.record(db(), meeting, person, values, _actor())
    except BookError as error:
        db().rollback()
        flash(f"{person.name}: {translate(lang(), error.code, **error.values)}")
        return back
    db().commit()
    flash(_("%(name)s saved.", name=person.name))
    return back


@bp.post("/vslas/<int:vsla_id>/meetings/<int:meeting_id>/close")
def vsla_meeting_close(vsla_id: int, meeting_id: int):  # type: ignore[no-untyped-def]
    meeting = get_or_404(Meeting, meeting_id)
    sent = meetings.close(db(), context().settings, meeting, _actor())
    db().commit()
    flash(_("Meeting closed. Receipts by SMS: %(n)s.", n=sent))
    return redirect(url_for("console.vsla_meeting", vsla_id=vsla_id, meeting_id=meeting.id))


def _back(vsla_id: int):  # type: ignore[no-untyped-def]
    return redirect(url_for("console.vsla", vsla_id=vsla_id))


def _refused(error: BookError, vsla_id: int):  # type: ignore[no-untyped-def]
    db().rollback()
    flash(translate(lang(), error.code, **error.values))
    return _back(vsla_id)


@bp.post("/vslas/<int:vsla_id>/rules")
def vsla_rules(vsla_id: int):  # type: ignore[no-untyped-def]
    """The live cycle's constitution, editable until its first meeting."""
    group = get_or_404(Vsla, vsla_id)
    rules: dict[str, object] = {}
    parsers = [("share_value", cells.whole, "share_value"), *RULE_COLUMNS]
    for name, parse, field in parsers:
        raw = (request.form.get(name) or "").strip()
        if not raw:
            continue
        try:
            rules[field] = parse(raw)
        except ValueError as error:
            flash(f"{name}: {error}")
            return _back(group.id)
    try:
        constitution.set_rules(db(), group, rules)
        db().commit()
    except BookError as error:
        return _refused(error, group.id)
    except IntegrityError:
        db().rollback()
        flash(translate(lang(), BAD_RULES))
        return _back(group.id)
    flash(_("The rules are saved."))
    return _back(group.id)


@bp.post("/vslas/<int:vsla_id>/officers")
def vsla_officers(vsla_id: int):  # type: ignore[no-untyped-def]
    """Give one member exactly the offices ticked (a chairperson, secretary or treasurer
    replaces the previous holder)."""
    group = get_or_404(Vsla, vsla_id)
    person = get_or_404(Person, int(request.form.get("person_id") or 0))
    if person.vsla_id != group.id:
        return _refused(BookError(constitution.NOT_A_MEMBER), group.id)
    wanted = {VslaOffice(v) for v in request.form.getlist("office") if v in set(VslaOffice)}
    constitution.set_offices(db(), person, wanted)
    db().commit()
    flash(_("%(name)s saved.", name=person.name))
    return _back(group.id)


@bp.post("/vslas/<int:vsla_id>/disputes/<int:dispute_id>/no-mistake")
def vsla_dispute_no_mistake(vsla_id: int, dispute_id: int):  # type: ignore[no-untyped-def]
    dispute = get_or_404(Dispute, dispute_id)
    if dispute.vsla_id != vsla_id:
        return get_or_404(Dispute, 0)
    try:
        disputes.no_mistake(db(), context().settings, dispute, request.form.get("note", ""))
    except BookError as error:
        return _refused(error, vsla_id)
    db().commit()
    flash(_("The member is told by SMS."))
    return _back(vsla_id)


def _officer(vsla_id: int) -> Person:
    person = get_or_404(Person, int(request.form.get("officer_id") or 0))
    if person.vsla_id != vsla_id:
        raise BookError(constitution.NOT_A_MEMBER)
    return person


@bp.post("/vslas/<int:vsla_id>/share-out")
def vsla_share_out(vsla_id: int):  # type: ignore[no-untyped-def]
    """Share-out in the console: the draft, each officer's approval as they gave it (two
    different officers, as on USSD), then paid out by the chairperson or the treasurer."""
    group = get_or_404(Vsla, vsla_id)
    session, step = db(), request.form.get("step", "draft")
    try:
        if step == "draft":
            sharing.draft(session, group.id, _today())
        else:
            found = sharing.open_share_out(session, group.id)
            if found is None:
                raise BookError(sharing.NOT_READY)
            if step == "approve":
                sharing.approve(session, found, _officer(group.id), _today())
            else:
                sharing.pay(session, context().settings, found, _officer(group.id), _actor())
    except BookError as error:
        return _refused(error, group.id)
    session.commit()
    return _back(group.id)


@bp.get("/vslas/<int:vsla_id>/loans/<int:loan_id>")
def vsla_loan(vsla_id: int, loan_id: int) -> str:
    """A loan's schedule: each instalment with what is paid and what is left on it."""
    loan = get_or_404(Loan, loan_id)
    if loan.vsla_id != vsla_id:
        return get_or_404(Loan, 0)  # type: ignore[return-value]
    paid = loan_paid(db(), loan.id)
    rows = []
    for due in dues(loan):
        covered = min(due.total, max(paid, 0))
        paid -= covered
        rows.append((due, covered, due.total - covered))
    return render_template(
        "console/vsla_loan.html", group=get_or_404(Vsla, vsla_id), loan=loan, rows=rows
    )


@bp.post("/vslas/<int:vsla_id>/members/<int:person_id>/leave")
def vsla_member_leaves(vsla_id: int, person_id: int):  # type: ignore[no-untyped-def]
    """A member leaves mid-cycle: their savings back, less their loan, by the stated policy."""
    person = get_or_404(Person, person_id)
    if person.vsla_id != vsla_id:
        return _refused(BookError(sharing.NOT_LISTED, name=person.name), vsla_id)
    try:
        payout = sharing.leave(db(), context().settings, person, _today(), _actor())
    except BookError as error:
        return _refused(error, vsla_id)
    db().commit()
    flash(_("%(name)s left the group and receives %(n)s Frw.", name=person.name, n=payout))
    return _back(vsla_id)


@bp.post("/vslas/<int:vsla_id>/meetings/<int:meeting_id>/spend")
def vsla_meeting_spend(vsla_id: int, meeting_id: int):  # type: ignore[no-untyped-def]
    """Social-fund help to a member, or a group expense, at the open meeting."""
    meeting = get_or_404(Meeting, meeting_id)
    back = redirect(url_for("console.vsla_meeting", vsla_id=vsla_id, meeting_id=meeting.id))
    wanted = request.form.get("kind")
    kind = next((k for k in (LedgerKind.SOCIAL_PAYOUT, LedgerKind.EXPENSE) if k == wanted), None)
    if kind is None or meeting.vsla_id != vsla_id:
        return get_or_404(Meeting, 0)
    person = db().get(Person, int(request.form.get("person_id") or 0))
    try:
        amount = _amount("amount")
        note = request.form.get("note", "")
        meetings.spend(db(), context().settings, meeting, kind, amount, _actor(), person, note)
    except BookError as error:
        db().rollback()
        flash(translate(lang(), error.code, **error.values))
        return back
    db().commit()
    flash(_("Saved."))
    return back
