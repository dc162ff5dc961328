"""The staff console: a server-rendered web app under /console, in rw, en and fr.

Every page needs a staff login; every POST carries a CSRF token (Flask-WTF). Each page lives in
its own module that adds its views to the one blueprint `bp`.
"""

from __future__ import annotations

from datetime import timedelta

from flask import Blueprint, Flask
from flask_wtf.csrf import CSRFProtect

from runtime.settings import Settings

bp = Blueprint(
    "console",
    __name__,
    url_prefix="/console",
    template_folder="templates",
    static_folder="static",
)
csrf = CSRFProtect()


def init_app(app: Flask, settings: Settings) -> None:
    """Mount the console on `app`: secure session cookie, CSRF, translated templates."""
    from console import (  # noqa: F401 - each module adds its views to `bp`
        absences,
        atlas,
        auth,
        broadcasts,
        composer,
        cooperatives,
        dashboard,
        imports,
        joins,
        people,
        simulator,
        staff,
        texts,
        tvet,
        vslas,
    )
    from console.web import install_templates

    app.config.update(
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        SESSION_COOKIE_SECURE=settings.secure_cookies,
        PERMANENT_SESSION_LIFETIME=timedelta(hours=settings.staff_session_hours),
        # Only the console's forms are checked; Africa's Talking's callbacks carry no token.
        WTF_CSRF_CHECK_DEFAULT=False,
        WTF_CSRF_TIME_LIMIT=None,  # the token lives as long as the session
    )
    csrf.init_app(app)
    install_templates(app)
    app.register_blueprint(bp)
    app.register_blueprint(simulator.public)
