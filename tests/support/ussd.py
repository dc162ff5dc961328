"""A phone for the USSD tests: posts hops as Africa's Talking does, and checks every screen.

Every screen any test reaches goes through `check_screen`: HTTP 200, text/plain, `CON `/`END `,
at most 160 characters, GSM-7 only.
"""

from __future__ import annotations

import uuid

from services.gsm7 import is_gsm7

TOKEN = "test-token"


def check_screen(response) -> str:  # type: ignore[no-untyped-def]
    """The screen's text, after checking it is one a phone can show."""
    assert response.status_code == 200
    assert response.mimetype == "text/plain"
    body = response.get_data(as_text=True)
    assert body.startswith(("CON ", "END ")), body
    assert len(body) <= 160, (len(body), body)
    assert is_gsm7(body), body
    return body


class Phone:
    """One caller; `dial()` starts a session, `press(...)` sends inputs one hop at a time."""

    def __init__(self, client, number: str) -> None:  # type: ignore[no-untyped-def]
        self.client = client
        self.number = number
        self.session_id = ""
        self.inputs: list[str] = []
        self.screen = ""
        self.screens: list[str] = []

    def dial(self) -> str:
        self.session_id, self.inputs = f"ATUid_{uuid.uuid4().hex}", []
        return self._post()

    def press(self, *keys: str) -> str:
        for key in keys:
            self.inputs.append(key)
            self._post()
        return self.screen

    def _post(self) -> str:
        response = self.client.post(
            "/ussd",
            query_string={"token": TOKEN},
            data={
                "sessionId": self.session_id,
                "serviceCode": "*384*1234#",
                "phoneNumber": self.number,
                "networkCode": "63510",
                "text": "*".join(self.inputs),
            },
        )
        response.close()  # as a WSGI server does once the answer is sent (runs the analytics)
        self.screen = check_screen(response)
        self.screens.append(self.screen)
        return self.screen

    @property
    def ended(self) -> bool:
        return self.screen.startswith("END ")

    def option(self, label: str) -> str:
        """The number of the choice `label` on the current screen."""
        for line in self.screen.split("\n"):
            number, dot, text = line.partition(". ")
            if dot and number.strip().removeprefix("CON ").isdigit() and text == label:
                return number.strip().removeprefix("CON ")
        raise AssertionError(f"{label!r} not on screen:\n{self.screen}")

    def choose(self, label: str) -> str:
        """Press the number of the choice `label`."""
        return self.press(self.option(label))

    def page_to(self, text: str, pages: int = 10) -> list[str]:
        """Press 98 until `text` is on the screen; the pages seen, this one first."""
        seen = [self.screen]
        while text not in self.screen:
            assert len(seen) <= pages and "98. " in self.screen, f"{text!r} not found: {seen}"
            seen.append(self.press("98"))
        return seen


MEMBER, LEADER, TRAINER = "+250788100001", "+250788100002", "+250788100010"
MEMBER_EN, MEMBER_FR = "+250788100003", "+250788100004"
MEMBERS = {"rw": MEMBER, "en": MEMBER_EN, "fr": MEMBER_FR}
RUBAVU_SECTORS = (
    "Bugeshi Busasamana Cyanzarwe Gisenyi Kanama Kanzenze Mudende Nyakiliba Nyamyumba "
    "Nyundo Rubavu Rugerero"
).split()


def store_waiting_hops(context) -> None:  # type: ignore[no-untyped-def]
    """With Redis, hops wait in a list until the periodic job stores them: run it now."""
    if context.settings.uses_redis:
        context.runner.enqueue("worker.jobs.ussd.store_hops")
