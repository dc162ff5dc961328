"""A field officer follows up their district by phone: closes absence cases (justified, or by
giving the place to the oldest waiting member of the trade), and records a registration step
they saw, which every member of the cooperative hears of once."""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select
from support import factories as f
from support.field import ALICE, FO_MUSANZE, build_field_world
from support.sms import (
    FIELD_OFFICER,
    MEMBER,
    TRAINER_EN,
    TRAINER_RW,
    dm,
    last_reply,
    person,
    post_sms,
    sent_to,
    texts_to,
    trainee,
)

from locales.formatting import format_weekday_date
from models import (
    AbsenceCase,
    AbsenceReason,
    CaseStatus,
    Language,
    Role,
    Stage,
    StageChange,
    TraineeStatus,
    TvetRequest,
    TvetRequestStatus,
    utcnow,
)
from models.at_risk import monday
from services.attendance import CaseError, alert_open_cases
from services.reminder_rules import TRAINING_TOMORROW
from services.reminders import queue_due
from services.tvet import replace


@pytest.fixture
def field(context):  # type: ignore[no-untyped-def]
    return build_field_world(context)


def open_a_case(client, today: date) -> date:  # type: ignore[no-untyped-def]
    """T0042 absent every reported day of two weeks: a case opens. Returns its first day."""
    m = monday(today)
    for day in (m - timedelta(days=14), m - timedelta(days=12), m - timedelta(days=6)):
        post_sms(client, TRAINER_RW, f"SIBA T0042 {dm(day)}")
    return m - timedelta(days=14)


def case_of(session, code: str) -> AbsenceCase:  # type: ignore[no-untyped-def]
    return session.scalars(
        select(AbsenceCase).where(AbsenceCase.trainee_id == trainee(session, code).id)
    ).one()


