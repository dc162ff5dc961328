"""The console's actions through HTTP, as a browser posts them: composing and sending a
broadcast, unlocking a PIN, closing absence cases, moving a cooperative's stage, importing a
spreadsheet; each refused without its CSRF token, and its errors shown on the page."""

from __future__ import annotations

import io
import re
from datetime import date, timedelta

import pytest
from sqlalchemy import select
from support.console import add_staff, csrf_token, post, sign_in

from models import (
    AbsenceCase,
    Broadcast,
    BroadcastStatus,
    CaseStatus,
    Cooperative,
    OutboundSms,
    Person,
    Stage,
    TraineeStatus,
    Vsla,
    utcnow,
)


@pytest.fixture
def admin_client(context, app, programme):  # type: ignore[no-untyped-def]
    add_staff(context, "boss", admin=True)
    client = app.test_client()
    assert sign_in(client, "boss").status_code == 302
    return client


def text(response) -> str:  # type: ignore[no-untyped-def]
    return response.get_data(as_text=True)


ACTIONS = [
    "/console/broadcasts/new",
    "/console/people/1/unlock-pin",
    "/console/absences/1/close",
    "/console/cooperatives/1/stage",
    "/console/imports",
    "/console/imports/confirm",
    "/console/simulator/ussd",
    "/console/simulator/sms",
]


@pytest.mark.parametrize("path", ACTIONS)
def test_every_new_action_needs_its_csrf_token(admin_client, path) -> None:
    response = admin_client.post(path, data={"action": "send", "outcome": "replaced"})
    assert response.status_code == 400
    assert "This form has expired" in text(response)


@pytest.mark.parametrize("path", ACTIONS)
def test_every_new_action_needs_a_login(client, programme, path) -> None:
    response = client.post(path, data={"csrf_token": csrf_token(client)})
    assert response.status_code == 302
    assert response.headers["Location"].startswith("/console/login")


# -- broadcasts ---------------------------------------------------------------------------


COMPOSED = {"district": "Rubavu", "role": "member", "expression": "",
            "text_rw": "Inama ni ejo saa tatu.", "text_en": "Meeting tomorrow at 9."}


def test_the_preview_button_counts_recipients_and_marks_what_gsm7_lacks(staff_client) -> None:
    form = {**COMPOSED, "text_en": "Meeting \u201ctomorrow\u201d at 9 \U0001F600",
            "action": "preview"}
    page = text(post(staff_client, "/console/broadcasts/new", form, "/console/broadcasts/new"))
    assert "<code>district:Rubavu role:member</code>" in page
    assert '<b id="recipients">15</b>' in page  # the members in Rubavu
    # curly quotes are normalised to plain ones; the emoji forces UCS-2 and is marked
    assert '<mark title="U+1F600">\U0001F600</mark>' in page
    assert "<mark" not in page.split("\U0001F600")[0].split("Meeting")[-1]
    assert "UCS-2" in page and "estimated cost" in page


def test_the_live_preview_answers_the_numbers_as_json(staff_client) -> None:
    answer = staff_client.get("/console/broadcasts/preview", query_string={
        **COMPOSED, "cooperative": "Abakora Neza", "text_fr": "Réunion à 9h ✓"}).get_json()
    assert answer["audience"] == 'district:Rubavu cooperative:"Abakora Neza" role:member'
    assert answer["recipients"] == 4
    assert answer["texts"]["rw"] == {"segments": 1, "encoding": "GSM-7", "length": 22,
                                     "non_gsm7": []}
    assert answer["texts"]["fr"]["non_gsm7"] == ["✓"]
    assert answer["total_segments"] == 4 and answer["estimated_cost"] == 40.0
    assert "recipients" in answer["html"]
    nobody = staff_client.get("/console/broadcasts/preview",
                              query_string={"vsla": "Nowhere"}).get_json()
    assert nobody["recipients"] == 0 and nobody["unknown_names"] == ["vsla:Nowhere"]
    assert nobody["total_segments"] is None  # no text yet: the count alone
    bad = staff_client.get("/console/broadcasts/preview",
                           query_string={"expression": "planet:Mars"}).get_json()
    assert bad["error"] and bad["recipients"] is None


