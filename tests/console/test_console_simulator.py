"""The phone simulator through HTTP: open to anyone in demo mode at /simulator, behind the
console login otherwise; every hop and SMS goes through the real /ussd and /sms/inbound."""

from __future__ import annotations

import re

import pytest
from sqlalchemy import select
from support import console_data
from support.console import add_staff, csrf_token, post, sign_in
from support.pins import ID_LAST4

from ikimina.app import create_app
from models import InboundSms, Person, UssdSession
from runtime.context import Context
from runtime.runners import InProcessRunner
from worker.process import install

SCREEN = re.compile(r'id="screen"[^>]*>(.*?)</div>', re.S)


@pytest.fixture
def demo_client(settings, programme):  # type: ignore[no-untyped-def]
    """The app as `ikimina demo` runs it: local gateway, no callback token."""
    ctx = install(Context.build(settings.with_(callback_token=""),
                                runner=InProcessRunner(eager=True)))
    app = create_app(context=ctx)
    app.config["TESTING"] = True
    client = app.test_client()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"  # the page in English; screens in rw
    yield client
    ctx.db.dispose()


class Phone:
    """A browser on the simulator page: dial, answer each screen with the form it shows."""

    def __init__(self, client, base: str) -> None:  # type: ignore[no-untyped-def]
        self.client, self.base, self.page = client, base, ""

    def screen(self) -> str:
        found = SCREEN.search(self.page)
        assert found, self.page[-2000:]
        return found.group(1).replace("&#39;", "'")

    def dial(self, phone: str) -> str:
        self.page = post(self.client, f"{self.base}/ussd", {"phone": phone, "action": "dial"},
                         self.base).get_data(as_text=True)
        return self.screen()

    def reply(self, answer: str) -> str:
        fields = dict(re.findall(r'name="(phone|session_id|text)" value="([^"]*)"', self.page))
        self.page = post(self.client, f"{self.base}/ussd", {**fields, "reply": answer},
                         self.base).get_data(as_text=True)
        return self.screen()


def test_a_newcomer_dials_and_reads_a_balance_in_kinyarwanda(context, demo_client) -> None:
    page = demo_client.get("/simulator").get_data(as_text=True)
    assert "+250788100001" in page and "Dial *384*1234#" in page  # the demo phones, no login
    phone = Phone(demo_client, "/simulator")
    assert "1. Ubwizigame bwanjye" in phone.dial("0788200000")
    assert "andika imibare 4 isoza indangamuntu yawe" in phone.reply("1")
    assert "Hitamo umubare w'ibanga" in phone.reply(ID_LAST4)
    assert "Ongera winjize" in phone.reply("2580")
    balance = phone.reply("2580")
    assert "Umubare w'ibanga wabitswe." in balance and "(12,000 Frw)" in balance
    with context.db.session() as session:
        saver = session.scalar(select(Person).where(Person.phone == console_data.SAVER))
        assert saver.pin_hash and saver.pin_hash != "2580"
        hops = session.scalar(select(UssdSession).where(UssdSession.phone == saver.phone))
        assert hops.session_id.startswith("sim-ussd-") and hops.hops == 5
    assert "Session ended" not in phone.page
    ended = Phone(demo_client, "/simulator")
    ended.dial("0788200000")
    ended.reply("1")
    ended.reply("2580")  # a PIN screen: the real engine checks it; then hang up
    hung = post(demo_client, "/simulator/ussd", {"phone": "0788200000", "action": "hangup"},
                "/simulator").get_data(as_text=True)
    assert "Dial *384*1234#" in hung


def test_an_unknown_number_meets_the_join_journey(demo_client) -> None:
    phone = Phone(demo_client, "/simulator")
    assert "Saba kwinjira mu itsinda" in phone.dial("+250788199999")


def test_an_sms_sent_as_a_phone_is_answered_in_its_thread(context, demo_client) -> None:
    response = post(demo_client, "/simulator/sms",
                    {"phone": "0788100003", "text": "HELP"}, "/simulator")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/simulator?phone=%2B250788100003#sms")
    with context.db.session() as session:
        sent = session.scalar(select(InboundSms).where(InboundSms.at_id.startswith("sim-")))
        assert sent.sender == "+250788100003" and sent.at_id.startswith("sim-sms-")
    thread = demo_client.get("/simulator/thread?phone=%2B250788100003").get_data(as_text=True)
    assert '<li class="in">HELP' in thread
    assert '<li class="out">' in thread and "from ikimina" in thread  # the reply, sent locally


def test_the_simulator_refuses_what_it_cannot_do(demo_client) -> None:
    assert post(demo_client, "/simulator/ussd", {"phone": "12", "action": "dial"},
                "/simulator").status_code == 400
    assert "Dial first" in post(demo_client, "/simulator/ussd",
                                {"phone": "0788100001", "session_id": "x", "reply": "1"},
                                "/simulator").get_data(as_text=True)
    assert post(demo_client, "/simulator/sms", {"phone": "0788100001", "text": " "},
                "/simulator").status_code == 400
    forged = demo_client.post("/simulator/ussd", data={"phone": "0788100001", "action": "dial"})
    assert forged.status_code == 400
    assert "Ubwizigame" not in forged.get_data(as_text=True)


def test_outside_the_demo_only_signed_in_staff_simulate(context, client, programme) -> None:
    response = client.get("/simulator?phone=0788100001")
    assert response.status_code == 302
    assert response.headers["Location"] == "/console/simulator?phone=0788100001"
    assert client.get("/console/simulator").status_code == 302  # to the login
    add_staff(context)
    sign_in(client)
    page = client.get("/console/simulator").get_data(as_text=True)
    assert "You act as this number for real" in page and "Demo phones" not in page
    # the hop carries the callback token, so the real endpoint answers
    phone = Phone(client, "/console/simulator")
    assert "1. Ubwizigame bwanjye" in phone.dial(console_data.SAVER)
    with context.db.session() as session:
        assert session.scalar(select(UssdSession.session_id).where(
            UssdSession.phone == console_data.SAVER)).startswith("sim-ussd-s")
    sent = post(client, "/console/simulator/sms", {"phone": "0788100001", "text": "START"},
                "/console/simulator")
    assert sent.headers["Location"].startswith("/console/simulator?phone=")
    assert csrf_token(client, "/console/simulator")


def test_the_demo_phones_show_role_names_and_the_phones_own_sms_on_the_right(demo_client) -> None:
    page = demo_client.get("/simulator").get_data(as_text=True)
    assert "Field officer" in page and "VTC director" in page
    assert "field_officer" not in page and "vtc_director" not in page
    css = demo_client.get("/console/static/console.css").get_data(as_text=True)
    assert ".thread li.in { align-self: flex-end;" in css  # what the phone sent: right side


def test_the_simulator_derives_session_and_phone_server_side(context, demo_client, settings):
    victim = Phone(demo_client, "/simulator")
    victim.dial("0788200000")
    victim.reply("1")
    victim.reply(ID_LAST4)
    victim.reply("2580")
    assert "12,000 Frw" in victim.reply("2580")
    fields = dict(re.findall(r'name="(phone|session_id|text)" value="([^"]*)"', victim.page))
    # another browser posts the victim's session id and phone from its own form
    ctx = install(Context.build(settings.with_(callback_token=""),
                                runner=InProcessRunner(eager=True)))
    other = create_app(context=ctx).test_client()
    other.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    page = post(other, "/simulator/ussd", {**fields, "reply": "98"}, "/simulator")
    assert "Frw" not in page.get_data(as_text=True)
    ctx.db.dispose()