def test_a_field_officer_replaces_an_absent_trainee_with_the_oldest_waiting_member(
    client, context, field, phone
) -> None:
    first = open_a_case(client, field.today)
    officer = phone(FIELD_OFFICER)
    officer.dial()
    menu = officer.choose("Field follow-up")
    assert "Follow-up, Rubavu:" in menu and "Absence cases (1)" in menu  # not Busogo's
    listed = officer.choose("Absence cases (1)")
    assert "T0042 Ishimwe Grace, Gisenyi VTC, 3 days" in listed and "T0060" not in listed
    assert officer.choose("T0042 Ishimwe Grace, Gisenyi VTC, 3 days") == (
        f"CON T0042 Ishimwe Grace 0788200042\nAbsent 3 days from {first:%d/%m/%Y}: Not known 3"
        "\n1. Justified\n2. Replace\n0. Back 00. Home"
    )
    waiting = officer.choose("Replace")
    oldest = field.today - timedelta(days=20)
    assert waiting.startswith(
        "CON Waiting for Tailoring in Rubavu, oldest first:\n"
        f"1. Mukeshimana Alice, {oldest:%d/%m/%Y}\n2. Uwase Aline, "
    )
    assert "Ingabire Rose" not in waiting and "Habimana Yves" not in waiting
    officer.press("1")
    assert "When does Mukeshimana Alice start?" in officer.screen
    tomorrow = field.today + timedelta(days=1)
    confirm = officer.press("1")
    day_en = format_weekday_date(tomorrow, "en")
    assert f"Ishimwe Grace leaves; Mukeshimana Alice starts {day_en}." in confirm
    assert confirm.endswith("1. Confirm\n0. Back 00. Home")
    assert officer.choose("Confirm") == (
        "END Mukeshimana Alice is trainee T0501. SMS sent to them and to Niyonzima Paul."
    )

    with context.db.session() as s:
        old, new = trainee(s, "T0042"), trainee(s, "T0501")
        assert old.status is TraineeStatus.DROPPED and old.status_changed_at is not None
        case = case_of(s, "T0042")
        assert case.status is CaseStatus.REPLACED and case.replacement.code == "T0501"
        assert case.closed_by_id == person(s, FIELD_OFFICER).id
        assert (new.person.phone, new.vtc.name, new.trade, new.trainer.name) == (
            ALICE, "Gisenyi VTC", "Tailoring", "Niyonzima Paul"
        )
        assert (new.intake_id, new.start_date, new.status, new.replaces_id) == (
            field.intake_id, tomorrow, TraineeStatus.ACTIVE, old.id
        )
        requests = {
            r.person.phone: r for r in s.scalars(select(TvetRequest)).all()
        }
        assert requests[ALICE].status is TvetRequestStatus.ENROLLED
        assert requests[ALICE].trainee_id == new.id
        assert requests[MEMBER].status is TvetRequestStatus.WAITING

    day_rw = format_weekday_date(tomorrow, "rw")
    assert texts_to(context, ALICE, "tvet_place") == [
        f"Mukeshimana Alice, wabonye umwanya muri Ubudozi kuri Gisenyi VTC. Uze {day_rw} saa "
        "08:00. Umwarimu wawe: 0788100010"
    ]
    assert texts_to(context, TRAINER_RW, "tvet_place") == [
        f"Uhugurwa mushya T0501 Mukeshimana Alice (0788100031) asimbuye T0042 muri Ubudozi "
        f"guhera {day_rw}."
    ]
    assert texts_to(context, "+250788200042", "dropped") == [
        "Ishimwe Grace, kubera gusiba ibyumweru 2, umwanya wawe muri Ubudozi kuri Gisenyi VTC "
        "wahawe undi. Ibibazo: 0788000000"
    ]

    # the dropped trainee is out of the lists, the reminders and the alert sweep
    post_sms(client, TRAINER_EN, "ABS T0042")
    assert last_reply(context, TRAINER_EN) == "No longer in training: T0042."
    trainer = phone(TRAINER_RW)
    trainer.dial()
    trainer.choose("Tanga abasibye")
    pages = trainer.page_to("T0501 Mukeshimana Alice")
    assert not any("T0042" in page for page in pages)
    with context.db.session() as s:
        f.training(
            s,
            "Safety",
            datetime.combine(tomorrow, time(10, 0), ZoneInfo("Africa/Kigali")),
            audience="vtc:Gisenyi VTC",
        )
    evening = datetime.combine(field.today, time(18, 5), ZoneInfo("Africa/Kigali"))
    with context.db.session() as s:
        queue_due(s, context.settings, evening, rules=(TRAINING_TOMORROW,))
        assert sent_to(s, "+250788200042", "reminder") == []
        assert len(sent_to(s, ALICE, "reminder")) == 1
        alerts = len(sent_to(s, FIELD_OFFICER, "alert"))
        alert_open_cases(s, context.settings)
        s.commit()
        assert len(sent_to(s, FIELD_OFFICER, "alert")) == alerts

    # another district's officer sees only their own case, and may not close this one
    other = phone(FO_MUSANZE)
    other.dial()
    other.choose("Ibyo nkurikirana")
    assert "Ibibazo byo gusiba (1)" in other.screen
    assert "T0060" in other.choose("Ibibazo byo gusiba (1)") and "T0042" not in other.screen
    with context.db.session() as s:
        busogo = case_of(s, "T0060")
        with pytest.raises(CaseError):
            replace(
                s,
                context.settings,
                busogo.id,
                requests_id(s, "Tailoring"),
                starts_on=tomorrow,
                by=person(s, FIELD_OFFICER),
                now=utcnow(),
            )


def requests_id(session, trade: str) -> int:  # type: ignore[no-untyped-def]
    return session.scalars(
        select(TvetRequest.id).where(
            TvetRequest.trade == trade, TvetRequest.status == TvetRequestStatus.WAITING
        )
    ).first()


