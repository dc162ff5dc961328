"""Who may set a PIN: a forgotten PIN reset by the member (ID digits, then a one-time code by
SMS) or by the chairperson with a field officer's confirmation; the old PIN no longer works; a
code works once, for 15 minutes, 3 tries; a borrowed phone cannot set a first PIN without the
proof (the ID digits, or the record-keeper's meeting code); and no code reaches the hop log."""

from __future__ import annotations

from datetime import timedelta

import pytest
from sqlalchemy import select, update
from support import factories as make
from support.pins import ID_LAST4, code_in, first_pin
from support.sms import texts_to
from support.ussd import LEADER, MEMBER, MEMBER_EN, MEMBER_FR, store_waiting_hops

from locales import translate
from locales.formatting import format_money
from models import (
    ConfirmedHow,
    Language,
    Person,
    PinReset,
    ResetPurpose,
    ResetStatus,
    Role,
    UssdHop,
    VslaOffice,
    utcnow,
)
from models.pins import set_pin
from services.constitution import set_offices

OLD, NEW = "4821", "5930"
OFFICER = "+250788100020"
NEWCOMER = "+250788100030"
BACK = "\n0. Back 00. Home"


def t(lang: str, message: str, **values: object) -> str:
    return translate(lang, message, **values)


def _set_pin(world, number: str, pin: str = OLD) -> None:  # type: ignore[no-untyped-def]
    with world.db.session() as s:
        set_pin(
            s.scalars(select(Person).where(Person.phone == number)).one(),
            pin,
            pepper=world.settings.pin_pepper,
        )


def _person(world, number: str) -> Person:  # type: ignore[no-untyped-def]
    with world.db.session() as s:
        return s.scalars(select(Person).where(Person.phone == number)).one()


def _resets(world) -> list[PinReset]:  # type: ignore[no-untyped-def]
    with world.db.session() as s:
        return list(s.scalars(select(PinReset).order_by(PinReset.id)))


def _balances(caller, pin: str) -> str:  # type: ignore[no-untyped-def]
    caller.dial()
    caller.choose(t("en", "My savings"))
    return caller.press(pin)


def _to_code_screen(caller) -> str:  # type: ignore[no-untyped-def]
    """Dial, My savings, Forgot PIN, the ID digits: the code screen."""
    caller.dial()
    caller.choose("My savings")
    caller.choose("Forgot PIN")
    return caller.press(ID_LAST4)


def _no_hop_holds(world, *secrets: str) -> None:  # type: ignore[no-untyped-def]
    """No code, ID digits or PIN typed is in the analytics (`ussd_hops.input`)."""
    store_waiting_hops(world)
    with world.db.session() as s:
        inputs = list(s.scalars(select(UssdHop.input)))
    assert inputs and not [i for i in inputs for x in secrets if x in i], inputs


@pytest.fixture
def offices(ussd_world):  # type: ignore[no-untyped-def]
    """The leader chairs Twiyubake, the fr member keeps its records; a field officer in
    Rubavu; every officer with a PIN."""
    with ussd_world.db.session() as s:
        make.person(s, OFFICER, "Habimana Jean", roles=(Role.FIELD_OFFICER,), language=Language.EN)
        leader = s.scalars(select(Person).where(Person.phone == LEADER)).one()
        set_offices(s, leader, {VslaOffice.CHAIRPERSON})
        recorder = s.scalars(select(Person).where(Person.phone == MEMBER_FR)).one()
        set_offices(s, recorder, {VslaOffice.SECRETARY})
        group = leader.vsla
        make.person(s, NEWCOMER, "Ingabire Claudine", vsla=group)  # no ID recorded, no PIN
    for number in (LEADER, MEMBER_FR):
        _set_pin(ussd_world, number, "2580")
    return ussd_world


