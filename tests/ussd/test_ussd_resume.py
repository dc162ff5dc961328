"""A session dropped by the network can be resumed by dialling again within 5 minutes."""

from __future__ import annotations

from support.pins import first_pin
from support.ussd import MEMBER

from locales import translate

STRANGER = "+250788555222"


def test_dialling_again_offers_to_continue_where_it_stopped(ussd_world, phone):
    caller = phone(STRANGER)
    caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    districts = caller.press("Uwase Aline")
    offer = caller.dial()  # the network dropped the session; a new one starts
    assert offer.startswith("CON " + translate("rw", "Welcome back."))
    assert translate("rw", "Continue where you stopped") in offer
    assert caller.press("0") == offer and caller.press("98").startswith("CON ")
    assert caller.choose(translate("rw", "Continue where you stopped")) == districts
    caller.page_to("Rubavu")
    caller.choose("Rubavu")
    caller.choose("Gisenyi")
    assert "Uwase Aline" in caller.screen  # the name typed before the drop is kept
    assert caller.press("0").startswith("CON " + translate("rw", "Choose your sector:"))


def test_start_again_goes_home_and_a_finished_session_is_not_offered(ussd_world, phone):
    caller = phone(STRANGER)
    welcome = caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    caller.dial()
    assert caller.choose(translate("rw", "Start again")) == welcome
    caller.choose(translate("rw", "Help"))  # ends the session
    assert caller.dial() == welcome


def test_back_on_the_menu_leaves_nothing_to_resume(ussd_world, phone):
    caller = phone(MEMBER)
    menu = caller.dial()
    caller.choose(translate("rw", "My trainings"))
    caller.press("0")
    assert caller.dial() == menu


def test_never_resumes_past_a_pin_screen(ussd_world, phone):
    caller = phone(MEMBER)
    caller.dial()
    caller.choose(translate("rw", "My savings"))
    first_pin(caller)  # the proof, then the first PIN chosen; balances shown
    menu = caller.dial()
    assert menu.startswith("CON " + translate("rw", "Ikimina. Choose:"))  # no offer
    caller.choose(translate("rw", "My savings"))  # dropped on the PIN screen
    caller.dial()
    assert caller.screen == menu  # nothing before the PIN to go back to
    caller.choose(translate("rw", "Next meeting"))
    caller.choose(translate("rw", "Send me this by SMS"))
    caller.press("0", "0")
    caller.choose(translate("rw", "My savings"))
    caller.press("4821")  # the balances, then the network drops
    assert caller.dial() == menu  # balances are never resumed to, nor what came before them


def test_the_offer_expires_after_the_resume_window(ussd_world, phone, app):
    import time

    from ussd.views import engine

    with app.app_context():
        eng = engine()
    eng.settings = eng.settings.with_(ussd_resume_window_s=1)
    caller = phone(STRANGER)
    welcome = caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    time.sleep(1.2)
    assert caller.dial() == welcome


def test_the_offer_is_only_for_the_number_that_was_dropped(ussd_world, phone):
    caller = phone(STRANGER)
    welcome = caller.dial()
    caller.choose(translate("rw", "Ask to join a savings group"))
    caller.press("Uwase Aline")
    other = phone("+250788555333")
    assert other.dial() == welcome  # someone else dialling is not offered this session
    assert translate("rw", "Welcome back.") not in welcome
    offer = caller.dial()
    assert offer.startswith("CON " + translate("rw", "Welcome back."))
    caller.choose(translate("rw", "Start again"))
    assert caller.dial() == welcome  # once declined, it is not offered again
