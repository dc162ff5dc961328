"""Who may call the callbacks: the token, an optional allow-list of Africa's Talking's addresses
(behind a configured number of proxies), and no secret ever written to a log line."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest
import requests
from support.ports import free_port

from ikimina import db as schema
from ikimina.app import create_app
from runtime.context import Context

ROOT = Path(__file__).resolve().parents[1]
AT_ADDRESS = "52.48.80.1"
FORM = {
    "sessionId": "ATUid_1",
    "serviceCode": "*384*1234#",
    "phoneNumber": "+250788100001",
    "networkCode": "63510",
    "text": "",
}


def _client(settings, **changes):  # type: ignore[no-untyped-def]
    return create_app(context=Context.build(settings.with_(**changes))).test_client()


def _post(client, remote: str, forwarded: str | None = None) -> int:  # type: ignore[no-untyped-def]
    headers = {"X-Forwarded-For": forwarded} if forwarded else {}
    return client.post(
        "/ussd",
        query_string={"token": "test-token"},
        data=FORM,
        headers=headers,
        environ_base={"REMOTE_ADDR": remote},
    ).status_code


def test_the_allow_list_admits_only_africas_talking(settings) -> None:
    client = _client(settings, callback_allowed_ips="52.48.80.0/24, 10.9.9.9")
    assert _post(client, AT_ADDRESS) == 200
    assert _post(client, "10.9.9.9") == 200
    assert _post(client, "203.0.113.7") == 403
    assert _post(client, "203.0.113.7", forwarded=AT_ADDRESS) == 403  # no proxy trusted


def test_behind_one_proxy_the_address_it_saw_is_checked(settings) -> None:
    client = _client(settings, callback_allowed_ips="52.48.80.0/24", callback_proxy_depth=1)
    assert _post(client, "10.0.0.2", forwarded=AT_ADDRESS) == 200
    assert _post(client, "10.0.0.2", forwarded=f"{AT_ADDRESS}, 203.0.113.7") == 403
    assert _post(client, "10.0.0.2", forwarded="203.0.113.7") == 403
    assert _post(client, "10.0.0.2") == 403  # the proxy said nothing: refused
    spoofed = f"{AT_ADDRESS}, 203.0.113.7"  # the client wrote AT's address itself
    assert _post(client, "10.0.0.2", forwarded=spoofed) == 403


def test_no_secret_reaches_any_log_line(tmp_path) -> None:
    url = f"sqlite:///{tmp_path / 'logs.db'}"
    schema.upgrade(url)
    port = free_port()
    secret = "s3cr3t-callback-token-0123456789"
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DATABASE_URL": url,
        "CALLBACK_TOKEN": secret,
        "SECRET_KEY": "k" * 40,
        "PIN_PEPPER": "p" * 40,
        "SMS_GATEWAY": "local",
    }
    log = tmp_path / "server.log"
    with log.open("w") as out:
        server = subprocess.Popen(
            [
                str(Path(sys.executable).parent / "ikimina"),
                "serve",
                "--bind",
                f"127.0.0.1:{port}",
                "--workers",
                "1",
                "--threads",
                "2",
            ],
            cwd=ROOT,
            env=env,
            stdout=out,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    try:
        base = f"http://127.0.0.1:{port}"
        for _ in range(100):
            try:
                requests.get(base + "/healthz", timeout=2)
                break
            except requests.RequestException:
                time.sleep(0.1)
        assert requests.post(f"{base}/ussd?token={secret}", data=FORM, timeout=5).ok
        requests.post(f"{base}/ussd/events?token={secret}&x=1", data={"sessionId": "a"}, timeout=5)
        requests.post(f"{base}/sms/delivery?token={secret}", data={"id": "x"}, timeout=5)
        requests.post(f"{base}/sms/inbound?token=wrong-{secret}", data={}, timeout=5)
        time.sleep(0.5)
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(10)
    text = log.read_text()
    assert "/ussd" in text and "/sms/delivery" in text  # the access log is there
    assert secret not in text, [line for line in text.splitlines() if secret in line]


@pytest.fixture(autouse=True)
def _sqlite_only(request) -> None:  # type: ignore[no-untyped-def]
    if "settings" in request.fixturenames and "postgresql" in request.node.name:
        pytest.skip("the edge does not depend on the database backend")
