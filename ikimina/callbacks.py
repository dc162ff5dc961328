"""Authentication of Africa's Talking's callbacks (USSD hops and events, inbound SMS, delivery
reports): AT signs nothing, so each callback URL carries the secret `?token=CALLBACK_TOKEN`,
and, when `CALLBACK_ALLOWED_IPS` is set, the call must come from one of those addresses (the
address the outermost of `CALLBACK_PROXY_DEPTH` trusted proxies saw, else the peer's)."""

from __future__ import annotations

import hmac
import ipaddress
import logging

from flask import Flask, abort, request

log = logging.getLogger(__name__)
Network = ipaddress.IPv4Network | ipaddress.IPv6Network

#: The blueprints whose every route is a callback from Africa's Talking.
CALLBACK_BLUEPRINTS = frozenset({"ussd", "sms", "sms_delivery"})


def token_matches(expected: str, given: str) -> bool:
    """True when no token is configured, or `given` equals it (compared in constant time)."""
    return not expected or hmac.compare_digest(given.encode(), expected.encode())


def allowed_networks(spec: str) -> list[Network]:
    """`52.48.80.0/24, 10.9.9.9` -> the networks (a bad entry stops the start-up)."""
    return [
        ipaddress.ip_network(part.strip(), strict=False) for part in spec.split(",") if part.strip()
    ]


def caller_address(remote: str | None, forwarded: str | None, depth: int) -> str | None:
    """The caller's address: with `depth` trusted proxies, the address the outermost one saw
    (the `depth`-th entry of X-Forwarded-For from the right); None when they did not say."""
    if depth <= 0:
        return remote
    hops = [part.strip() for part in (forwarded or "").split(",") if part.strip()]
    return hops[-depth] if len(hops) >= depth else None


def address_allowed(address: str | None, networks: list[Network]) -> bool:
    try:
        ip = ipaddress.ip_address(address or "")
    except ValueError:
        return False
    return any(ip in network for network in networks)


def protect_callbacks(app: Flask, token: str, allowed_ips: str = "", proxy_depth: int = 0) -> None:
    """Answer 403, before any work, to a callback without the right `?token=` or from an
    address outside the allow-list."""
    networks = allowed_networks(allowed_ips)

    @app.before_request
    def _callback_token() -> None:
        if request.blueprint not in CALLBACK_BLUEPRINTS:
            return
        if not token_matches(token, request.args.get("token", "")):
            abort(403)
        if networks:
            address = caller_address(
                request.remote_addr, request.headers.get("X-Forwarded-For"), proxy_depth
            )
            if not address_allowed(address, networks):
                log.warning("callback refused: %s is not an allowed address", address)
                abort(403)
