"""A staff member uses the console in a real browser (Debian's Chromium through Playwright)
against the app served on 127.0.0.1: signs in, opens every page, acts, switches language.

Outside CI the test is skipped when the browser is not installed; in CI (CI=true) it must run,
and .ci/run installs Chromium when it is missing.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest
from support.console_browser import (
    CHROMIUM,
    browser_page,
    dial_to_balance,
    served_console,
    sign_in,
    upload_with_errors,
)
from support.console_data import SAVER

if not Path(CHROMIUM).exists():
    if os.environ.get("CI") == "true":
        raise RuntimeError(f"CI needs the browser at {CHROMIUM} (apt-get install chromium)")
    pytest.skip(f"no browser at {CHROMIUM} (apt-get install chromium)", allow_module_level=True)


#: The served console (its job thread included) lives for the whole module.
pytestmark = pytest.mark.background_ok


@pytest.fixture(scope="module")
def console(tmp_path_factory):  # type: ignore[no-untyped-def]
    workdir = tmp_path_factory.mktemp("browser")
    with served_console(workdir) as served, browser_page(workdir) as page:
        yield served, page


def test_a_visitor_is_sent_to_the_login_page(console) -> None:
    served, page = console
    page.goto(f"{served.url}/console/people")
    assert page.url.startswith(f"{served.url}/console/login")
    page.fill("input[name=username]", "admin")
    page.fill("input[name=password]", "not the password")
    page.click("form.login button")
    assert "Wrong username or password" in page.inner_text("[role=alert]")


def test_staff_sign_in_and_open_every_page(console) -> None:
    served, page = console
    sign_in(page, served.url)
    assert page.inner_text("h1") == "Dashboard"
    for link, heading in [
        ("People", "People"),
        ("Absence cases", "Open absence cases"),
        ("Cooperatives", "Registration pipeline"),
        ("Join requests", "Join requests"),
        ("Broadcasts", "Broadcasts"),
        ("Staff", "Staff accounts"),
        ("Dashboard", "Dashboard"),
    ]:
        page.click(f"header nav a:has-text('{link}')")
        assert page.inner_text("h1").startswith(heading), link
        assert page.get_attribute("header nav a[aria-current=page]", "href") == page.url.replace(
            served.url, ""
        ).split("?")[0]


def test_staff_find_a_person_and_opt_them_out(console) -> None:
    served, page = console
    page.goto(f"{served.url}/console/people")
    page.fill("input[name=q]", "0788 100 001")
    page.click("form.search button")
    page.click("text=Uwase Aline")
    assert "Locked until" in page.inner_text("#pin-state")
    page.click("#opt-out-state button")
    assert "Opted out since" in page.inner_text("#opt-out-state")
    page.click("summary:has-text('Delivered')")
    assert page.is_visible("text=ATXid_1")


def test_staff_follow_a_cooperative_and_its_history(console) -> None:
    served, page = console
    page.goto(f"{served.url}/console/cooperatives")
    page.click(".pipeline a:has-text('Certified')")
    page.click("text=Dufatanye")
    assert "RCA/2026/0417" in page.inner_text("main")
    assert page.locator(".history li").count() == 2


def test_staff_mark_a_join_request_contacted_then_enrolled(console) -> None:
    served, page = console
    page.goto(f"{served.url}/console/join-requests")
    row = page.locator("tr", has_text="Ishimwe Clarisse")
    row.locator("button:has-text('Mark contacted')").click()
    assert "Ishimwe Clarisse: Contacted." in page.inner_text("[role=status]")
    page.click(".tabs a:has-text('Contacted')")
    page.locator("tr", has_text="Ishimwe Clarisse").locator("button").click()
    page.click(".tabs a:has-text('Enrolled')")
    assert page.locator("tr", has_text="Ishimwe Clarisse").count() == 1


def test_staff_switch_the_console_to_french_and_kinyarwanda(console) -> None:
    served, page = console
    page.goto(f"{served.url}/console/broadcasts")
    page.click("header button[value=fr]")
    assert page.inner_text("h1") == "Diffusions"
    assert page.url.endswith("/console/broadcasts")
    page.click("header button[value=rw]")
    assert page.inner_text("header nav a[href='/console/']") == "Ahabanza"
    page.click("header button[value=en]")
    page.click("header button:has-text('Sign out')")
    assert page.url.startswith(f"{served.url}/console/login")


def test_staff_compose_a_broadcast_send_it_and_watch_it_complete(console) -> None:
    served, page = console
    sign_in(page, served.url)
    page.goto(f"{served.url}/console/broadcasts")
    page.click("a.button:has-text('New broadcast')")
    page.select_option("select[name=district]", "Rubavu")
    page.select_option("select[name=role]", "member")
    page.fill("textarea[name=text_rw]", "Inama ni ejo saa tatu \u2705")
    # the live preview (JavaScript) counts the recipients and marks what GSM-7 lacks
    page.wait_for_selector(".check mark")
    assert page.inner_text(".check mark") == "\u2705"
    page.fill("textarea[name=text_rw]", "Inama ni ejo saa tatu.")
    page.wait_for_selector(".check mark", state="detached")
    recipients = page.inner_text("#recipients")
    assert int(recipients) >= 10
    page.check("input[name=urgent]")  # whatever the hour, quiet hours do not hold it back
    page.click("button[value=send]")
    page.wait_for_selector("[role=status]:has-text('on its way')")
    page.wait_for_function(
        "n => document.querySelector('[data-count=sent]').textContent.trim() === n", arg=recipients
    )
    assert page.inner_text("#broadcast-status") == "Done"
    assert page.inner_text("[data-count=queued]") == "0"


def test_staff_move_a_cooperative_to_its_next_stage(console) -> None:
    served, page = console
    sign_in(page, served.url)
    page.goto(f"{served.url}/console/cooperatives/{served.programme.cooperative_id}")
    page.select_option("select[name=stage]", "certified")
    page.click("#move-stage button")
    assert "needs its certificate number" in page.inner_text("#move-stage [role=alert]")
    page.select_option("select[name=stage]", "district_approved")
    page.fill("input[name=note]", "Site visit passed")
    page.click("#move-stage button")
    assert "Members told by SMS: 3" in page.inner_text("[role=status]")
    assert "Approved by district" in page.inner_text(".history li:first-child")


def test_a_newcomer_dials_the_simulator_to_a_balance_in_kinyarwanda(console) -> None:
    served, page = console
    screen = dial_to_balance(page, f"{served.url}/simulator", SAVER, "2580")
    assert "Umubare w'ibanga wabitswe." in screen
    assert "(12,000 Frw)" in screen


def test_staff_import_a_file_and_read_its_errors(console) -> None:
    served, page = console
    sign_in(page, served.url)
    upload_with_errors(page, served.url, Path(tempfile.mkdtemp()))
    problems = page.inner_text("table.problems")
    assert "language" in problems and "'sw' is not one of" in problems
    page.click("button[value=cancel]")
    assert "Upload dropped" in page.inner_text("[role=status]")
