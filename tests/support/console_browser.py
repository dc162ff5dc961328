"""The console served for real and driven by the system Chromium through Playwright.

`served_console()` starts the app on 127.0.0.1 (werkzeug in a thread) over a fresh SQLite
database filled with `console_data`, and makes an admin account through the `ikimina` CLI.
`browser_page()` opens Debian's Chromium (never a downloaded one). Run as a script, it saves a
screenshot of each main page: `scripts/screenshots` (writes docs/console-*.png).
"""

from __future__ import annotations

import os
import shutil
import socket
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from click.testing import CliRunner
from werkzeug.serving import make_server

from ikimina import db as schema
from ikimina.app import create_app
from ikimina.cli import main
from runtime.context import Context
from runtime.runners import InProcessRunner
from runtime.settings import Settings
from support import console_data
from support.pins import ID_LAST4, TEST_PEPPER
from support.ports import free_port
from worker.process import install

CHROMIUM = os.environ.get("IKIMINA_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PORT = int(os.environ.get("IKIMINA_TEST_CONSOLE_PORT") or 0)
ADMIN, PASSWORD = "admin", "browser test passphrase"


@dataclass
class Served:
    url: str
    context: Context
    programme: console_data.Programme


def _free_port() -> int:
    """PORT when it is set and free, else a free one of the test ports (support.ports)."""
    if PORT:
        with socket.socket() as probe:
            try:
                probe.bind(("127.0.0.1", PORT))
                return PORT
            except OSError:
                pass
    return free_port()


@contextmanager
def served_console(workdir: Path) -> Iterator[Served]:
    """The real app on a real HTTP server, its data, and an admin made by `create-staff`."""
    url = f"sqlite:///{workdir / 'console.db'}"
    schema.upgrade(url)
    settings = Settings.from_env(
        {}, database_url=url, redis_url="", sms_gateway="local", secret_key="browser",
        secure_cookies=False, default_language="en", pin_pepper=TEST_PEPPER,
    )
    # jobs on a background thread of the server's process, as in `ikimina demo`
    context = install(Context.build(settings, runner=InProcessRunner()))
    with context.db.session() as session:
        programme = console_data.build(session)
    made = CliRunner().invoke(
        main, ["create-staff", ADMIN, "--admin", "--language", "en", "--password-stdin"],
        input=PASSWORD + "\n", env={"DATABASE_URL": url, "REDIS_URL": ""},
    )
    assert made.exit_code == 0, made.output
    install(context)
    server = make_server("127.0.0.1", _free_port(), create_app(context=context), threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield Served(f"http://127.0.0.1:{server.server_port}", context, programme)
    finally:
        server.shutdown()
        thread.join(timeout=10)
        context.runner.stop()
        context.db.dispose()


@contextmanager
def browser_page(workdir: Path):  # type: ignore[no-untyped-def]
    """A page in the system Chromium, with a fresh profile, 1280x800."""
    from playwright.sync_api import sync_playwright

    profile = tempfile.mkdtemp(prefix="chromium-", dir=workdir)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch_persistent_context(
            profile, executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True,
            viewport={"width": 1280, "height": 800}, locale="en-GB",
        )
        try:
            yield browser.pages[0] if browser.pages else browser.new_page()
        finally:
            browser.close()
    shutil.rmtree(profile, ignore_errors=True)


def sign_in(page, url: str) -> None:  # type: ignore[no-untyped-def]
    """Sign in as the admin (nothing to do when already signed in)."""
    page.goto(f"{url}/console/")
    if "/console/login" not in page.url:
        return
    page.fill("input[name=username]", ADMIN)
    page.fill("input[name=password]", PASSWORD)
    page.click("form.login button")
    page.wait_for_url(f"{url}/console/")


def screenshots(out: Path) -> list[Path]:
    """Save docs/console-<page>.png for each main page, from demo-like data."""
    out.mkdir(parents=True, exist_ok=True)
    saved = []
    with tempfile.TemporaryDirectory() as tmp, served_console(Path(tmp)) as served, \
            browser_page(Path(tmp)) as page:
        p = served.programme
        page.goto(f"{served.url}/console/login")
        page.screenshot(path=str(out / "console-login.png"))
        saved.append(out / "console-login.png")
        sign_in(page, served.url)
        for name, path in [
            ("compose", "/console/broadcasts/new?district=Rubavu&role=member&text_rw="
             "Inama+y%27ikimina+ni+kuwa+gatatu+saa+14%3A00.&text_en=The+group+meets+on+"
             "Wednesday+at+2pm+%E2%9C%93"),
            ("broadcast", f"/console/broadcasts/{p.broadcast_id}"),
            ("dashboard", "/console/"),
            ("people", "/console/people?q=0788100001"),
            ("person", f"/console/people/{p.member_id}"),
            ("absences", "/console/absences"),
            ("cooperatives", "/console/cooperatives"),
            ("cooperative", f"/console/cooperatives/{p.cooperative_id}"),
            ("join-requests", "/console/join-requests"),
            ("broadcasts", "/console/broadcasts"),
        ]:
            page.goto(served.url + path)
            if name == "compose":
                page.wait_for_selector("#recipients")
            target = out / f"console-{name}.png"
            page.screenshot(path=str(target), full_page=True)
            saved.append(target)
        upload_with_errors(page, served.url, Path(tmp))
        saved.append(out / "console-imports.png")
        page.screenshot(path=str(saved[-1]), full_page=True)
        dial_to_balance(page, f"{served.url}/simulator", console_data.SAVER, "2580")
        saved.append(out / "console-simulator.png")
        page.screenshot(path=str(saved[-1]), full_page=True)
    return saved


BAD_PEOPLE = (
    "phone,name,language,roles,district,sector,vsla,cooperative,vtc\n"
    "0788 555 001,Uwera Josiane,rw,member,Rubavu,Gisenyi,,,\n"
    "0788 555 00,Gatete Yves,rw,member,Rubavu,Gisenyi,,,\n"
    "0788 555 003,Keza Ange,sw,member,Musanze,Muhoza,,,\n"
    "0788 555 004,Manzi Eric,en,member;boss,Rubavu,Gisenyi,,,\n"
)


def upload_with_errors(page, url: str, workdir: Path) -> None:  # type: ignore[no-untyped-def]
    """Upload a people file with bad rows: the page shows its dry run and the errors."""
    sheet = workdir / "people.csv"
    sheet.write_text(BAD_PEOPLE)
    page.goto(f"{url}/console/imports")
    page.select_option("select[name=kind]", "people")
    page.set_input_files("input[name=file]", str(sheet))
    page.click("text=Check the file")
    page.wait_for_selector("table.problems")


def dial_to_balance(page, url: str, phone: str, pin: str) -> str:  # type: ignore[no-untyped-def]
    """Dial as `phone`, open My savings, give the ID digits, choose `pin` twice: the balance
    screen's text."""
    page.goto(f"{url}?phone={phone.replace('+', '%2B')}")
    page.click("#dial button")
    page.wait_for_selector("text=Ubwizigame bwanjye")
    for key in "1":  # the keypad (JavaScript) types the first answer
        page.click(f".keypad button[data-key='{key}']")
    page.click("#hop button[value=reply]")
    for answer in (ID_LAST4, pin, pin):
        page.fill("#reply", answer)
        page.click("#hop button[value=reply]")
    return page.inner_text("#screen")


if __name__ == "__main__":
    for saved_path in screenshots(Path(sys.argv[1] if len(sys.argv) > 1 else "docs")):
        print(saved_path)
