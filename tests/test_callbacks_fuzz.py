"""Every Africa's Talking callback takes any body: garbage gets 400, a database outage 503 with
Retry-After, never a 500 nor a traceback; every USSD answer is a screen a phone can show.

The fuzz posts IKIMINA_FUZZ_BODIES (default 5,000) seeded random bodies to each callback, on
SQLite with the real Redis (jobs only queued), through the in-process test client.
"""

from __future__ import annotations

import logging
import os
import random
import time
from urllib.parse import quote_from_bytes

import pytest
from support.ussd import MEMBER, TOKEN

from ikimina.app import create_app
from runtime.context import Context
from services.gsm7 import is_gsm7

BODIES = int(os.environ.get("IKIMINA_FUZZ_BODIES", "5000"))
CALLBACKS = {
    "/ussd": ["sessionId", "serviceCode", "phoneNumber", "networkCode", "text"],
    "/ussd/events": [
        "sessionId",
        "serviceCode",
        "phoneNumber",
        "networkCode",
        "status",
        "cost",
        "durationInMillis",
        "hopsCount",
        "input",
        "errorMessage",
        "date",
    ],
    "/sms/inbound": ["id", "from", "to", "text", "date", "networkCode", "linkId"],
    "/sms/delivery": [
        "id",
        "status",
        "phoneNumber",
        "networkCode",
        "failureReason",
        "retryCount",
    ],
}
NASTY: list[bytes] = [
    b"",
    b" ",
    b"\x00",
    b"a\x00b",
    b"1e309",
    b"-1e309",
    b"nan",
    b"inf",
    b"-0",
    b"1.5",
    b"9" * 40,
    b"-" + b"9" * 30,
    b"2147483648",
    b"9223372036854775808",
    b"0x10",
    b"\xff\xfe\xfd",
    b"\xc3",
    b"\xed\xa0\x80",
    "王小明😀".encode(),
    b"x" * 300,
    b"y" * 10_000,
    b"Success",
    b"Failed",
    b"UserInBlacklist",
    b"UserInBlackList",
    b"Completed",
    b"Rejected",
    b"2026-12-01 10:00:00",
    b"2026-13-45 99:99:99",
    b"+250788100001",
    b"0788100001",
    b"*384*1234#",
    b"1*4821*0",
    b"1*" * 60,
    b"BC all hello",
    b"YES",
    b"STOP",
    b"%s%n",
    b"'; DROP TABLE people; --",
    b"\r\n\t",
    b"\x1b[31m",
]


def _value(rng: random.Random) -> bytes:
    pick = rng.random()
    if pick < 0.6:
        return rng.choice(NASTY)
    if pick < 0.8:
        return bytes(rng.randrange(256) for _ in range(rng.randrange(0, 40)))
    return rng.choice(NASTY) + rng.choice(NASTY)


def _body(rng: random.Random, fields: list[str]) -> bytes:
    parts = []
    for name in fields:
        if rng.random() < 0.1:
            continue  # a field missing
        parts.append(name.encode() + b"=" + quote_from_bytes(_value(rng)).encode())
    if rng.random() < 0.05:
        parts.append(quote_from_bytes(_value(rng)).encode())  # a part with no name
    rng.shuffle(parts)
    return b"&".join(parts)


@pytest.fixture
def fuzz_client(sqlite_url, settings, redis_url):  # type: ignore[no-untyped-def]
    """SQLite, the real Redis (jobs and hops only queued: no worker runs here)."""
    if not settings.database_url.startswith("sqlite"):
        pytest.skip("the fuzz runs on one backend")
    ctx = Context.build(settings.with_(redis_url=redis_url))
    yield create_app(context=ctx).test_client()
    ctx.db.dispose()


@pytest.mark.parametrize("path", list(CALLBACKS))
def test_any_body_to_a_callback_is_answered_without_a_500(fuzz_client, caplog, path):
    rng = random.Random(f"ikimina-{path}")
    caplog.set_level(logging.INFO)
    statuses: dict[int, int] = {}
    started = time.perf_counter()
    for n in range(BODIES):
        body = _body(rng, CALLBACKS[path])
        if n % 7 == 0 and path == "/ussd":  # some real callers among the garbage
            body += b"&phoneNumber=%2B250788100001&sessionId=s" + str(n % 50).encode()
        response = fuzz_client.post(
            path,
            query_string={"token": TOKEN},
            data=body,
            content_type="application/x-www-form-urlencoded",
        )
        response.close()
        statuses[response.status_code] = statuses.get(response.status_code, 0) + 1
        assert response.status_code in (200, 400), (response.status_code, body[:300])
        if path == "/ussd":
            text = response.get_data(as_text=True)
            assert response.status_code == 200, body[:300]
            assert text.startswith(("CON ", "END ")) and len(text) <= 160, (text, body[:300])
            assert is_gsm7(text), (text, body[:300])
    tracebacks = [r for r in caplog.records if r.exc_info or "Traceback" in r.getMessage()]
    assert not tracebacks, [r.getMessage() for r in tracebacks[:5]]
    print(f"{path}: {BODIES} bodies in {time.perf_counter() - started:.1f} s: {statuses}")
    assert MEMBER  # the real caller above


@pytest.mark.parametrize("path", ["/ussd/events", "/sms/inbound", "/sms/delivery"])
def test_a_callback_answers_503_with_retry_after_when_the_database_is_down(settings, path):
    down = settings.with_(database_url="postgresql+psycopg://nobody@127.0.0.1:1/none")
    client = create_app(context=Context.build(down)).test_client()
    form = {
        "id": "ATXid_1",
        "from": MEMBER,
        "text": "HELP",
        "status": "Success",
        "sessionId": "ATUid_1",
        "phoneNumber": MEMBER,
    }
    response = client.post(path, query_string={"token": TOKEN}, data=form)
    assert response.status_code == 503, response.status_code
    assert int(response.headers["Retry-After"]) > 0
