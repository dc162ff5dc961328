"""The staff console through HTTP, as a browser uses it: sign in, read, act; and what it
refuses (no login, no CSRF token, wrong passwords, non-admins)."""

from __future__ import annotations

import re
from datetime import timedelta

import pytest
from sqlalchemy import event, select
from support import console_data
from support.console import PASSWORD, add_staff, csrf_token, post, sign_in

from models import (
    JoinRequest,
    JoinStatus,
    Language,
    OutboundSms,
    Person,
    Role,
    StaffAccount,
    Vsla,
    utcnow,
)


@pytest.fixture
def staff_client(context, client):  # type: ignore[no-untyped-def]
    add_staff(context)
    assert sign_in(client).status_code == 302
    return client


def _page_paths(app) -> list[str]:  # type: ignore[no-untyped-def]
    """Every console page a GET can reach, ids filled with 1."""
    paths = []
    for rule in app.url_map.iter_rules():
        if rule.endpoint.startswith("console.") and rule.endpoint not in {
            "console.login",
            "console.static",
        }:
            paths.append((re.sub(r"<[^>]+>", "1", rule.rule), sorted(rule.methods or ())))
    return paths


def test_every_console_page_and_action_needs_a_login(app, client) -> None:
    paths = _page_paths(app)
    assert len(paths) >= 14
    for path, methods in paths:
        if "GET" in methods:
            response = client.get(path)
        else:
            response = client.post(path, data={"csrf_token": csrf_token(client)})
        assert response.status_code == 302, path
        assert response.headers["Location"].startswith("/console/login?next="), path


def test_signing_in_opens_the_page_asked_for_and_never_another_site(context, client) -> None:
    add_staff(context)
    response = client.post(
        "/console/login?next=/console/people",
        data={"username": "Aline", "password": PASSWORD, "csrf_token": csrf_token(client),
              "next": "/console/people"},
    )
    assert response.headers["Location"] == "/console/people"
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    response = client.post(
        "/console/login",
        data={"username": "aline", "password": PASSWORD, "csrf_token": csrf_token(client),
              "next": "//elsewhere.example/console"},
    )
    assert response.headers["Location"] == "/console/"


def test_the_session_cookie_is_http_only_same_site_and_secure(context, client) -> None:
    add_staff(context)
    cookie = sign_in(client).headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie and "Secure" in cookie


def test_signing_out_ends_the_session(staff_client) -> None:
    post(staff_client, "/console/logout", {})
    assert staff_client.get("/console/").status_code == 302


def test_a_form_without_its_csrf_token_is_refused(context, staff_client, programme) -> None:
    response = staff_client.post(
        f"/console/people/{programme.member_id}/opt-out", data={"opted_out": "1"}
    )
    assert response.status_code == 400
    assert "expired" in response.get_data(as_text=True)
    forged = staff_client.post(
        f"/console/people/{programme.member_id}/opt-out",
        data={"opted_out": "1", "csrf_token": "forged"},
    )
    assert forged.status_code == 400
    with context.db.session() as session:
        assert session.get(Person, programme.member_id).opted_out is False


def test_the_login_form_itself_needs_its_token(context, client) -> None:
    add_staff(context)
    response = client.post("/console/login", data={"username": "aline", "password": PASSWORD})
    assert response.status_code == 400


def test_wrong_passwords_lock_the_account_for_a_while(context, client) -> None:
    add_staff(context)
    limit = context.settings.staff_login_max_failures
    for _ in range(limit - 1):
        response = sign_in(client, password="guess")
        assert response.status_code == 401
        assert "Wrong username or password" in response.get_data(as_text=True)
    response = sign_in(client, password="guess")
    assert "locked for 15 minutes" in response.get_data(as_text=True)
    right = sign_in(client)
    assert right.status_code == 401, "a locked account refuses even the right password"
    with context.db.session() as session:
        account = session.scalar(select(StaffAccount))
        assert account.is_locked()
        account.locked_until = utcnow() - timedelta(seconds=1)
    assert sign_in(client).status_code == 302


def test_an_unknown_username_gets_the_same_answer_as_a_wrong_password(context, client) -> None:
    add_staff(context)
    response = sign_in(client, username="nobody")
    assert response.status_code == 401
    assert "Wrong username or password" in response.get_data(as_text=True)


def test_every_page_opens_for_signed_in_staff(app, context, staff_client, programme) -> None:
    expected = {
        "/console/": ["Dashboard", "Cooperatives by stage", "District site visit"],
        "/console/people": ["Uwase Aline", "+250788100001"],
        f"/console/people/{programme.member_id}": ["Uwase Aline", "Locked until"],
        "/console/absences": ["T0042", "Tuyishime Olivier", "Gisenyi VTC"],
        "/console/cooperatives": ["Registration pipeline", "Abakora Neza", "Dufatanye"],
        f"/console/cooperatives/{programme.cooperative_id}": ["Mugisha Jean Bosco", "History"],
        "/console/join-requests": ["Ishimwe Clarisse", "Mark contacted"],
        "/console/broadcasts": ["district:Rubavu role:member"],
        f"/console/broadcasts/{programme.broadcast_id}": ["The group meets on Wednesday"],
    }
    for path, words in expected.items():
        response = staff_client.get(path)
        assert response.status_code == 200, path
        assert response.headers["Cache-Control"] == "no-store"
        page = response.get_data(as_text=True)
        for word in words:
            assert word in page, (path, word)


