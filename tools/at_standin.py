"""A local stand-in for Africa's Talking's SMS API, for tests, benchmarks and local runs.

It answers `POST /version1/messaging` as Africa's Talking does: HTTP 201, `Content-Type`
exactly `application/json`, `SMSMessageData` with one entry per number (statusCode, number,
status, cost, messageId). What it answers is configurable: a status code per number, a
whole-request error (401, 500), a slow answer, or an answer held until released. It records
every request. `GET /standin/stats` gives the counts as JSON.

Run it with `ikimina at-standin --port 8399` and point ikimina at it with
`AT_API_KEY=any AT_API_URL=http://127.0.0.1:8399`.
"""

from __future__ import annotations

import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs

from services.gsm7 import encode

STATUS_NAMES = {
    100: "Processed",
    101: "Success",
    102: "Queued",
    401: "RiskHold",
    402: "InvalidSenderId",
    403: "InvalidPhoneNumber",
    404: "UnsupportedNumberType",
    405: "InsufficientBalance",
    406: "UserInBlacklist",
    407: "CouldNotRoute",
    409: "DoNotDisturbRejection",
    500: "InternalServerError",
    501: "GatewayError",
    502: "RejectedByGateway",
}
ERROR_BODIES = {401: "The supplied authentication is invalid", 500: "Internal Server Error"}
COST_PER_SEGMENT = 10.0


@dataclass
class StandInRequest:
    """One call as the stand-in received it (form fields and the apiKey header)."""

    form: dict[str, str]
    api_key: str | None
    at: float = field(default_factory=time.monotonic)  # when it arrived

    @property
    def phones(self) -> list[str]:
        return [p for p in self.form.get("to", "").split(",") if p]


@dataclass
class StandInConfig:
    codes: dict[str, int] = field(default_factory=dict)  # number -> statusCode; default 101
    http_status: int | None = None  # answer every request with this error instead
    delay_s: float = 0.0  # wait this long before answering
    hold: threading.Event | None = None  # when set, answer only once the event is set
    record: bool = True  # keep every request (off for long benchmarks)


class AtStandIn:
    """The stand-in server on a daemon thread: `with AtStandIn() as at: ... at.url`."""

    def __init__(self, host: str = "127.0.0.1", port: int = 0) -> None:
        self.config = StandInConfig()
        self.requests: list[StandInRequest] = []
        self.calls = 0
        self.recipients = 0
        self._lock = threading.Lock()
        self._arrived = threading.Condition(self._lock)
        self.server = ThreadingHTTPServer((host, port), _handler(self))
        self.server.daemon_threads = True
        self._thread: threading.Thread | None = None

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> AtStandIn:
        self._thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self.config.hold is not None:
            self.config.hold.set()
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> AtStandIn:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()

    def wait_for_calls(self, count: int, timeout: float = 10.0) -> bool:
        """Block until `count` calls have arrived (answered or not)."""
        with self._arrived:
            return self._arrived.wait_for(lambda: self.calls >= count, timeout)

    def sent_to(self) -> list[str]:
        """Every number of every recorded call, repeats kept."""
        return [p for r in self.requests for p in r.phones]

    def arrived(self, request: StandInRequest) -> None:
        with self._arrived:
            self.calls += 1
            self.recipients += len(request.phones)
            if self.config.record:
                self.requests.append(request)
            self._arrived.notify_all()

    def answer(self, request: StandInRequest) -> tuple[int, str, str]:
        """(HTTP status, content type, body) for `request`, as Africa's Talking would answer."""
        config = self.config
        if config.hold is not None:
            config.hold.wait()
        if config.delay_s:
            threading.Event().wait(config.delay_s)
        if config.http_status is not None:
            body = ERROR_BODIES.get(config.http_status, "Error")
            return config.http_status, "text/plain", body
        return 201, "application/json", json.dumps(self._message_data(request))

    def _message_data(self, request: StandInRequest) -> dict[str, object]:
        segments = encode(request.form.get("message", "")).segments
        cost = segments * COST_PER_SEGMENT
        recipients, total, ok = [], 0.0, 0
        for phone in request.phones:
            code = self.config.codes.get(phone, 101)
            accepted = code in (100, 101, 102)
            ok += accepted
            total += cost if accepted else 0
            recipients.append(
                {
                    "statusCode": code,
                    "number": phone,
                    "status": STATUS_NAMES.get(code, "Failed"),
                    "cost": f"RWF {cost:.4f}" if accepted else "0",
                    "messageId": f"ATXid_{uuid.uuid4().hex}" if accepted else "None",
                }
            )
        message = f"Sent to {ok}/{len(recipients)} Total Cost: RWF {total:.4f}"
        return {"SMSMessageData": {"Message": message, "Recipients": recipients}}


def _handler(standin: AtStandIn) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_POST(self) -> None:  # noqa: N802 - http.server's naming
            length = int(self.headers.get("Content-Length") or 0)
            raw = self.rfile.read(length).decode()
            if self.path.split("?")[0] != "/version1/messaging":
                self._reply(404, "text/plain", "Not Found")
                return
            form = {k: v[0] for k, v in parse_qs(raw, keep_blank_values=True).items()}
            request = StandInRequest(form=form, api_key=self.headers.get("apiKey"))
            standin.arrived(request)
            self._reply(*standin.answer(request))

        def do_GET(self) -> None:  # noqa: N802
            if self.path != "/standin/stats":
                self._reply(404, "text/plain", "Not Found")
                return
            stats = {"calls": standin.calls, "recipients": standin.recipients}
            self._reply(200, "application/json", json.dumps(stats))

        def _reply(self, status: int, content_type: str, body: str) -> None:
            data = body.encode()
            try:
                self.send_response(status)
                self.send_header("Content-Type", content_type)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)
            except (BrokenPipeError, ConnectionResetError):
                pass  # the client gave up (timeout) or was killed

        def log_message(self, format: str, *args: object) -> None:  # noqa: A002
            pass

    return Handler
