"""Staff accounts (admins only): who can sign in, their last login, and locking them out."""

from __future__ import annotations

from flask import abort, flash, redirect, render_template, request, url_for
from sqlalchemy import select
from sqlalchemy.orm import joinedload
from werkzeug.wrappers import Response

from console import bp
from console.web import _, admin_required, db, get_or_404, paginate, staff
from models import StaffAccount


@bp.get("/staff")
@admin_required
def staff_accounts() -> str:
    page = paginate(
        select(StaffAccount)
        .options(joinedload(StaffAccount.person))
        .order_by(StaffAccount.username)
    )
    return render_template("console/staff.html", page=page)


@bp.post("/staff/<int:account_id>")
@admin_required
def staff_account_update(account_id: int) -> Response:
    """Activate or deactivate an account, or lift its login lock (`action` says which)."""
    account = get_or_404(StaffAccount, account_id)
    action = request.form.get("action", "")
    if action == "deactivate" and account.id == staff().id:
        flash(_("You cannot deactivate your own account."))
    elif action in {"activate", "deactivate"}:
        account.active = action == "activate"
        db().commit()
        flash(_("%(username)s is active.", username=account.username) if account.active
              else _("%(username)s can no longer sign in.", username=account.username))
    elif action == "unlock":
        account.locked_until = None
        account.failed_logins = 0
        db().commit()
        flash(_("%(username)s can sign in again.", username=account.username))
    else:
        abort(400)
    return redirect(url_for("console.staff_accounts"))
