"""Gateways: how an SMS leaves ikimina. Africa's Talking through its SDK, or a local gateway
that keeps messages for the demo (read them with GET /demo/sms/<phone> or `ikimina inbox`).

A gateway sends one text to many phone numbers in one call and answers, per number, with
Africa's Talking's status code. A failure of the whole call raises `GatewayError`.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from typing import Protocol

import requests
from africastalking.Service import AfricasTalkingException, validate_phone
from africastalking.SMS import SMSService

from runtime.settings import Settings
from services.gsm7 import encode

log = logging.getLogger(__name__)

#: Batches of at least this many recipients ask AT to queue them (`enqueue=1`), so it answers
#: at once instead of after the last number.
ENQUEUE_FROM = 20
CONNECT_TIMEOUT_S = 3.05


@dataclass(frozen=True)
class RecipientResult:
    """Africa's Talking's answer for one number of a send."""

    phone: str
    status_code: int
    status: str
    message_id: str | None = None
    cost: str | None = None


class GatewayError(Exception):
    """The whole call failed. `transient`: worth retrying; `maybe_sent`: AT may have sent it
    (the answer was lost, e.g. a read timeout)."""

    def __init__(self, reason: str, *, transient: bool, maybe_sent: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.transient = transient
        self.maybe_sent = maybe_sent


class Gateway(Protocol):
    name: str

    def send(self, text: str, phones: list[str]) -> list[RecipientResult]: ...


class AfricasTalkingGateway:
    """Africa's Talking's SMS API through the official SDK (`SMSService`, no global state)."""

    name = "africastalking"

    def __init__(self, settings: Settings) -> None:
        self.service = SMSService(settings.at_username, settings.at_api_key)
        if settings.at_api_url:
            self.service._baseUrl = settings.at_api_url.rstrip("/") + "/version1"
        self.sender_id = settings.at_sender_id or None
        self.timeout = (min(CONNECT_TIMEOUT_S, settings.at_timeout_s), settings.at_timeout_s)

    def send(self, text: str, phones: list[str]) -> list[RecipientResult]:
        bad = [p for p in phones if not validate_phone(p)]
        good = [p for p in phones if p not in bad]
        results = [RecipientResult(p, 403, "InvalidPhoneNumber") for p in bad]
        if not good:
            return results
        try:
            answer = self.service.send(
                text,
                good,
                sender_id=self.sender_id,
                enqueue=len(good) >= ENQUEUE_FROM,
                timeout=self.timeout,
            )
        except requests.ConnectTimeout as exc:
            raise GatewayError(f"connect timeout: {exc}", transient=True) from exc
        except requests.Timeout as exc:
            raise GatewayError(f"timeout: {exc}", transient=True, maybe_sent=True) from exc
        except requests.RequestException as exc:
            raise GatewayError(f"network error: {exc}", transient=True) from exc
        except AfricasTalkingException as exc:
            raise _rejected(str(exc)) from exc
        return results + _recipients(answer)


def _rejected(body: str) -> GatewayError:
    """A non-2xx answer. The SDK keeps only the body: an authentication failure is for good
    (fix AT_API_KEY, then requeue); anything else is treated as a passing server error."""
    reason = f"Africa's Talking: {body.strip()[:200] or 'error'}"
    return GatewayError(reason, transient="authentication" not in body.lower())


def _recipients(answer: object) -> list[RecipientResult]:
    if not isinstance(answer, dict) or "SMSMessageData" not in answer:
        raise GatewayError(
            f"unexpected answer: {str(answer)[:200]}", transient=True, maybe_sent=True
        )
    rows = answer["SMSMessageData"].get("Recipients") or []
    return [
        RecipientResult(
            phone=r.get("number", ""),
            status_code=int(r.get("statusCode", 0)),
            status=str(r.get("status", "")),
            message_id=r.get("messageId") if r.get("messageId") not in (None, "None") else None,
            cost=r.get("cost"),
        )
        for r in rows
    ]


#: The local gateway's switched-off phones: numbers ending in this digit get a failed delivery
#: report, so the demo's delivery rate and failures are real and the same on every run.
LOCAL_SWITCHED_OFF_DIGIT = "7"


class LocalGateway:
    """The demo's gateway: every number is 'sent' at once, then a delivery report follows
    (`Success`, or `Failed`/`AbsentSubscriber` for numbers ending in 7); the outbox row is the
    inbox."""

    name = "local"

    def __init__(self, settings: Settings) -> None:
        self.cost_per_segment = settings.sms_cost_per_segment
        self.reports = settings.local_delivery_reports

    def send(self, text: str, phones: list[str]) -> list[RecipientResult]:
        cost = f"RWF {encode(text).segments * self.cost_per_segment:.4f}"
        return [
            RecipientResult(p, 101, "Success", f"local-{uuid.uuid4().hex}", cost) for p in phones
        ]

    def delivery_reports(self, results: list[RecipientResult]) -> list[dict[str, str]]:
        """The delivery reports a network would post for `results`, as AT's form fields."""
        reports: list[dict[str, str]] = []
        for r in results:
            if not self.reports or r.message_id is None:
                continue
            off = r.phone.endswith(LOCAL_SWITCHED_OFF_DIGIT)
            reports.append({
                "id": r.message_id,
                "phoneNumber": r.phone,
                "status": "Failed" if off else "Success",
                "failureReason": "AbsentSubscriber" if off else "",
                "networkCode": "63510",
            })
        return reports


def gateway_for(settings: Settings) -> Gateway:
    """The gateway `settings.gateway` names."""
    if settings.gateway == "africastalking":
        return AfricasTalkingGateway(settings)
    if settings.gateway == "local":
        return LocalGateway(settings)
    raise ValueError(f"unknown SMS_GATEWAY {settings.gateway!r}: use africastalking or local")
