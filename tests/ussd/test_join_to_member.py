"""A join request becomes a person: the requester sees it wait, a field officer calls and
enrols them in a group, they get a welcome SMS, dial and set their PIN."""

from __future__ import annotations

from datetime import date

from sqlalchemy import select
from support import factories as make
from support.sms import texts_to

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
    today = date.today()
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
    prompt = translate("rw", "Choose a new PIN of 4 digits (not your MoMo PIN):")
    assert prompt in caller.choose("Ubwizigame bwanjye")
    caller.press("4826")
    saved = caller.press("4826")
    assert translate("rw", "Your PIN is saved.") in saved
    assert "Imigabane: " in saved
    assert caller.dial().startswith("CON Ikimina. Hitamo:")