def test_staff_send_a_broadcast_and_watch_it_complete(context, staff_client, programme) -> None:
    response = post(staff_client, "/console/broadcasts/new",
                    {**COMPOSED, "when": "now", "urgent": "1", "action": "send"},
                    "/console/broadcasts/new")
    assert response.status_code == 302
    path = response.headers["Location"]
    with context.db.session() as session:
        made = session.scalar(select(Broadcast).order_by(Broadcast.id.desc()))
        assert made.created_by_id == programme.leader_id and made.urgent
        assert made.audience == "district:Rubavu role:member"
        assert made.status is BroadcastStatus.DONE  # fanned out and sent by the eager runner
        sent = session.scalars(select(OutboundSms).where(OutboundSms.broadcast_id == made.id))
        assert {sms.text for sms in sent} == {"Inama ni ejo saa tatu.", "Meeting tomorrow at 9."}
    page = text(staff_client.get(path))
    assert "on its way" in page and 'data-count="sent">15<' in page
    assert 'http-equiv="refresh"' not in page  # finished: no more refreshing
    progress = staff_client.get(f"{path}/progress").get_json()
    assert progress["counts"]["sent"] == 15 and progress["live"] is False


def test_a_broadcast_scheduled_in_kigali_time_waits(context, staff_client) -> None:
    response = post(staff_client, "/console/broadcasts/new",
                    {**COMPOSED, "when": "later", "send_at": "2099-01-05T08:30",
                     "action": "send"}, "/console/broadcasts/new")
    with context.db.session() as session:
        made = session.scalar(select(Broadcast).order_by(Broadcast.id.desc()))
        assert made.status is BroadcastStatus.SCHEDULED
        assert made.scheduled_at.strftime("%Y-%m-%d %H:%M") == "2099-01-05 06:30"  # UTC
        assert not session.scalars(select(OutboundSms).where(
            OutboundSms.broadcast_id == made.id)).all()
    assert "scheduled" in text(staff_client.get(response.headers["Location"]))


@pytest.mark.parametrize(
    ("change", "error"),
    [
        ({"when": "later", "send_at": "2020-01-01T08:00"}, "That time has passed"),
        ({"when": "later", "send_at": ""}, "Give the day and time"),
        ({"text_rw": "", "text_en": ""}, "Write the text in at least one language"),
        ({"district": "", "role": ""}, "Choose who gets it"),
        ({"vsla": "Nowhere"}, "no such vsla:Nowhere"),
        ({"expression": "role:astronaut"}, "astronaut"),
    ],
)
def test_a_broadcast_that_cannot_go_says_why(context, staff_client, change, error) -> None:
    response = post(staff_client, "/console/broadcasts/new",
                    {**COMPOSED, **change, "action": "send"}, "/console/broadcasts/new")
    assert response.status_code == 400
    assert error in text(response)
    assert "<option selected>Rubavu</option>" in text(response) or not change.get("district", 1)
    with context.db.session() as session:
        assert session.scalar(select(Broadcast).where(Broadcast.created_by_id.is_not(None))) \
            is None


def test_a_sending_broadcast_page_refreshes_itself(context, staff_client, programme) -> None:
    with context.db.session() as session:
        session.get(Broadcast, programme.broadcast_id).status = BroadcastStatus.SENDING
    page = text(staff_client.get(f"/console/broadcasts/{programme.broadcast_id}"))
    assert '<noscript><meta http-equiv="refresh" content="5"></noscript>' in page
    assert "data-progress=" in page
    assert staff_client.get(f"/console/broadcasts/{programme.broadcast_id}/progress"
                            ).get_json()["live"] is True


# -- people, cases, cooperatives ------------------------------------------------------------


def test_staff_unlock_a_pin(context, staff_client, programme) -> None:
    path = f"/console/people/{programme.member_id}"
    assert "Unlock PIN" in text(staff_client.get(path))
    response = post(staff_client, f"{path}/unlock-pin", {}, path)
    assert response.status_code == 302
    page = text(staff_client.get(path))
    assert "PIN unlocked" in page and "Locked until" not in page
    with context.db.session() as session:
        person = session.get(Person, programme.member_id)
        assert person.pin_locked_until is None and person.pin_failures == 0
        assert person.pin_hash == "set", "the PIN itself is kept"


