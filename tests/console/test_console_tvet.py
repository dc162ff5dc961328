"""Staff close a case by giving the place to the oldest waiting member, read why trainees miss
training, add intakes and graduate them early, and see the waiting list."""

from __future__ import annotations

from datetime import date, timedelta

from sqlalchemy import select
from support import factories as make
from support.console import post

from models import (
    Absence,
    AbsenceCase,
    AbsenceReason,
    CaseStatus,
    Channel,
    Intake,
    OutboundSms,
    Trainee,
    TraineeStatus,
    TvetRequestStatus,
    Vsla,
    Vtc,
    utcnow,
)


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


def test_staff_replace_an_absent_trainee_with_the_oldest_waiting_member(
    context, staff_client, programme
) -> None:
    with context.db.session() as s:
        group = s.scalar(select(Vsla))
        old = make.person(s, "+250788400001", "Mukeshimana Alice", vsla=group)
        young = make.person(s, "+250788400002", "Uwase Aline", vsla=group)
        first = make.tvet_request(s, old, "Tailoring", utcnow() - timedelta(days=9))
        make.tvet_request(s, young, "Tailoring", utcnow() - timedelta(days=2))
        case_id = s.scalar(select(AbsenceCase.id).where(AbsenceCase.trainee.has(code="T0042")))
        first_id = first.id
        for n, reason in enumerate([AbsenceReason.TRANSPORT] * 3 + [AbsenceReason.SICK]):
            trainee = s.scalar(select(Trainee).where(Trainee.code == "T0042"))
            s.add(Absence(trainee_id=trainee.id, day=date(2026, 11, 16) + timedelta(days=n),
                          channel=Channel.SMS, reason=reason))
    page = text(staff_client.get("/console/absences"))
    assert "Transport 3, Sick 1" in page
    assert page.index("Mukeshimana Alice") < page.index("Uwase Aline")  # oldest first
    start = (date.today() + timedelta(days=2)).isoformat()
    post(staff_client, f"/console/absences/{case_id}/close",
         {"outcome": "replaced", "request_id": first_id, "start": start}, "/console/absences")
    page = text(staff_client.get("/console/absences"))
    assert "Case of T0042 closed: Replaced. Mukeshimana Alice is trainee" in page
    with context.db.session() as s:
        case = s.get(AbsenceCase, case_id)
        assert case.status is CaseStatus.REPLACED and case.trainee.status is TraineeStatus.DROPPED
        assert case.replacement.person.name == "Mukeshimana Alice"
        assert case.replacement.start_date.isoformat() == start
        kinds = {row.kind for row in s.scalars(select(OutboundSms))}
        assert {"tvet_place", "dropped"} <= kinds
        assert case.trainee.person.phone in {
            row.phone for row in s.scalars(select(OutboundSms).where(OutboundSms.kind == "dropped"))
        }
    reasons = text(staff_client.get("/console/absences/reasons?days=3650"))
    assert "Why trainees miss training" in reasons and 'class="bar"' in reasons
    assert "<b>3</b> (75%)" in reasons


def test_staff_add_an_intake_and_graduate_it_early(context, staff_client, programme) -> None:
    with context.db.session() as s:
        vtc_id = s.scalar(select(Vtc.id))
        trainee_id = s.scalar(select(Trainee.id).where(Trainee.code == "T0001"))
    form = {"vtc_id": vtc_id, "trade": "Tailoring", "start": "2026-09-01", "end": "2026-09-01"}
    refused = post(staff_client, "/console/intakes", form, "/console/intakes")
    assert refused.status_code == 400
    assert "The end date must be after the start date." in text(refused)
    post(staff_client, "/console/intakes", {**form, "end": "2027-03-01"}, "/console/intakes")
    with context.db.session() as s:
        intake = s.scalars(select(Intake)).one()
        s.get(Trainee, trainee_id).intake_id = intake.id
        intake_id = intake.id
    assert "Tailoring" in text(staff_client.get("/console/intakes"))
    post(staff_client, f"/console/intakes/{intake_id}/graduate", {}, "/console/intakes")
    assert "Trainees graduated: 1." in text(staff_client.get(f"/console/intakes/{intake_id}"))
    with context.db.session() as s:
        assert s.get(Trainee, trainee_id).status is TraineeStatus.GRADUATED
        graduated = s.scalars(select(OutboundSms).where(OutboundSms.kind == "graduated")).all()
        assert len(graduated) == 1


def test_staff_see_and_withdraw_the_waiting_list(context, staff_client, programme) -> None:
    with context.db.session() as s:
        group = s.scalar(select(Vsla))
        who = make.person(s, "+250788400003", "Habimana Yves", vsla=group)
        request_id = make.tvet_request(s, who, "Welding", utcnow()).id
    assert "Habimana Yves" in text(staff_client.get("/console/tvet-waiting?trade=welding"))
    post(staff_client, f"/console/tvet-waiting/{request_id}/withdraw", {}, "/console/tvet-waiting")
    page = text(staff_client.get("/console/tvet-waiting"))
    assert "Habimana Yves left the waiting list." in page
    with context.db.session() as s:
        from models import TvetRequest

        assert s.get(TvetRequest, request_id).status is TvetRequestStatus.WITHDRAWN


def test_staff_tick_a_cooperatives_documents(context, staff_client, programme) -> None:
    from models import Cooperative, CooperativeDocument, Stage

    with context.db.session() as s:
        coop = s.get(Cooperative, programme.cooperative_id)
        coop.stage = Stage.FORMED
    path = f"/console/cooperatives/{programme.cooperative_id}"
    page = text(staff_client.get(path))
    assert "Documents for the next step" in page and "Signed statutes" in page
    post(staff_client, f"{path}/documents", {"document": "statutes", "date": "2026-11-20"}, path)
    assert "Document received." in text(staff_client.get(path))
    with context.db.session() as s:
        [doc] = s.scalars(select(CooperativeDocument)).all()
        assert (doc.document, doc.received_on.isoformat()) == ("statutes", "2026-11-20")
        assert doc.recorded_by_id == programme.leader_id
    post(staff_client, f"{path}/documents/statutes/delete", {}, path)
    assert "Document marked missing." in text(staff_client.get(path))
    assert post(staff_client, f"{path}/documents", {"document": "bogus", "date": "2026-11-20"},
                path).status_code == 400
    assert "Waiting on" in text(staff_client.get("/console/cooperatives"))