def test_a_member_resets_a_forgotten_PIN_with_the_ID_digits_and_a_code_by_SMS(
    ussd_world, phone
) -> None:
    _set_pin(ussd_world, MEMBER_EN)
    caller = phone(MEMBER_EN)
    caller.dial()
    assert caller.choose("My savings") == ("CON Enter your PIN (4 digits):\n1. Forgot PIN" + BACK)
    assert caller.choose("Forgot PIN") == (
        "CON To reset your PIN, type the last 4 digits of your national ID:" + BACK
    )
    assert caller.press("9999") == (
        "CON Wrong ID digits. Tries left: 2.\n"
        "To reset your PIN, type the last 4 digits of your national ID:" + BACK
    )
    assert texts_to(ussd_world, MEMBER_EN, "pin_code") == []
    assert caller.press(ID_LAST4) == (
        "CON We sent you a code by SMS.\nType the code of 6 digits we sent you by SMS:" + BACK
    )
    [sms] = texts_to(ussd_world, MEMBER_EN, "pin_code")
    code = code_in(sms)
    assert sms == (
        f"Ikimina: your code for a new PIN is {code}. Dial *384*1234#, choose Forgot PIN and "
        "type it within 15 min. Never share it."
    )
    wrong = "000000" if code != "000000" else "111111"
    assert caller.press(wrong).startswith("CON Wrong code. Tries left: 2.\n")
    assert caller.press(code) == ("CON Choose a new PIN of 4 digits (not your MoMo PIN):" + BACK)
    caller.press(NEW)
    saved = caller.press(NEW)
    assert saved.startswith("CON Your PIN is saved.\n") and format_money(15000) in saved
    [done] = texts_to(ussd_world, MEMBER_EN, "pin_reset")
    assert done.startswith("Ikimina: your PIN was reset ")
    assert done.endswith(". If it was not you, call 0788000000.")

    assert "Wrong PIN. Tries left: 2." in _balances(phone(MEMBER_EN), OLD)  # the old PIN
    assert format_money(15000) in _balances(phone(MEMBER_EN), NEW)
    [reset] = [r for r in _resets(ussd_world) if r.status is ResetStatus.USED]
    assert (reset.purpose, reset.confirmed_how, reset.on_behalf) == (
        ResetPurpose.RESET,
        ConfirmedHow.SELF,
        False,
    )
    assert reset.expires_at - reset.sent_at == timedelta(minutes=15)
    assert reset.code_hash and code not in reset.code_hash and reset.code_hash.startswith("$argon2")
    _no_hop_holds(ussd_world, code, ID_LAST4, "9999", NEW)


def test_a_code_works_once(ussd_world, phone) -> None:
    _set_pin(ussd_world, MEMBER_EN)
    first, second = phone(MEMBER_EN), phone(MEMBER_EN)
    _to_code_screen(first)
    code = code_in(texts_to(ussd_world, MEMBER_EN, "pin_code")[-1])
    second.dial()
    second.choose("My savings")
    assert second.choose("Forgot PIN").startswith("CON Type the code of 6 digits")  # still out
    first.press(code)
    first.press(NEW, NEW)
    assert second.press(code) == (
        "END This code no longer works. Choose Forgot PIN again for a new one."
    )
    assert format_money(15000) in _balances(phone(MEMBER_EN), NEW)


def test_a_code_expires_after_15_minutes(ussd_world, phone) -> None:
    _set_pin(ussd_world, MEMBER_EN)
    caller = phone(MEMBER_EN)
    _to_code_screen(caller)
    code = code_in(texts_to(ussd_world, MEMBER_EN, "pin_code")[-1])
    with ussd_world.db.session() as s:  # 15 minutes and a second have passed since it was sent
        s.execute(
            update(PinReset).values(
                sent_at=utcnow() - timedelta(minutes=15, seconds=1),
                expires_at=utcnow() - timedelta(seconds=1),
            )
        )
    assert caller.press(code) == (
        "END This code no longer works. Choose Forgot PIN again for a new one."
    )
    assert [r.status for r in _resets(ussd_world)] == [ResetStatus.EXPIRED]
    assert format_money(15000) in _balances(phone(MEMBER_EN), OLD)  # nothing changed


def test_three_wrong_codes_kill_the_code(ussd_world, phone) -> None:
    _set_pin(ussd_world, MEMBER_EN)
    caller = phone(MEMBER_EN)
    _to_code_screen(caller)
    code = code_in(texts_to(ussd_world, MEMBER_EN, "pin_code")[-1])
    wrong = [c for c in ("000000", "111111", "222222") if c != code]
    while len(wrong) < 3:
        wrong.append("333333")
    assert "Tries left: 2." in caller.press(wrong[0])
    assert "Tries left: 1." in caller.press(wrong[1])
    assert caller.press(wrong[2]).startswith("END This code no longer works.")
    again = phone(MEMBER_EN)
    again.dial()
    again.choose("My savings")
    again.choose("Forgot PIN")
    assert again.screen.startswith("CON To reset your PIN")  # no live code: a new one is needed
    assert [r.status for r in _resets(ussd_world)] == [ResetStatus.LOCKED]


def test_a_chairperson_cannot_reset_a_phone_two_group_members_share(offices, phone) -> None:
    """On a household's phone the number does not say whose PIN: staff check the ID digits."""
    with offices.db.session() as s:
        group = s.scalars(select(Person).where(Person.phone == MEMBER)).one().vsla
        make.person(s, MEMBER, "Uwase Diane", vsla=group)
    chair = phone(LEADER)
    chair.dial()
    chair.choose(t("rw", "Group books"))
    chair.press("2580")
    chair.page_to(t("rw", "PIN reset for a member"))
    chair.choose(t("rw", "PIN reset for a member"))
    screen = chair.press("0788 100 001")
    assert (
        "Abanyamuryango benshi b'itsinda ryawe basangiye iyi nomero: saba abakozi b'umushinga."
        in screen
    )
    assert _resets(offices) == [] and texts_to(offices, MEMBER, "pin_reset") == []


