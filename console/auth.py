"""Signing in and out, the login every page needs, CSRF on every form, the language switch."""

from __future__ import annotations

import hashlib

from flask import Response, g, redirect, render_template, request, session, url_for
from flask_wtf.csrf import CSRFError
from sqlalchemy import func, select
from werkzeug.wrappers import Response as BaseResponse

from console import bp, csrf
from console.web import _, context, db, lang, local_next, staff
from models import Language, StaffAccount
from models.staff import waste_a_check

#: Endpoints reachable without a login.
PUBLIC = {"console.login", "console.static"}


def fingerprint(account: StaffAccount) -> str:
    """Changes when the password does, so a new password signs every old session out."""
    return hashlib.sha256(account.password_hash.encode()).hexdigest()[:16]


@bp.before_request
def require_login() -> BaseResponse | None:
    """Load the signed-in staff account, check the CSRF token of every POST, and send a
    visitor who is not signed in to the login page."""
    g.staff = None
    staff_id = session.get("staff_id")
    if staff_id is not None:
        account = db().get(StaffAccount, staff_id)
        if account and account.active and session.get("staff_auth") == fingerprint(account):
            g.staff = account
        else:
            session.clear()
    if request.method == "POST":
        csrf.protect()
    if g.staff is None and request.endpoint not in PUBLIC:
        return redirect(url_for("console.login", next=request.full_path.rstrip("?")))
    return None


@bp.context_processor
def page_language() -> dict[str, str]:
    return {"page_lang": lang()}


@bp.errorhandler(CSRFError)
def csrf_failed(error: CSRFError) -> tuple[str, int]:
    return render_template("console/error.html", message=_(
        "This form has expired. Go back, reload the page and try again."
    )), 400


@bp.errorhandler(403)
def forbidden(_error: Exception) -> tuple[str, int]:
    return render_template("console/error.html", message=_("Only an admin can do this.")), 403


@bp.errorhandler(404)
def not_found(_error: Exception) -> tuple[str, int]:
    return render_template("console/error.html", message=_("There is nothing here.")), 404


@bp.route("/login", methods=["GET", "POST"])
def login() -> str | BaseResponse:
    """The login form; after too many wrong passwords the account is locked for a while."""
    if g.staff is not None:
        return redirect(local_next(url_for("console.dashboard")))
    if request.method == "GET":
        return render_template("console/login.html")
    settings = context().settings
    username = request.form.get("username", "").strip().lower()
    password = request.form.get("password", "")
    account = db().scalar(
        select(StaffAccount).where(func.lower(StaffAccount.username) == username)
    )
    if account is None:
        waste_a_check(password)
        ok = False
    else:
        first_sign_in = account.last_login_at is None
        ok = account.check_login(
            password,
            max_failures=settings.staff_login_max_failures,
            lock_minutes=settings.staff_login_lock_minutes,
        )
        if ok and first_sign_in and account.language.value == settings.default_language:
            # an account left at the default language keeps the one its login page was shown in
            account.language = Language(lang())
        db().commit()
    if not ok:
        if account is not None and account.is_locked():
            message = _(
                "Too many wrong passwords: this account is locked for %(minutes)s minutes.",
                minutes=settings.staff_login_lock_minutes,
            )
        else:
            message = _("Wrong username or password.")
        return render_template("console/login.html", error=message, username=username), 401
    session.clear()
    session.permanent = True
    session["staff_id"] = account.id  # type: ignore[union-attr]
    session["staff_auth"] = fingerprint(account)  # type: ignore[arg-type]
    return redirect(local_next(url_for("console.dashboard")))


@bp.post("/logout")
def logout() -> BaseResponse:
    session.clear()
    return redirect(url_for("console.login"))


@bp.post("/language")
def language() -> BaseResponse:
    """Switch the signed-in staff account's language (kept for their next visit)."""
    chosen = request.form.get("language", "")
    if chosen in {lang.value for lang in Language}:
        staff().language = Language(chosen)
        db().commit()
        g.pop("lang", None)
    return redirect(local_next(url_for("console.dashboard")))


def no_store(response: Response) -> Response:
    """Pages with people's data are never kept by a shared browser's cache (the stylesheet is:
    revalidated by its ETag)."""
    if request.endpoint != "console.static":
        response.headers["Cache-Control"] = "no-store"
    return response


bp.after_request(no_store)
