"""Import properties and entrances from CSV: upload, preview with errors, confirm, result.

The same flow and file rules as the citizen import (`portal.citizens.views`), whose messages
about unreadable files are reused.
"""

import json

from flask import abort, current_app, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.citizens import csvfile, import_skipped
from portal.citizens import importer as citizen_importer
from portal.citizens.forms import ImportConfirmForm
from portal.citizens.models import ImportBatch
from portal.citizens.views import FILE_PROBLEMS, max_megabytes
from portal.consent import bp, import_columns, import_words, importer
from portal.consent.forms import ImportForm
from portal.consent.import_rows import COLUMNS, REQUIRED
from portal.consent.views_register import coordinator_required
from portal.extensions import db
from portal.web.auth import id_or_404
from portal.web.forms import drop_nul

PROBLEMS = FILE_PROBLEMS | {"no_rows": lambda d: _("The file has a header but no rows.")}


def _settings() -> dict:
    """The municipality's country (phone numbers) and own language (an owner's empty one)."""
    config = current_app.config
    return {"country": config["COUNTRY"], "language": config["BABEL_DEFAULT_LOCALE"]}


@bp.route("/coordinator/properties/import", methods=["GET", "POST"])
@coordinator_required
def import_upload():
    """Upload a CSV; the next page is the preview, nothing is written yet."""
    form = ImportForm()
    if form.validate_on_submit():
        limit = current_app.config["IMPORT_MAX_BYTES"]
        raw = form.file.data.read(limit + 1)
        try:
            if len(raw) > limit:
                raise csvfile.FileProblem("too_large", mb=max_megabytes())
            importer.preview(db.session, raw, **_settings())
        except csvfile.FileProblem as exc:
            form.file.errors.append(PROBLEMS[exc.code](exc.details))
        else:
            name = drop_nul(form.file.data.filename or "") or "properties.csv"
            batch = citizen_importer.store_upload(
                db.session, name, raw, current_user.id, clock.now(), kind=importer.KIND
            )
            db.session.commit()
            return redirect(url_for("consent.import_preview", batch_id=batch.id), 303)
    return render_template(
        "consent/import_upload.html",
        form=form,
        max_mb=max_megabytes(),
        columns=import_columns.column_help(
            COLUMNS, REQUIRED, language=current_app.config["BABEL_DEFAULT_LOCALE"]
        ),
    )


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, id_or_404(batch_id))
    if batch is None or batch.uploaded_by != current_user.id or batch.kind != importer.KIND:
        abort(404)
    if batch.status in ("abandoned", "expired"):
        abort(404)  # the file is deleted: nothing left to preview or to show
    return batch


@bp.route("/coordinator/properties/import/<int:batch_id>", methods=["GET", "POST"])
@coordinator_required
def import_preview(batch_id: int):
    """The preview (GET) and the confirmation (POST) of one uploaded file."""
    batch = _batch_or_404(batch_id)
    form = ImportConfirmForm()
    if batch.status != "previewed":
        return redirect(url_for("consent.import_result", batch_id=batch.id), 303)
    if form.validate_on_submit():
        try:
            importer.commit_import(
                db.session,
                batch,
                now=clock.now(),
                actor=current_user.actor,
                **_settings(),
            )
        except importer.AlreadyImported:
            db.session.rollback()  # a second click: the first one's result is the answer
        else:
            db.session.commit()
        return redirect(url_for("consent.import_result", batch_id=batch.id), 303)
    plan = importer.preview(db.session, citizen_importer.read_upload(batch), **_settings())
    return render_template(
        "consent/import_preview.html",
        batch=batch,
        plan=plan,
        form=form,
        button=import_words.button(plan),
    )


@bp.route("/coordinator/properties/import/<int:batch_id>/result")
@coordinator_required
def import_result(batch_id: int):
    """The counts after an import."""
    batch = _batch_or_404(batch_id)
    if batch.status != "imported":
        return redirect(url_for("consent.import_preview", batch_id=batch.id), 303)
    counts = json.loads(batch.result)
    lines = import_words.receipt(counts)
    skipped = import_skipped.load(counts, import_columns.label)
    return render_template(
        "consent/import_result.html",
        batch=batch,
        lines=lines,
        skipped=skipped,
        counts_skipped=counts.get("error_rows"),
    )
