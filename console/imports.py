"""Imports (admins only): upload a CSV or XLSX for a kind, read the dry run's row errors, then
confirm. The same `spreadsheets` path as `ikimina import`.

The uploaded file waits in a server-side folder (IMPORT_UPLOAD_DIR, else the temp folder)
under a random token kept in the staff member's session, until it is imported or dropped;
files left behind are removed after a day.
"""

from __future__ import annotations

import secrets
import tempfile
import time
from pathlib import Path

from flask import flash, redirect, render_template, request, session, url_for
from werkzeug.wrappers import Response

from console import bp
from console.web import _, admin_required, context
from spreadsheets import KINDS, ORDER, BadFile, Report, import_sheet, read_sheet

SUFFIXES = (".csv", ".xlsx")
#: Uploads older than this are removed when the next one arrives.
KEEP_S = 24 * 3600
#: Row problems shown on the page (the rest are counted).
SHOWN_PROBLEMS = 500


def upload_dir() -> Path:
    folder = Path(context().settings.import_upload_dir or tempfile.gettempdir()) / "ikimina-imports"
    folder.mkdir(parents=True, exist_ok=True, mode=0o700)
    return folder


def _sweep(folder: Path) -> None:
    for old in folder.iterdir():
        if old.stat().st_mtime < time.time() - KEEP_S:
            old.unlink(missing_ok=True)


def _pending() -> tuple[dict[str, str], Path] | None:
    """The upload waiting for confirmation in this session, and its file, if still there."""
    waiting = session.get("import")
    if not waiting:
        return None
    path = upload_dir() / f"{waiting['token']}{waiting['suffix']}"
    return (waiting, path) if path.exists() else None


def _drop() -> None:
    found = _pending()
    session.pop("import", None)
    if found:
        found[1].unlink(missing_ok=True)


def _run(kind: str, path: Path, **options: bool) -> Report:
    return import_sheet(context(), kind, read_sheet(path), **options)


def _page(report: Report | None = None, error: str | None = None, status: int = 200,
          done: bool = False, name: str = "") -> tuple[str, int]:
    found = _pending()
    return render_template(
        "console/imports.html", kinds=ORDER, report=report, error=error, done=done,
        name=name or (found[0]["name"] if found else ""),
        waiting=found[0] if found and not done else None, shown=SHOWN_PROBLEMS,
        max_mb=context().settings.import_max_mb,
    ), status


@bp.get("/imports")
@admin_required
def imports() -> tuple[str, int]:
    """The upload form, and the dry run of the file waiting for confirmation, if any."""
    found = _pending()
    if found is None:
        return _page()
    try:
        return _page(_run(found[0]["kind"], found[1], dry_run=True))
    except BadFile as exc:
        _drop()
        return _page(error=str(exc), status=400)


@bp.post("/imports")
@admin_required
def import_upload() -> tuple[str, int]:
    """Keep the uploaded file and show its dry run."""
    limit = int(context().settings.import_max_mb * 1024 * 1024)
    request.max_content_length = limit + 64 * 1024  # the form around the file; 413 beyond
    kind = request.form.get("kind", "")
    upload = request.files.get("file")
    if kind not in KINDS:
        return _page(error=_("Choose what the file holds."), status=400)
    if upload is None or not upload.filename:
        return _page(error=_("Choose a file to upload."), status=400)
    suffix = Path(upload.filename).suffix.lower()
    if suffix not in SUFFIXES:
        return _page(error=_("Upload a .csv or .xlsx file."), status=400)
    data = upload.stream.read(limit + 1)
    if len(data) > limit:
        return too_large()
    _drop()
    folder = upload_dir()
    _sweep(folder)
    token = secrets.token_urlsafe(16)
    path = folder / f"{token}{suffix}"
    path.write_bytes(data)
    session["import"] = {"token": token, "suffix": suffix, "kind": kind,
                         "name": Path(upload.filename).name[:120]}
    try:
        report = _run(kind, path, dry_run=True)
    except BadFile as exc:
        _drop()
        return _page(error=str(exc), status=400)
    return _page(report)


@bp.errorhandler(413)
def too_large(_error: Exception | None = None) -> tuple[str, int]:
    limit = format(context().settings.import_max_mb, "g")
    return _page(error=_("The file is larger than %(mb)s MB: split it.", mb=limit), status=413)


@bp.post("/imports/confirm")
@admin_required
def import_confirm() -> tuple[str, int] | Response:
    """Import the waiting file for real (`skip_invalid=1`: the good rows only), or drop it
    (`action=cancel`)."""
    found = _pending()
    if found is None or request.form.get("token") != found[0]["token"]:
        flash(_("That upload is no longer waiting; upload the file again."))
        return redirect(url_for("console.imports"))
    if request.form.get("action") == "cancel":
        _drop()
        flash(_("Upload dropped; nothing imported."))
        return redirect(url_for("console.imports"))
    waiting, path = found
    try:
        report = _run(waiting["kind"], path, skip_invalid=request.form.get("skip_invalid") == "1")
    except BadFile as exc:
        _drop()
        return _page(error=str(exc), status=400)
    if not report.written:
        return _page(report, error=_("Nothing imported: some rows are wrong."), status=400)
    _drop()
    return _page(report, done=True, name=waiting["name"])

