"""No secret in any log line: every log record of the process (the app's, RQ's, gunicorn's
access log) is masked as it is formatted. Query-string secrets (`token=`, `key=`, ...) become
`token=***`, and the configured secrets themselves (callback token, API key, secret key, PIN
pepper) are replaced wherever they appear."""

from __future__ import annotations

import logging
import re
from typing import Any

from runtime.settings import Settings

#: `name=value` pairs whose value is a secret, in URLs, forms and messages.
SECRET_PAIRS = re.compile(
    r"(?i)\b((?:token|api_?key|apikey|secret|password|passwd|pin|pepper)=)[^&\s\"'<>]*"
)
MASK = "***"
_secrets: set[str] = set()


def mask(text: str) -> str:
    """`text` with every secret masked."""
    text = SECRET_PAIRS.sub(r"\1" + MASK, text)
    for secret in _secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    return text


class MaskedRecord(logging.LogRecord):
    """A log record whose message is masked when formatted (whatever handler formats it)."""

    def getMessage(self) -> str:  # noqa: N802 - logging's name
        return mask(super().getMessage())


def install(settings: Settings) -> None:
    """Mask every log record of this process from now on (idempotent)."""
    for value in (
        settings.callback_token,
        settings.at_api_key,
        settings.secret_key,
        settings.pin_pepper,
    ):
        if value and len(value) >= 6:  # a short value would mask ordinary words
            _secrets.add(value)
    if logging.getLogRecordFactory() is not _factory:
        logging.setLogRecordFactory(_factory)


def _factory(*args: Any, **kwargs: Any) -> logging.LogRecord:
    return MaskedRecord(*args, **kwargs)