def test_the_dashboard_counts_this_week(staff_client, programme) -> None:
    page = staff_client.get("/console/").get_data(as_text=True)
    # 6 SMS this week: 3 delivered of 5 handed to the network (sent, delivered, failed)
    assert "3 delivered of 5 handed to the network" in page
    assert "60%" in page
    # 5 USSD sessions, 3 never reached an END screen: 2 on savings_pin, 1 on join_name
    assert "<b>5</b> sessions, <b>3</b> dropped" in page
    assert page.index("savings_pin") < page.index("Join: name")  # a known screen: its name
    assert "join_name" not in page  # never the internal screen id


@pytest.mark.parametrize(
    ("query", "found", "not_found"),
    [
        ("aline", "Uwase Aline", "Keza Diane"),
        ("0788 100 003", "Keza Diane", "Uwase Aline"),
        ("+250788100004", "Iradukunda Yves", "Uwase Aline"),
        ("100010", "Nkurunziza Emmanuel", "Keza Diane"),
    ],
)
def test_staff_find_people_by_name_or_phone(staff_client, programme, query, found, not_found):
    page = staff_client.get("/console/people", query_string={"q": query}).get_data(as_text=True)
    assert found in page
    assert not_found not in page


def test_a_long_list_of_people_is_paged(context, staff_client) -> None:
    with context.db.session() as session:
        console_data.build(session, extra_people=60)
    first = staff_client.get("/console/people").get_data(as_text=True)
    assert 'rel="next"' in first and 'rel="prev"' not in first
    second = staff_client.get("/console/people?page=2").get_data(as_text=True)
    assert 'rel="prev"' in second
    assert "Extra Member 000" in first and "Extra Member 000" not in second
    assert "Uwase Aline" in second and "Uwase Aline" not in first


def test_a_persons_page_shows_messages_with_history_and_ussd_trails(
    staff_client, programme
) -> None:
    page = staff_client.get(f"/console/people/{programme.member_id}").get_data(as_text=True)
    assert "Inama y&#39;ikimina" in page  # the broadcast SMS they got
    assert "ATXid_1" in page  # its history
    assert "HAGARIKA" in page  # what they sent
    assert "main &rsaquo; savings_pin" in page  # unknown ids as recorded; known ones named
    assert "Dropped" in page


def test_staff_opt_a_person_out_and_back_in(context, staff_client, programme) -> None:
    path = f"/console/people/{programme.member_id}"
    response = post(staff_client, f"{path}/opt-out", {"opted_out": "1"}, path)
    assert response.status_code == 302
    page = staff_client.get(path).get_data(as_text=True)
    assert "Opted out since" in page and "Opt back in" in page
    post(staff_client, f"{path}/opt-out", {"opted_out": "0"}, path)
    with context.db.session() as session:
        person = session.get(Person, programme.member_id)
        assert person.opted_out is False and person.opted_out_at is None


def test_staff_change_a_persons_language(context, staff_client, programme) -> None:
    path = f"/console/people/{programme.member_id}"
    post(staff_client, f"{path}/language", {"language": "fr"}, path)
    with context.db.session() as session:
        assert session.get(Person, programme.member_id).language is Language.FR
    assert post(staff_client, f"{path}/language", {"language": "de"}, path).status_code == 400


def test_join_requests_move_from_waiting_to_contacted_to_enrolled(
    context, staff_client, programme
) -> None:
    with context.db.session() as session:
        first = session.scalar(select(JoinRequest).order_by(JoinRequest.created_at))
    path = f"/console/join-requests/{first.id}/status"
    page = "/console/join-requests"
    post(staff_client, path, {"status": "contacted"}, page)
    waiting = staff_client.get(page).get_data(as_text=True)
    assert path not in waiting and "Nsengiyumva Theo" in waiting
    contacted = staff_client.get(f"{page}?status=contacted").get_data(as_text=True)
    assert first.name in contacted and "Enrol" in contacted
    assert post(staff_client, path, {"status": "enrolled"}, page).status_code == 400
    with context.db.session() as session:
        group = session.scalar(select(Vsla).order_by(Vsla.id))
        assert session.scalar(select(Person).where(Person.phone == first.phone)) is None
    post(staff_client, f"/console/join-requests/{first.id}/enrol", {"vsla_id": group.id}, page)
    assert f"{first.name} is now a member of {group.name}" in staff_client.get(page).get_data(
        as_text=True
    )
    post(staff_client, path, {"status": "contacted"}, page)  # enrolled is the end
    with context.db.session() as session:
        request = session.get(JoinRequest, first.id)
        assert request.status is JoinStatus.ENROLLED
        person = session.scalars(select(Person).where(Person.phone == first.phone)).one()
        assert (request.person_id, person.vsla_id) == (person.id, group.id)
        assert person.roles == {Role.MEMBER}
        welcome = session.scalars(select(OutboundSms).where(OutboundSms.kind == "welcome"))
        assert [w.phone for w in welcome.all()] == [first.phone]
    assert "already moved on" in staff_client.get(page).get_data(as_text=True)