@pytest.mark.parametrize(
    ("outcome", "form", "case_status", "trainee_status"),
    [
        ("dropped", {}, CaseStatus.REPLACED, TraineeStatus.DROPPED),
        ("justified", {"reason": "sick"}, CaseStatus.JUSTIFIED, TraineeStatus.ACTIVE),
    ],
)
def test_staff_close_an_absence_case(context, staff_client, programme, outcome, form,
                                     case_status, trainee_status) -> None:
    with context.db.session() as session:
        case_id = session.scalar(select(AbsenceCase.id))
    response = post(staff_client, f"/console/absences/{case_id}/close",
                    {"outcome": outcome, "note": "  sick,  certificate ", **form},
                    "/console/absences")
    assert response.status_code == 302
    page = text(staff_client.get("/console/absences"))
    assert f"Case of T0042 closed: {case_status.value.capitalize()}." in page
    assert "No open cases." in page
    with context.db.session() as session:
        case = session.get(AbsenceCase, case_id)
        assert case.status is case_status and case.note == "sick, certificate"
        assert case.closed_by_id == programme.leader_id
        assert case.trainee.status is trainee_status
    post(staff_client, f"/console/absences/{case_id}/close", {"outcome": "justified"},
         "/console/absences")
    assert "already closed" in text(staff_client.get("/console/absences"))
    assert post(staff_client, f"/console/absences/{case_id}/close", {"outcome": "open"},
                "/console/absences").status_code == 400


def test_staff_move_a_cooperative_and_its_members_are_told(context, staff_client,
                                                           programme) -> None:
    path = f"/console/cooperatives/{programme.cooperative_id}"
    on = date.today() - timedelta(days=1)
    response = post(staff_client, f"{path}/stage",
                    {"stage": "district_approved", "date": on.isoformat(), "note": "visit ok"},
                    path)
    assert response.status_code == 302
    page = text(staff_client.get(path))
    assert "Abakora Neza moved to Approved by district. Members told by SMS: 4." in page
    with context.db.session() as session:
        coop = session.get(Cooperative, programme.cooperative_id)
        assert coop.stage is Stage.DISTRICT_APPROVED and coop.stage_date == on
        assert coop.history[-1].recorded_by_id == programme.leader_id
        told = session.scalars(select(OutboundSms).where(
            OutboundSms.person_id == programme.leader_id)).all()
        assert len(told) == 1


@pytest.mark.parametrize(
    ("form", "error"),
    [
        ({"stage": "certified"}, "needs its certificate number"),
        ({"stage": "rejected", "certificate_no": "RCA/1"}, "needs its reason"),
        ({"stage": "district_site_visit"}, "already at stage"),
        ({"stage": "moon"}, "Choose the stage it reached"),
        ({"stage": "formed", "date": "2999-01-01"}, "cannot be in the future"),
        ({"stage": "formed", "date": "soon"}, "Give the date of the step"),
    ],
)
def test_a_stage_that_cannot_be_recorded_says_why(context, staff_client, programme, form,
                                                  error) -> None:
    path = f"/console/cooperatives/{programme.cooperative_id}"
    response = post(staff_client, f"{path}/stage",
                    {"date": date.today().isoformat(), **form}, path)
    assert response.status_code == 400
    assert error in text(response)
    with context.db.session() as session:
        assert session.get(Cooperative, programme.cooperative_id).stage is \
            Stage.DISTRICT_SITE_VISIT


# -- imports -------------------------------------------------------------------------------

VSLAS = ("name,district,sector,meeting_day,meeting_time,meeting_place,share_value\n"
         "Kigali Savers,Kicukiro,Gikondo,Tuesday,14:00,Market,500\n"
         "Bad Group,Atlantis,Nowhere,Someday,25:00,Here,-1\n"
         "Hill Savers,Rubavu,Gisenyi,Friday,09:00,Church,200\n")


def upload(client, content: str, kind: str = "vslas", name: str = "groups.csv"):  # type: ignore[no-untyped-def]
    return client.post("/console/imports", data={
        "kind": kind, "file": (io.BytesIO(content.encode()), name),
        "csrf_token": csrf_token(client, "/console/imports"),
    }, content_type="multipart/form-data")


