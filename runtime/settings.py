"""Configuration read from environment variables, with safe defaults.

Every variable is listed in the README. `Settings.from_env()` is called once at start-up;
the result is passed down explicitly, so tests can build their own.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field, fields, replace
from typing import Any


def _env_bool(value: str) -> bool:
    return value.strip().lower() in {"1", "true", "yes", "on"}


class MissingSecret(RuntimeError):
    """A secret production needs is not set."""


#: Why each production secret is needed, said when it is missing.
WHY_SECRET = {
    "secret_key": "Set it to the same long random value in every web process "
    "(it signs console sessions): python -c 'import secrets; print(secrets.token_hex(32))'",
    "pin_pepper": "Set it once, to a long random value, and never change it "
    "(it keys every PIN hash; changing it invalidates every PIN).",
}
#: The secrets each production process refuses to start without.
WEB_SECRETS = ("secret_key", "pin_pepper")
WORKER_SECRETS = ("pin_pepper",)


@dataclass(frozen=True)
class Settings:
    """All of ikimina's configuration. Field names map to upper-case environment variables."""

    database_url: str = "sqlite:///ikimina.db"
    redis_url: str = ""  # empty: jobs run in process, sessions kept in memory
    at_username: str = "sandbox"
    at_api_key: str = ""
    at_sender_id: str = ""
    at_api_url: str = ""  # base-URL override, e.g. http://127.0.0.1:8099 for a local stand-in
    sms_gateway: str = ""  # "africastalking" or "local"; empty: local unless AT_API_KEY is set
    callback_token: str = ""  # empty: callbacks are not authenticated (demo only)
    callback_allowed_ips: str = ""  # addresses/networks callbacks may come from; empty: any
    callback_proxy_depth: int = 0  # proxies in front of the app whose X-Forwarded-For counts
    ussd_service_code: str = "*384*1234#"
    tz: str = "Africa/Kigali"
    secret_key: str = ""  # Flask session signing; a random one is made when empty
    help_phone: str = "0788000000"
    default_language: str = "rw"
    # USSD
    ussd_session_ttl_s: int = 300
    ussd_resume_window_s: int = 300
    pin_max_failures: int = 3
    pin_lock_hours: int = 24
    pin_pepper: str = ""  # secret keying every PIN hash; set once in production, never in the DB
    # Outbound SMS
    sms_batch_size: int = 200
    sms_rate_per_s: float = 50.0
    sms_max_attempts: int = 5
    sms_retry_base_s: float = 30.0
    sms_claim_timeout_s: int = 600
    sms_requeue_after_s: int = 90  # a queued SMS untouched this long gets a new send job
    sms_cost_per_segment: float = 10.0  # estimate in RWF, for broadcast previews
    sms_resend_on_timeout: bool = True  # False: a send whose answer timed out goes to review
    local_delivery_reports: bool = False  # the local gateway reports delivery (ikimina demo)
    at_timeout_s: float = 10.0  # read timeout of one call to Africa's Talking
    quiet_hours_start: str = "21:00"
    quiet_hours_end: str = "07:00"
    # Absence rule
    absence_days_threshold: int = 6
    absence_nudge_days: int = 3  # missed days in a row before the trainee is texted; 0: never
    # Inbound SMS: replies to messages ikimina does not understand (reply-loop guard)
    sms_fallback_window_s: int = 86400
    sms_fallback_max: int = 1
    # Registration
    stalled_registration_days: int = 30
    # Staff console
    secure_cookies: bool = True  # session cookie over HTTPS only; the demo (plain HTTP) says no
    staff_login_max_failures: int = 5
    staff_login_lock_minutes: int = 15
    staff_session_hours: int = 12
    import_max_mb: float = 10.0  # largest spreadsheet the console accepts
    import_upload_dir: str = ""  # where uploads wait for confirmation; empty: the temp folder
    # Operations
    metrics_token: str = ""  # bearer token /metrics asks for; empty: /metrics is not served
    # Reminders
    reminder_catch_up_hours: int = 6  # a reminder missed by up to this long is still sent
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def from_env(cls, environ: dict[str, str] | None = None, **overrides: Any) -> Settings:
        """Build settings from `environ` (default: the process environment) plus overrides."""
        environ = dict(os.environ if environ is None else environ)
        values: dict[str, Any] = {}
        for f in fields(cls):
            if f.name == "extra":
                continue
            raw = environ.get(f.name.upper())
            if raw is None or raw == "":
                continue
            kind = type(f.default)
            if kind is bool:
                values[f.name] = _env_bool(raw)
            elif kind is int:
                values[f.name] = int(raw)
            elif kind is float:
                values[f.name] = float(raw)
            else:
                values[f.name] = raw
        values.update(overrides)
        return cls(**values)

    def with_(self, **changes: Any) -> Settings:
        """A copy with some values changed."""
        return replace(self, **changes)

    def require(self, *names: str) -> None:
        """Refuse to run without the secrets `names` (e.g. "secret_key"): MissingSecret names
        the first missing variable in one line."""
        for name in names:
            if not getattr(self, name):
                raise MissingSecret(f"{name.upper()} is not set. {WHY_SECRET[name]}")

    @property
    def uses_redis(self) -> bool:
        return bool(self.redis_url)

    @property
    def gateway(self) -> str:
        if self.sms_gateway:
            return self.sms_gateway
        return "africastalking" if self.at_api_key else "local"
