"""The PIN lockout holds under concurrent sessions: the failure count is one atomic update, so
at most PIN_MAX_FAILURES guesses are checked per lock window and one lock SMS goes out."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import select
from support.ussd import MEMBER, Phone

from locales import translate
from models import OutboundSms, Person
from models.pins import set_pin


@pytest.mark.parametrize("sessions", [8, 24])
def test_concurrent_wrong_pins_check_at_most_the_limit_and_send_one_sms(
    ussd_world, app, database_url, sessions
):
    if not database_url.startswith("postgresql"):
        pytest.skip("real concurrency needs PostgreSQL")
    with ussd_world.db.session() as s:
        member = s.scalar(select(Person).where(Person.phone == MEMBER))
        set_pin(member, "4821", pepper="test-pepper")
    phones = [Phone(app.test_client(), MEMBER) for _ in range(sessions)]
    for caller in phones:
        caller.dial()
        caller.press("1")
        assert translate("rw", "Enter your PIN (4 digits):") in caller.screen
    start = threading.Barrier(sessions)
    errors: list[BaseException] = []

    def guess(caller: Phone, n: int) -> None:
        try:
            start.wait()
            caller.press(f"{5000 + n:04d}")
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)

    threads = [threading.Thread(target=guess, args=(c, n)) for n, c in enumerate(phones)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(60)
    assert not errors, errors
    wrong = translate("rw", "Wrong PIN. Tries left: {n}.", n=0).split("0")[0]
    told_wrong = [c.screen for c in phones if wrong in c.screen]
    assert len(told_wrong) <= 2, told_wrong  # 3 allowed: 2 "tries left", the 3rd locks
    with ussd_world.db.session() as s:
        lock_sms = s.scalars(select(OutboundSms).where(OutboundSms.kind == "pin_lock")).all()
        person = s.scalar(select(Person).where(Person.phone == MEMBER))
        assert len(lock_sms) == 1
        assert person.pin_locked_until is not None
    # and the right PIN, now, shows no balances
    late = Phone(app.test_client(), MEMBER)
    late.dial()
    assert "RWF" not in late.press("1", "4821")