def test_the_chairperson_asks_and_the_field_officer_confirms_a_reset(offices, phone) -> None:
    world = offices
    _set_pin(world, MEMBER)
    chair = phone(LEADER)
    chair.dial()
    chair.choose(t("rw", "Group books"))
    chair.press("2580")
    chair.page_to(t("rw", "PIN reset for a member"))
    chair.choose(t("rw", "PIN reset for a member"))
    assert chair.press("0788 100 001") == (
        "CON Usabira Member rw 0788100001 umubare w'ibanga mushya? Umukozi ubakurikirana "
        "agomba kubyemeza.\n1. Emeza\n0. Inyuma 00. Ahabanza"
    )
    assert chair.choose(t("rw", "Confirm")) == (
        "END Byoherejwe. Umukozi ubakurikirana abona SMS; Member rw azabona kode namara kubyemeza."
    )
    assert texts_to(world, MEMBER, "pin_code") == []  # nothing before the second confirmation
    assert texts_to(world, MEMBER, "pin_reset") == [
        "Ikimina: Mukamana Leader yagusabiye umubare w'ibanga mushya. Kode izaza bimaze "
        "kwemezwa. Niba utabisabye, hamagara 0788000000."
    ]
    assert texts_to(world, OFFICER, "pin_reset_confirm") == [
        "Ikimina: Mukamana Leader asks a PIN reset for Member rw 0788100001 (Twiyubake). Call "
        "the member, then confirm in Field follow-up."
    ]
    member = phone(MEMBER)
    member.dial()
    member.choose(t("rw", "My savings"))
    member.choose(t("rw", "Forgot PIN"))
    assert member.screen.startswith("CON Kugira ngo uhindure umubare w'ibanga")  # no code yet

    officer = phone(OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("PIN resets (1)")
    assert officer.choose("Member rw 0788100001") == (
        "CON Mukamana asks a PIN reset for Member rw 0788100001. Call them first.\n"
        "1. Confirm: send the code\n2. Refuse\n0. Back 00. Home"
    )
    assert officer.choose("Confirm: send the code") == (
        "END Confirmed. Member rw gets a code by SMS."
    )
    [sms] = texts_to(world, MEMBER, "pin_code")
    code = code_in(sms)
    assert sms == (
        f"Ikimina: kode yo guhindura umubare w'ibanga ni {code}. Kanda *384*1234#, hitamo "
        "Nibagiwe umubare w'ibanga, uyandike mu minota 15. Ntuyihe undi."
    )
    member = phone(MEMBER)
    member.dial()
    member.choose(t("rw", "My savings"))
    assert member.choose(t("rw", "Forgot PIN")) == (
        "CON Andika kode y'imibare 6 twakoherereje kuri SMS:\n0. Inyuma 00. Ahabanza"
    )
    member.press(code)
    member.press(NEW)
    assert t("rw", "Your PIN is saved.") in member.press(NEW)
    member = phone(MEMBER)
    member.dial()
    member.choose(t("rw", "My savings"))
    assert t("rw", "Wrong PIN. Tries left: {n}.", n=2) in member.press(OLD)
    assert format_money(15000) in member.press(NEW)
    reset = [r for r in _resets(world) if r.status is ResetStatus.USED][0]
    assert (reset.on_behalf, reset.confirmed_how) == (True, ConfirmedHow.FIELD_OFFICER)
    assert reset.asked_by_id == _person(world, LEADER).id
    assert reset.confirmed_by_id == _person(world, OFFICER).id


def test_a_field_officer_can_refuse_and_no_code_goes_out(offices, phone) -> None:
    _set_pin(offices, MEMBER)
    chair = phone(LEADER)
    chair.dial()
    chair.choose(t("rw", "Group books"))
    chair.press("2580")
    chair.page_to(t("rw", "PIN reset for a member"))
    chair.choose(t("rw", "PIN reset for a member"))
    assert "Nta munyamuryango" in chair.press("0788100010")  # the trainer: not in the group
    chair.press("0788100001")
    chair.choose(t("rw", "Confirm"))
    officer = phone(OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("PIN resets (1)")
    officer.choose("Member rw 0788100001")
    assert officer.choose("Refuse") == "END Refused. No code is sent."
    assert texts_to(offices, MEMBER, "pin_code") == []
    officer.dial()
    assert "PIN resets" not in officer.choose("Field follow-up")


def test_a_borrowed_phone_cannot_set_a_first_PIN_without_the_proof(ussd_world, phone) -> None:
    borrower = phone(MEMBER_EN)
    borrower.dial()
    assert borrower.choose("My savings") == (
        "CON To choose your PIN, type the last 4 digits of your national ID, or the code "
        "your group's record-keeper gave you:" + BACK
    )
    assert borrower.press(OLD).startswith("CON Wrong ID digits or code. Tries left: 2.\n")
    assert borrower.press(OLD).startswith("CON Wrong ID digits or code. Tries left: 1.\n")
    assert borrower.press("123456").startswith("CON Too many wrong tries. Call 0788000000.\n")
    assert borrower.press(ID_LAST4).startswith("CON Too many wrong tries.")  # for 24 hours
    assert _person(ussd_world, MEMBER_EN).pin_hash is None
    store_waiting_hops(ussd_world)
    with ussd_world.db.session() as s:
        inputs = list(s.scalars(select(UssdHop.input)))
    assert inputs and not [i for i in inputs if OLD in i or ID_LAST4 in i or "123456" in i]

    member = phone(MEMBER)  # the member herself knows her ID digits
    member.dial()
    member.choose(t("rw", "My savings"))
    assert t("rw", "Your PIN is saved.") in first_pin(member)


def test_the_record_keeper_gives_a_first_PIN_code_at_the_meeting(offices, phone) -> None:
    newcomer = phone(NEWCOMER)  # no ID recorded: only the record-keeper's code will do
    newcomer.dial()
    newcomer.choose(t("rw", "My savings"))
    assert newcomer.press(ID_LAST4).startswith(
        "CON " + t("rw", "Wrong ID digits or code. Tries left: {n}.", n=2)
    )
    recorder = phone(MEMBER_FR)
    recorder.dial()
    recorder.choose(t("fr", "Group books"))
    recorder.press("2580")
    recorder.page_to(t("fr", "First PIN code"))
    recorder.choose(t("fr", "First PIN code"))
    assert "Aucun membre" in recorder.press("0788100010")
    recorder.press("0788100030")
    shown = recorder.choose(t("fr", "Confirm"))
    code = shown.split(" : ")[1].split(".")[0]
    assert shown == (
        f"END Code pour Ingabire Claudine : {code}. Valable une fois, 15 minutes : il compose, "
        "choisit Mon épargne et le tape."
    )
    assert texts_to(offices, NEWCOMER) == []  # read out at the meeting, never sent
    saved = first_pin(newcomer, NEW, proof=code)
    assert t("rw", "Your PIN is saved.") in saved
    again = phone(NEWCOMER)  # the code worked once
    with offices.db.session() as s:
        s.execute(update(Person).where(Person.phone == NEWCOMER).values(pin_hash=None))
    again.dial()
    again.choose(t("rw", "My savings"))
    assert again.press(code) == (  # the second wrong proof today (the prompt left out)
        "CON Imibare y'indangamuntu cyangwa kode si byo. Usigaje kugerageza: 1.\n"
        "0. Inyuma 00. Ahabanza"
    )
    store_waiting_hops(offices)
    with offices.db.session() as s:
        inputs = list(s.scalars(select(UssdHop.input)))
    assert not [i for i in inputs if code in i]


def test_a_member_moves_to_a_new_number_confirmed_from_it(ussd_world, phone) -> None:
    _set_pin(ussd_world, MEMBER_EN)
    caller = phone(MEMBER_EN)
    caller.dial()
    caller.choose("Change phone number")
    caller.press(OLD)
    assert caller.press("0788100002") == (
        "CON That number already belongs to someone in Ikimina. Call 0788000000.\n"
        "Type your new phone number:" + BACK
    )
    assert caller.press("0788777001") == (
        "END We sent a code to 0788777001. Within 15 minutes, dial *384*1234# from that "
        "phone and type it."
    )
    [sms] = texts_to(ussd_world, "+250788777001", "phone_code")
    code = code_in(sms)
    assert sms == (
        "Ikimina: to make this number Member's, dial *384*1234# from it within 15 min and type "
        f"the code {code}. Never share it."
    )
    assert _person(ussd_world, MEMBER_EN).phone == MEMBER_EN  # not before the new phone says so
    new = phone("+250788777001")
    assert new.dial() == ("CON To make this number Member's, type the code we sent to it by SMS:")
    assert new.press(code) == (
        "END Done: this number is now Member en's. Dial *384*1234# again to use it."
    )
    moved = _person(ussd_world, "+250788777001")
    assert moved.name == "Member en"
    for number in (MEMBER_EN, "+250788777001"):
        [done] = texts_to(ussd_world, number, "phone_changed")
        assert done.startswith("Ikimina: your number is now 0788777001 (")
    assert format_money(15000) in _balances(phone("+250788777001"), OLD)
    _no_hop_holds(ussd_world, code)
    assert phone(MEMBER_EN).dial().startswith("CON Murakaza neza kuri Ikimina")  # unknown now
