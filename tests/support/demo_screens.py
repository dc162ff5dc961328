"""The demo's first page and its dashboard with delivery figures, as a newcomer sees them:
`ikimina demo` in a temporary folder, an admin and a broadcast through the CLI, then the
system Chromium. `scripts/screenshots` runs it (writes docs/demo-*.png)."""

from __future__ import annotations

import subprocess
import sys
import tempfile
from pathlib import Path

from playwright.sync_api import sync_playwright

from support.console_browser import CHROMIUM, CHROMIUM_ARGS
from support.demo_server import IKIMINA, newcomer_env, running_demo

PASSWORD = "demo admin passphrase"


def shoot(out: Path) -> None:
    env = newcomer_env()
    with tempfile.TemporaryDirectory() as folder, running_demo(Path(folder)) as base:
        def cli(*args: str, stdin: str = "") -> None:
            subprocess.run([IKIMINA, *args], cwd=folder, env=env, input=stdin, text=True,
                           check=True, capture_output=True)

        cli("create-staff", "admin", "--admin", stdin=f"{PASSWORD}\n{PASSWORD}\n")
        cli("broadcast", "all", "--text-rw", "Inama rusange ejo saa tatu i Gisenyi.",
            "--text-en", "General meeting tomorrow at 9 in Gisenyi.",
            "--text-fr", "Reunion generale demain a 9h a Gisenyi.", "--yes")
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 800},
                                    extra_http_headers={"Accept-Language": "en"})
            page.goto(base + "/")
            page.fill("input[name=phone]", "0788100001")
            page.click("button[value=dial]")
            page.wait_for_selector("#screen")
            page.screenshot(path=str(out / "demo-first-page.png"), full_page=True)
            page.goto(base + "/console/login")
            page.fill("input[name=username]", "admin")
            page.fill("input[name=password]", PASSWORD)
            page.click("form button")
            page.wait_for_load_state()
            page.screenshot(path=str(out / "demo-dashboard.png"), full_page=True)
            browser.close()


if __name__ == "__main__":
    shoot(Path(sys.argv[1] if len(sys.argv) > 1 else "docs"))