def test_staff_switch_the_console_language_and_keep_it(context, client, programme) -> None:
    add_staff(context, language=Language.EN)
    sign_in(client)
    assert "Dashboard" in client.get("/console/").get_data(as_text=True)
    response = post(client, "/console/language", {"language": "fr", "next": "/console/people"})
    assert response.headers["Location"] == "/console/people"
    assert "Tableau de bord" in client.get("/console/").get_data(as_text=True)
    post(client, "/console/language", {"language": "rw"})
    client.post("/console/logout", data={"csrf_token": csrf_token(client, "/console/")})
    sign_in(client)
    page = client.get("/console/").get_data(as_text=True)
    assert 'lang="rw"' in page and "Dashboard" not in page


def test_the_login_page_speaks_the_browsers_language(client) -> None:
    page = client.get("/console/login", headers={"Accept-Language": "fr-FR,fr;q=0.9"})
    assert "Mot de passe" in page.get_data(as_text=True)


def test_only_admins_manage_staff_accounts(context, client) -> None:
    boss = add_staff(context, "boss", admin=True)
    add_staff(context, "aline")
    sign_in(client, "aline")
    assert client.get("/console/staff").status_code == 403
    assert "/console/staff" not in client.get("/console/").get_data(as_text=True)
    assert post(client, f"/console/staff/{boss}", {"action": "deactivate"}).status_code == 403

    admin = client.application.test_client()
    sign_in(admin, "boss")
    assert "aline" in admin.get("/console/staff").get_data(as_text=True)
    with context.db.session() as session:
        aline = session.scalar(select(StaffAccount).where(StaffAccount.username == "aline"))
    post(admin, f"/console/staff/{aline.id}", {"action": "deactivate"}, "/console/staff")
    assert client.get("/console/").status_code == 302, "a deactivated account is signed out"
    assert sign_in(client, "aline").status_code == 401
    post(admin, f"/console/staff/{boss}", {"action": "deactivate"}, "/console/staff")
    assert "cannot deactivate your own" in admin.get("/console/staff").get_data(as_text=True)


def test_an_admin_lifts_a_login_lock(context, client) -> None:
    add_staff(context, "boss", admin=True)
    aline = add_staff(context, "aline")
    with context.db.session() as session:
        session.get(StaffAccount, aline).locked_until = utcnow() + timedelta(minutes=10)
    sign_in(client, "boss")
    assert "Unlock" in client.get("/console/staff").get_data(as_text=True)
    post(client, f"/console/staff/{aline}", {"action": "unlock"}, "/console/staff")
    assert sign_in(client.application.test_client(), "aline").status_code == 302


class QueryCounter:
    def __init__(self, engine) -> None:  # type: ignore[no-untyped-def]
        self.n = 0
        event.listen(engine, "before_cursor_execute", self._count)
        self.engine = engine

    def _count(self, *args) -> None:  # type: ignore[no-untyped-def]
        self.n += 1

    def close(self) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)


def test_query_counts_stay_flat_as_data_grows(context, staff_client) -> None:
    pages = ["/console/", "/console/people", "/console/absences", "/console/cooperatives",
             "/console/join-requests", "/console/broadcasts"]

    def counts(programme) -> list[int]:  # type: ignore[no-untyped-def]
        found = []
        for path in [*pages, f"/console/people/{programme.member_id}",
                     f"/console/cooperatives/{programme.cooperative_id}"]:
            counter = QueryCounter(context.db.engine)
            assert staff_client.get(path).status_code == 200
            counter.close()
            found.append(counter.n)
        return found

    with context.db.session() as session:
        programme = console_data.build(session)
    small = counts(programme)
    with context.db.session() as session:
        console_data.grow(session, programme, 30)
    assert counts(programme) == small


def test_the_screen_atlas_page_shows_screens_with_their_keys_and_sms(staff_client, programme):
    page = staff_client.get("/console/screens?lang=rw").get_data(as_text=True)
    assert "new caller <code>*384*1234#</code>" in page
    assert "Murakaza neza kuri Ikimina" in page  # the welcome, in Kinyarwanda
    assert "<code>*384*1234# 3</code>" in page  # Language, from the welcome
    assert "Nyiramahoro Uwimana Claudine" in page  # SMS texts with long names
