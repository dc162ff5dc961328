"""Someone the service does not know dials: a welcome, ask to join, help, language."""

from __future__ import annotations

from sqlalchemy import select
from support.ussd import RUBAVU_SECTORS

from locales import translate
from models import JoinRequest, JoinStatus

STRANGER = "+250788555111"


def test_a_stranger_asks_to_join_and_lands_on_the_waiting_list(ussd_world, phone):
    caller = phone(STRANGER)
    welcome = caller.dial()
    assert translate("rw", "Ask to join a savings group") in welcome
    caller.choose(translate("rw", "Ask to join a savings group"))
    assert translate("rw", "Type your full name:") in caller.screen
    assert translate("rw", "Type your name in letters, then send.") in caller.press("42")
    districts = caller.press("Uwase  Aline")
    assert translate("rw", "Choose your district:") in districts
    assert "Gakenke" in districts
    assert "0. " in districts and "00. " in districts
    caller.page_to("Rubavu")
    caller.choose("Rubavu")
    sectors = caller.page_to("Rugerero")
    assert len(sectors) >= 2  # twelve sectors do not fit on one screen
    assert all(name in "".join(sectors) for name in RUBAVU_SECTORS)
    assert caller.press("0") == sectors[-2]  # the previous page of sectors
    caller.press("98")
    caller.choose("Rugerero")
    confirm = caller.screen
    assert "Uwase Aline" in confirm and "Rugerero" in confirm and "Rubavu" in confirm
    done = caller.choose(translate("rw", "Confirm"))
    assert done.startswith("END ") and "0788000000" in done
    with ussd_world.db.session() as s:
        request = s.scalar(select(JoinRequest))
        assert request.phone == STRANGER and request.name == "Uwase Aline"
        assert request.sector.name == "Rugerero" and request.district.name == "Rubavu"
        assert request.status is JoinStatus.WAITING

    caller.dial()  # asking again updates the same request
    caller.choose(translate("rw", "Ask to join a savings group"))
    caller.press("Uwase Aline M")
    caller.page_to("Kicukiro")
    caller.choose("Kicukiro")
    caller.choose(translate("rw", "My sector is not listed"))
    caller.choose(translate("rw", "Confirm"))
    with ussd_world.db.session() as s:
        requests = s.scalars(select(JoinRequest)).all()
        assert len(requests) == 1 and requests[0].district.name == "Kicukiro"
        assert requests[0].sector_id is None and requests[0].name == "Uwase Aline M"


def test_a_stranger_chooses_french_and_asks_for_help(ussd_world, phone):
    caller = phone(STRANGER)
    caller.dial()
    caller.choose(translate("rw", "Language"))
    assert caller.choose("Francais").startswith(
        "CON " + translate("fr", "Your language is changed.")
    )
    caller.press("00")
    assert translate("fr", "Ask to join a savings group") in caller.screen
    help_line = caller.choose(translate("fr", "Help"))
    assert help_line.startswith("END ") and "0788000000" in help_line
    caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    caller.press("Jean Bosco")
    caller.press("0")  # back from the districts to the name
    assert translate("rw", "Type your full name:") in caller.screen


def test_back_and_home_work_on_every_join_screen(ussd_world, phone):
    caller = phone(STRANGER)
    welcome = caller.dial()
    steps = [translate("rw", "Ask to join a savings group"), None, "Rubavu", "Gisenyi"]
    for n in range(1, len(steps) + 1):
        caller.dial()
        for step in steps[:n]:
            if step is None:
                caller.press("Uwase Aline")
            else:
                caller.page_to(step)
                caller.choose(step)
        here = caller.screen
        assert "0. " in here and "00. " in here
        assert caller.press("00") == welcome
        assert caller.press("0") == welcome  # back on home stays home
