"""Authentication of Africa's Talking's callbacks (USSD hops and events, inbound SMS, delivery
reports): AT signs nothing, so each callback URL carries the secret `?token=CALLBACK_TOKEN`."""

from __future__ import annotations

import hmac

from flask import Flask, abort, request

#: The blueprints whose every route is a callback from Africa's Talking.
CALLBACK_BLUEPRINTS = frozenset({"ussd", "sms", "sms_delivery"})


def token_matches(expected: str, given: str) -> bool:
    """True when no token is configured, or `given` equals it (compared in constant time)."""
    return not expected or hmac.compare_digest(given.encode(), expected.encode())


def protect_callbacks(app: Flask, token: str) -> None:
    """Answer 403, before any work, to a callback without the right `?token=`."""

    @app.before_request
    def _callback_token() -> None:
        if request.blueprint in CALLBACK_BLUEPRINTS and not token_matches(
            token, request.args.get("token", "")
        ):
            abort(403)
