"""A join request becomes a person: the requester sees it wait, a field officer calls and
enrols them in a group, recording the last 4 digits of their national ID (asked on the call:
the proof for their first PIN); they get a welcome SMS, dial, give that proof and set their
PIN."""

from __future__ import annotations

from sqlalchemy import select
from support import factories as make
from support.pins import ID_LAST4, first_pin
from support.sms import kigali_today, texts_to

from locales import translate
from models import JoinRequest, JoinStatus, Language, Person, Role

STRANGER = "+250788555111"
OFFICER = "+250788100020"


def test_a_join_request_becomes_a_person_who_dials_and_sets_a_PIN(ussd_world, phone) -> None:
    with ussd_world.db.session() as s:
        make.person(s, OFFICER, "Habimana Jean", roles=(Role.FIELD_OFFICER,), language=Language.EN)
    caller = phone(STRANGER)
    caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    caller.press("Uwase Alice")
    caller.page_to("Rubavu")
    caller.choose("Rubavu")
    caller.choose("Gisenyi")
    assert caller.choose(translate("rw", "Confirm")).startswith("END ")
    today = kigali_today()  # the date the screen shows is Kigali's
    assert caller.dial() == (
        f"CON Icyifuzo cyawe cyo kwinjira mu itsinda ({today:%d/%m/%Y}) kiracyategereje. "
        "Tuzaguhamagara.\n1. Saba kwinjira mu itsinda\n2. Ubufasha"
    )

    officer = phone(OFFICER)
    officer.dial()
    officer.choose("Field follow-up")
    officer.choose("Join requests (1)")
    officer.choose("Uwase Alice 0788555111")
    called = officer.choose("I called them")
    assert called.startswith("CON Marked as called.\n") and "We called them." in called
    officer.choose("Enrol in a group")
    officer.choose("Twiyubake")
    assert officer.choose("Confirm") == (
        "CON Enrolled. For Uwase Alice's first PIN, type the last 4 digits of their ID:\n"
        "1. They have no ID\n0. Back 00. Home"
    )
    assert officer.press("12a4").startswith(
        "CON Type the last 4 digits of the national ID, like 4417.\n"
    )
    assert officer.press(ID_LAST4) == (
        "END Uwase Alice is now a member of Twiyubake. Welcome SMS sent."
    )
    with ussd_world.db.session() as s:
        [person] = s.scalars(select(Person).where(Person.phone == STRANGER)).all()
        assert (person.name, person.language, person.vsla.name, person.sector.name) == (
            "Uwase Alice",
            Language.RW,
            "Twiyubake",
            "Gisenyi",
        )
        assert person.roles == {Role.MEMBER}
        assert person.id_last4_hash and ID_LAST4 not in person.id_last4_hash  # hashed
        request = s.scalars(select(JoinRequest)).one()
        assert (request.status, request.person_id) == (JoinStatus.ENROLLED, person.id)
        assert request.enrolled_by_id == s.scalar(select(Person.id).where(Person.phone == OFFICER))
    assert texts_to(ussd_world, STRANGER, "welcome") == [
        "Murakaza neza muri Twiyubake, Uwase Alice! Kanda *384*1234#, hitamo Ubwizigame "
        "bwanjye, ushyireho umubare w'ibanga w'imibare 4."
    ]

    assert caller.dial() == (
        "CON Icyifuzo cyawe cyemejwe: murakaza neza muri Twiyubake! Shyiraho umubare w'ibanga "
        "muri Ubwizigame bwanjye.\n1. Ubwizigame bwanjye\n2. Ahabanza"
    )
    assert caller.choose("Ubwizigame bwanjye") == (
        "CON Kugira ngo ushyireho umubare w'ibanga, andika imibare 4 isoza indangamuntu yawe, "
        "cyangwa kode umunyamabanga w'itsinda yaguhaye:\n0. Inyuma 00. Ahabanza"
    )
    saved = first_pin(caller, "4826", proof=ID_LAST4)
    new_pin = translate("rw", "Choose a new PIN of 4 digits (not your MoMo PIN):")
    assert new_pin in caller.screens[-3]
    assert translate("rw", "Your PIN is saved.") in saved
    assert "Imigabane: " in saved
    assert caller.dial().startswith("CON Ikimina. Hitamo:")
