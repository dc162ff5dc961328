"""The Flask app factory: one blueprint per edge, each finding the context in `app.extensions`."""

from __future__ import annotations

import logging
import secrets
from typing import Any

from flask import Flask, Response, jsonify, redirect, url_for
from sqlalchemy import text
from sqlalchemy.exc import InterfaceError, OperationalError
from werkzeug.routing import IntegerConverter, Map

from ikimina import metrics
from ikimina.logs import install as install_log_masking
from runtime.context import Context
from runtime.settings import Settings

log = logging.getLogger(__name__)


def create_app(settings: Settings | None = None, context: Context | None = None) -> Flask:
    """Build the web app for `settings` (default: from the environment)."""
    if context is None:
        context = Context.build(settings or Settings.from_env())
    settings = context.settings
    install_log_masking(settings)
    app = Flask("ikimina")
    app.config["SECRET_KEY"] = settings.secret_key or secrets.token_hex(32)
    app.extensions["ikimina"] = context
    app.url_map.converters["int"] = BoundedInt
    app.add_url_rule("/healthz", "healthz", lambda: healthz(context))
    app.add_url_rule("/", "home", lambda: home(context))
    app.register_error_handler(OperationalError, _database_down)
    app.register_error_handler(InterfaceError, _database_down)
    _register_blueprints(app)
    metrics.install(app, context)
    return app


#: What a client is told to wait when the database is down (Africa's Talking retries).
RETRY_AFTER_S = 30


class BoundedInt(IntegerConverter):
    """`<int:id>` within PostgreSQL's bigint: a longer id is a 404, not a database error."""

    def __init__(self, map: Map, *args: Any, **kwargs: Any) -> None:  # noqa: A002
        kwargs.setdefault("max", 2**63 - 1)
        super().__init__(map, *args, **kwargs)


def _database_down(error: Exception) -> Response:
    """503 with Retry-After, one log line (no traceback): the caller is asked to retry."""
    log.warning("database unavailable: %s", str(error).splitlines()[0][:200])
    response = Response("database unavailable, retry later", status=503, mimetype="text/plain")
    response.headers["Retry-After"] = str(RETRY_AFTER_S)
    return response


def _register_blueprints(app: Flask) -> None:
    """Attach each edge's blueprint."""
    import console
    from ikimina.callbacks import protect_callbacks
    from sms import delivery, demo_inbox
    from sms.inbound import bp as sms_inbound
    from ussd.views import blueprint as ussd

    app.register_blueprint(ussd)
    app.register_blueprint(sms_inbound)
    app.register_blueprint(delivery.blueprint)
    if app.extensions["ikimina"].settings.gateway == "local":
        app.register_blueprint(demo_inbox.blueprint)
    settings = app.extensions["ikimina"].settings
    protect_callbacks(
        app,
        settings.callback_token,
        settings.callback_allowed_ips,
        settings.callback_proxy_depth,
    )
    console.init_app(app, app.extensions["ikimina"].settings)


def home(context: Context) -> Response:
    """`/`: the demo's phone simulator (which links to the console), else the staff console."""
    from console.simulator import demo_mode

    return redirect(url_for("simulator.simulator" if demo_mode(context.settings)
                            else "console.dashboard"))


def healthz(context: Context) -> tuple[Response, int]:
    """Database and Redis status; 503 when a configured one is down."""
    checks: dict[str, str] = {}
    try:
        with context.db.engine.connect() as conn:
            conn.execute(text("SELECT 1"))
        checks["database"] = "ok"
    except Exception as exc:  # noqa: BLE001 - any failure means "down"
        log.warning("health: database down: %s", exc)
        checks["database"] = "down"
    if context.settings.uses_redis:
        try:
            from redis import Redis

            Redis.from_url(context.settings.redis_url, socket_timeout=2).ping()
            checks["redis"] = "ok"
        except Exception as exc:  # noqa: BLE001
            log.warning("health: redis down: %s", exc)
            checks["redis"] = "down"
    else:
        checks["redis"] = "not configured (jobs run in process)"
    healthy = "down" not in checks.values()
    return jsonify(status="ok" if healthy else "down", **checks), 200 if healthy else 503