def confirm(client, **fields: str):  # type: ignore[no-untyped-def]
    page = text(client.get("/console/imports"))
    token = re.search(r'name="token" value="([^"]+)"', page)
    return post(client, "/console/imports/confirm",
                {"token": token.group(1) if token else "none", **fields}, "/console/imports")


def vsla_names(context) -> set[str]:  # type: ignore[no-untyped-def]
    with context.db.session() as session:
        return set(session.scalars(select(Vsla.name)))


def test_only_admins_import(staff_client) -> None:
    assert staff_client.get("/console/imports").status_code == 403
    assert "/console/imports" not in text(staff_client.get("/console/"))


def test_an_upload_shows_its_row_errors_then_imports_the_good_rows(context, admin_client) -> None:
    response = upload(admin_client, VSLAS)
    page = text(response)
    assert response.status_code == 200
    assert "Checked, nothing written yet" in page and "3 rows" in page
    assert re.search(r'<td class="num">3</td><td><code>district</code></td>'
                     r'<td>&#39;Atlantis&#39; is not a district of Rwanda', page)
    assert "meeting_time" in page and "share_value" in page
    assert "Import the good rows only" in page
    assert "Kigali Savers" not in vsla_names(context)
    # the page keeps the upload waiting across requests (server-side, keyed in the session)
    assert "Import the good rows only" in text(admin_client.get("/console/imports"))
    done = text(confirm(admin_client, skip_invalid="1"))
    assert "Imported" in done and "<b>2</b> created" in done
    assert {"Kigali Savers", "Hill Savers"} <= vsla_names(context)
    assert "Bad Group" not in vsla_names(context)
    again = confirm(admin_client, skip_invalid="1")
    assert "no longer waiting" in text(admin_client.get(again.headers["Location"]))


def test_a_clean_file_is_imported_once_confirmed_or_dropped(context, admin_client) -> None:
    clean = "\n".join(line for line in VSLAS.splitlines() if "Bad" not in line) + "\n"
    page = text(upload(admin_client, clean))
    assert "<b>2</b> created" in page and "Import it" in page
    confirm(admin_client, action="cancel")
    assert "Kigali Savers" not in vsla_names(context)
    assert "Upload dropped" in text(admin_client.get("/console/imports"))
    upload(admin_client, clean)
    assert "<b>2</b> created" in text(confirm(admin_client, action="import"))
    assert "Kigali Savers" in vsla_names(context)


def test_an_xlsx_file_is_read_too(context, admin_client, tmp_path) -> None:
    from openpyxl import Workbook

    book = Workbook()
    for line in VSLAS.splitlines()[:2]:
        book.active.append(line.split(","))
    book.save(tmp_path / "groups.xlsx")
    response = admin_client.post("/console/imports", data={
        "kind": "vslas", "file": ((tmp_path / "groups.xlsx").open("rb"), "groups.xlsx"),
        "csrf_token": csrf_token(admin_client, "/console/imports"),
    }, content_type="multipart/form-data")
    assert "<b>1</b> created" in text(response)


@pytest.mark.parametrize(
    ("content", "kind", "name", "status", "error"),
    [
        (VSLAS, "vslas", "groups.txt", 400, "Upload a .csv or .xlsx file"),
        (VSLAS, "spaceships", "groups.csv", 400, "Choose what the file holds"),
        ("phone,name\n", "vslas", "groups.csv", 400, "the header has no column"),
        ("x" * 200_000, "vslas", "big.csv", 413, "larger than 0.1 MB"),
    ],
)
def test_a_file_that_cannot_be_imported_says_why(context, app, admin_client, content, kind,
                                                 name, status, error) -> None:
    context.settings = context.settings.with_(import_max_mb=0.1)
    response = upload(admin_client, content, kind, name)
    assert response.status_code == status
    assert error in text(response)
    assert "Kigali Savers" not in vsla_names(context)


def test_a_scheduled_broadcast_is_not_live(context, staff_client, programme) -> None:
    with context.db.session() as session:
        later = session.scalar(select(Broadcast).where(
            Broadcast.status == BroadcastStatus.SCHEDULED))
        assert later.scheduled_at > utcnow()
    page = text(staff_client.get(f"/console/broadcasts/{later.id}"))
    assert "refresh" not in page and "data-progress=" not in page