def test_a_case_closes_as_justified_or_drops_the_trainee_when_nobody_waits(
    client, context, field, phone
) -> None:
    open_a_case(client, field.today)
    officer = phone(FIELD_OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Absence cases (1)")
    officer.choose("T0042 Ishimwe Grace, Gisenyi VTC, 3 days")
    officer.choose("Justified")
    assert "Why is the absence justified?" in officer.screen
    confirm = officer.choose("Transport")
    assert "Close the case of T0042 Ishimwe Grace as justified (Transport)?" in confirm
    assert officer.choose("Confirm") == "END Case closed. Ishimwe Grace stays in training."
    with context.db.session() as s:
        case = case_of(s, "T0042")
        assert (case.status, case.reason) == (CaseStatus.JUSTIFIED, AbsenceReason.TRANSPORT)
        assert trainee(s, "T0042").status is TraineeStatus.ACTIVE
    assert texts_to(context, "+250788200042", "dropped") == []
    assert texts_to(context, "+250788200042", "tvet_place") == []

    # a welder at Gisenyi with an open case, and nobody waiting for welding in Rubavu
    with context.db.session() as s:
        welder = trainee(s, "T0107")
        welder.trade = "Welding"
        s.add(AbsenceCase(trainee_id=welder.id, days=field.today.isoformat()))
        welder.status = TraineeStatus.AT_RISK
        s.scalars(select(TvetRequest).where(TvetRequest.trade == "Welding")).one().status = (
            TvetRequestStatus.WITHDRAWN
        )
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Absence cases (1)")
    officer.choose("T0107 Mugisha Eric, Gisenyi VTC, 1 days")
    empty = officer.choose("Replace")
    assert "Nobody is waiting for Welding in Rubavu." in empty
    officer.choose("Drop without a replacement")
    assert officer.choose("Confirm") == "END Case closed. Mugisha Eric left the training."
    with context.db.session() as s:
        assert trainee(s, "T0107").status is TraineeStatus.DROPPED
        assert case_of(s, "T0107").status is CaseStatus.REPLACED
    assert len(texts_to(context, "+250788200107", "dropped")) == 1


def test_a_witnessed_step_reaches_every_member_once(client, context, field, phone) -> None:
    today = field.today
    with context.db.session() as s:
        coop = f.cooperative(
            s, "Twisungane", stage=Stage.SECTOR_APPROVED, stage_date=today - timedelta(days=60)
        )
        f.person(s, "+250788300001", "Mukamana Leader", roles=(Role.LEADER,), cooperative=coop)
        f.person(
            s, "+250788300002", "Niyonzima Jean", language=Language.EN, cooperative=coop
        )
        f.person(s, "+250788300003", "Uwera Claire", language=Language.FR, cooperative=coop)
        f.person(s, "+250788300004", "Gone Away", cooperative=coop, opted_out=True)
        f.cooperative(s, "Abakora Neza", stage=Stage.DISTRICT_SITE_VISIT)
    officer = phone(FIELD_OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Cooperatives (2)")
    shown = officer.choose("Twisungane: Approved by sector, 60 days")
    assert "Twisungane: Approved by sector, 60 days. Documents missing: 3." in shown
    step = officer.choose("Record a step I saw")
    assert "Next step: Submitted to district." in step
    confirm = officer.choose(format_weekday_date(today, "en"))
    assert "All 3 members get an SMS." in confirm
    assert officer.choose("Confirm") == "END Recorded. SMS to 3 members."

    with context.db.session() as s:
        change = s.scalars(select(StageChange).order_by(StageChange.id.desc())).first()
        assert (change.stage, change.date, change.note) == (
            Stage.DISTRICT_SUBMITTED, today, "field officer, USSD"
        )
        assert change.recorded_by_id == person(s, FIELD_OFFICER).id
        for number in ("+250788300001", "+250788300002", "+250788300003"):
            [row] = sent_to(s, number, "reminder")
            who = person(s, number)
            key = f"reminder:stage_changed:stage:{change.id}:{today}:{who.id}"
            assert row.dedupe_key == key
        assert sent_to(s, "+250788300004") == []
        assert sent_to(s, "+250788300002", "reminder")[0].text == (
            "Niyonzima Jean, registration of Twisungane: Submitted to district. The district "
            "checks your documents, then visits your site."
        )
        queue_due(s, context.settings, utcnow())
        assert len(sent_to(s, "+250788300001", "reminder")) == 1

    # the step after a site visit is the district's approval: staff record it
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Cooperatives (2)")
    officer.page_to("Abakora Neza")
    [line] = [row for row in officer.screen.split("\n") if "Abakora Neza" in row]
    officer.choose(line.partition(". ")[2])
    staff_only = officer.choose("Record a step I saw")
    assert "The next step, Approved by district, is recorded by staff" in staff_only


def test_a_field_officer_ticks_documents_members_see_what_is_missing(
    context, field, phone
) -> None:
    with context.db.session() as s:
        coop = f.cooperative(
            s, "Dukore", stage=Stage.FORMED, stage_date=field.today - timedelta(days=10)
        )
        f.person(s, "+250788300002", "Niyonzima Jean", language=Language.EN, cooperative=coop)
    officer = phone(FIELD_OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Cooperatives (1)")
    shown = officer.choose("Dukore: Formed, 10 days")
    assert "Documents missing: 4." in shown
    docs = officer.choose("Documents")
    assert "Documents for the next step (Submitted to sector):" in docs
    ticked = officer.choose("Signed statutes: missing")
    assert ticked.startswith("CON Marked received.\n") and "Signed statutes: received" in ticked
    assert officer.choose("Signed statutes: received").startswith("CON Already received.\n")

    member = phone("+250788300002")
    member.dial()
    mine = member.choose("My cooperative")
    assert "Documents missing: 3." in mine
    listed = member.choose("Documents")
    for line in (
        "Signed statutes: received",
        "Founding assembly minutes: missing",
        "Members and ID numbers: missing",
        "Bank slip for shares: missing",
    ):
        assert line in "".join(member.page_to("Bank slip")) or line in listed


def test_a_field_officer_reads_the_trade_waiting_lists_of_their_district(
    context, field, phone
) -> None:
    officer = phone(FIELD_OFFICER)
    officer.dial()
    menu = officer.choose("Field follow-up")
    assert "Trade waiting lists (3)" in menu  # Rubavu only: two Tailoring, one Welding
    lists = officer.choose("Trade waiting lists (3)")
    assert "Trade waiting lists, Rubavu:" in lists and "Tailoring (2)" in lists
    tailoring = officer.choose("Tailoring (2)")
    alice = tailoring.index("Mukeshimana Alice 0788100031")
    assert "Tailoring, Rubavu, oldest first:" in tailoring and alice < tailoring.index("Uwase")
    with context.db.session() as s:
        person(s, FIELD_OFFICER).district_id = None
    officer.dial()
    officer.choose("Start again")  # the list was left open: resume is offered first
    assert officer.choose("Field follow-up") == "END Your district is not set. Call 0788000000."

    # a member with a place sees it instead of the trades
    with context.db.session() as s:
        alice = person(s, ALICE)
        for request in s.scalars(select(TvetRequest).where(TvetRequest.person_id == alice.id)):
            request.status = TvetRequestStatus.WITHDRAWN
        f.trainee(s, "T0700", alice, trainee(s, "T0042").vtc, None, start=field.today)
    member = phone(ALICE)
    member.dial()
    member.choose("Amahugurwa yanjye")
    assert member.choose("Kwiga umwuga") == (
        f"END Wabonye umwanya: uhugurwa T0700, Ubudozi, Gisenyi VTC, guhera {field.today:%d/%m/%Y}."
    )
