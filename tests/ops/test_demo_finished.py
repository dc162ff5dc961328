"""The demo feels finished: `/` leads somewhere, delivery reports, Kigali time, one "dropped"."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import select
from support import factories as make
from support.console import add_staff, sign_in

from models import Language, OutboundSms, SmsStatus, StaffAccount, UssdSession, utcnow
from services.outbox import queue_sms


def test_the_first_page_of_the_demo_is_the_simulator_which_links_the_console(world_with) -> None:
    _ctx, client, _world = world_with(callback_token="")
    first = client.get("/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/simulator")
    page = client.get("/simulator", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert 'href="/console/login"' in page and "Staff console" in page


def test_outside_the_demo_the_first_page_is_the_console(client) -> None:
    first = client.get("/")
    assert first.status_code == 302 and first.headers["Location"].endswith("/console/")


def test_the_local_gateway_reports_delivery_and_fails_numbers_ending_in_7(world_with) -> None:
    context, client, _world = world_with(callback_token="", local_delivery_reports=True)
    with context.db.session() as s:
        ok = queue_sms(s, context.settings, "+250788100001", "Inama ejo").id
        off = queue_sms(s, context.settings, "+250788110007", "Inama ejo").id
    with context.db.session() as s:
        delivered, failed = s.get(OutboundSms, ok), s.get(OutboundSms, off)
        assert delivered.status is SmsStatus.DELIVERED
        assert (failed.status, failed.failure_reason) == (SmsStatus.FAILED, "AbsentSubscriber")
    add_staff(context)
    sign_in(client)
    dashboard = client.get("/console/").get_data(as_text=True)
    assert "50%" in dashboard  # 1 delivered of 2 handed to the network


def test_the_demo_inbox_shows_kigali_time(world_with) -> None:
    context, client, _world = world_with(callback_token="")
    with context.db.session() as s:
        row_id = queue_sms(s, context.settings, "+250788100001", "Inama ejo").id
    with context.db.session() as s:
        sent_at = s.get(OutboundSms, row_id).sent_at
    page = client.get("/demo/sms/+250788100001").get_data(as_text=True)
    kigali = (sent_at + timedelta(hours=2)).strftime("%Y-%m-%d %H:%M")
    assert f"[{kigali}]" in page and "UTC" not in page and "Africa/Kigali" in page


def test_a_session_is_dropped_on_the_person_page_only_when_the_dashboard_says_so(
    context, client
) -> None:
    with context.db.session() as s:
        person_id = make.person(s, "+250788100001").id
        s.add(UssdSession(session_id="live", phone="+250788100001"))
    add_staff(context)
    sign_in(client)
    page = client.get(f"/console/people/{person_id}").get_data(as_text=True)
    assert "In progress" in page and "Dropped" not in page
    with context.db.session() as s:
        live = s.scalar(select(UssdSession).where(UssdSession.session_id == "live"))
        live.last_hop_at = utcnow() - timedelta(seconds=context.settings.ussd_session_ttl_s + 1)
    page = client.get(f"/console/people/{person_id}").get_data(as_text=True)
    assert "Dropped" in page and "In progress" not in page


def test_a_new_account_left_at_the_default_language_takes_the_login_pages(context, client) -> None:
    add_staff(context, "admin", admin=True, language=Language.RW)
    login = client.get("/console/login", headers={"Accept-Language": "en"}).get_data(as_text=True)
    assert "Sign in" in login
    sign_in(client, "admin")  # the browser asks for English
    with context.db.session() as s:
        account = s.scalar(select(StaffAccount).where(StaffAccount.username == "admin"))
        assert account.language is Language.EN
    assert "Sign out" in client.get("/console/").get_data(as_text=True)
