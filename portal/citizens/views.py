"""Register list and detail, CSV import, and the citizen's own page."""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import format_decimal
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.audit import reading
from portal.citizens import bp, columns, csvfile, import_skipped, importer, uploads
from portal.citizens.forms import ImportConfirmForm, ImportUploadForm, RegisterFilterForm
from portal.citizens.lifecycle import LABELS as STATUS_LABELS
from portal.citizens.models import ImportBatch
from portal.citizens.queries import RegisterQuery, register_page
from portal.citizens.register import national_id_index_of
from portal.citizens.relations import relation_label
from portal.citizens.validation import display_phone
from portal.directory import queries as directory
from portal.extensions import db
from portal.web.auth import citizen_or_404, citizen_required, id_or_404, role_required
from portal.web.forms import drop_nul
from portal.web.htmx import render

FILE_PROBLEMS = {
    "empty": lambda d: _("The file is empty."),
    "binary": lambda d: _(
        "This is not a CSV text file. Export the list from the care system as CSV."
    ),
    "encoding": lambda d: _(
        "The file's character encoding could not be read. Save it as CSV UTF-8."
    ),
    "delimiter": lambda d: _(
        "No column separator found. Use commas or semicolons between columns."
    ),
    "malformed": lambda d: (
        _("The file is not valid CSV: check the quotation marks in row %(row)s.", row=d["row"])
        if d.get("row")
        else _("The file is not valid CSV (check quotation marks).")
    ),
    # Row 1 (the column names) holds a value past the csv module's limit: most likely a
    # quotation mark opened and never closed, as no column name is that long.
    "header_too_long": lambda d: _(
        "The header row (row 1) cannot be read: it holds a value longer than %(num)s"
        " characters. Check it for a quotation mark that is never closed.",
        num=format_decimal(d.get("limit") or 0),
    ),
    "columns": lambda d: _(
        "The header row is missing required columns: %(missing)s (separator detected: %(sep)s).",
        missing=", ".join(column_label(c) for c in d.get("missing", "").split(", ") if c),
        sep=d.get("delimiter", ""),
    ),
    "too_many_columns": lambda d: _(
        "The header row has more than %(num)s columns. Export only the columns the import uses.",
        num=format_decimal(d.get("limit") or 0),
    ),
    "no_rows": lambda d: _("The file has a header but no citizens."),
    "too_many_rows": lambda d: _("The file has too many rows (at most %(n)s).", n=d.get("limit")),
    "too_large": lambda d: _(
        "The file is larger than %(mb)s MB. Split it into smaller files.", mb=d.get("mb")
    ),
}


def column_label(key: str) -> str:
    """A required column in the municipality's words, with the English name files may use."""
    return f"{columns.label(key)} ({key})"


FILTER_ARGS = ("q", "district", "provider", "status")


def max_megabytes() -> str:
    """The import size limit in MB as the locale writes it (a limit under 1 MB is not "0")."""
    return format_decimal(current_app.config["IMPORT_MAX_BYTES"] / 2**20, "#,##0.###")


def _id_or_none(value):
    # ASCII digits only ("²".isdigit() is true, int("²") fails) and short enough for an id.
    text = str(value or "")
    return int(text) if text.isascii() and text.isdigit() and len(text) <= 9 else None


@bp.route("/coordinator/citizens")
@role_required("coordinator")
def register():
    """Searchable, filterable, paginated register; htmx swaps only the results."""
    form = RegisterFilterForm(request.args)
    districts, providers = directory.districts(db.session), directory.providers(db.session)
    form.district.choices = [("", _("All districts"))] + [(str(d.id), d.name) for d in districts]
    form.provider.choices = [("", _("All providers"))] + [(str(p.id), p.name) for p in providers]
    form.validate()
    q = (form.q.data or "")[:100] if not form.q.errors else ""
    query = RegisterQuery(
        q=q,
        national_id_index=national_id_index_of(
            current_app.extensions["keyring"], q, current_app.config["COUNTRY"]
        ),
        district_id=_id_or_none(form.district.data),
        provider_id=_id_or_none(form.provider.data),
        status=form.status.data if form.status.data in STATUS_LABELS else None,
        page=form.page.data if form.page.data and not form.page.errors else 1,
    )
    result = register_page(query, on=directory.today(), page_size=current_app.config["PAGE_SIZE"])
    # Only the filter fields go into page links: other keys would reach url_for() as its own
    # arguments (endpoint, _external, _scheme...) and break or hijack the links.
    args = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    return render(
        "citizens/register.html",
        "citizens/_results.html",
        form=form,
        result=result,
        page_url=lambda n: url_for("citizens.register", page=n, **args),
    )


@bp.route("/coordinator/citizens/<int:citizen_id>")
@role_required("coordinator", "locksmith", "provider_admin")
def detail(citizen_id: int):
    """One citizen; only principals that may see them (others get 404)."""
    citizen = citizen_or_404(citizen_id)
    if reading.note_citizen_view(citizen.id):
        db.session.commit()
    country = current_app.config["COUNTRY"]
    return render_template(
        "citizens/detail.html",
        citizen=citizen,
        assignment=directory.assignment_on(db.session, citizen.id, directory.today()),
        phone=lambda value: display_phone(value, country),
        relation=relation_label,
    )


@bp.route("/coordinator/import", methods=["GET", "POST"])
@role_required("coordinator")
def import_upload():
    """Upload a CSV; the next page is the preview, nothing is written yet."""
    form = ImportUploadForm()
    problem = None
    if form.validate_on_submit():
        raw = form.file.data.read(current_app.config["IMPORT_MAX_BYTES"] + 1)
        if len(raw) > current_app.config["IMPORT_MAX_BYTES"]:
            problem = FILE_PROBLEMS["too_large"]({"mb": max_megabytes()})
        else:
            try:
                importer.preview(
                    db.session,
                    current_app.extensions["keyring"],
                    raw,
                    on=directory.today(),
                    country=current_app.config["COUNTRY"],
                    default_language=current_app.config["BABEL_DEFAULT_LOCALE"],
                )
            except csvfile.FileProblem as exc:
                problem = FILE_PROBLEMS[exc.code](exc.details)
            else:
                batch = importer.store_upload(
                    db.session,
                    drop_nul(form.file.data.filename or "") or "import.csv",
                    raw,
                    current_user.id,
                    clock.now(),
                )
                db.session.commit()
                return redirect(url_for("citizens.import_preview", batch_id=batch.id), 303)
    if problem:
        form.file.errors.append(problem)
    return render_template("citizens/import_upload.html", form=form, max_mb=max_megabytes())


def _batch_or_404(batch_id: int) -> ImportBatch:
    batch = db.session.get(ImportBatch, id_or_404(batch_id))
    if batch is None or batch.uploaded_by != current_user.id or batch.kind != "citizens":
        abort(404)
    return batch


@bp.route("/coordinator/import/<int:batch_id>", methods=["GET", "POST"])
@role_required("coordinator")
def import_preview(batch_id: int):
    """The preview (GET) and the confirmation (POST) of one uploaded file."""
    batch = _batch_or_404(batch_id)
    keyring = current_app.extensions["keyring"]
    form = ImportConfirmForm()
    if batch.status in uploads.ENDINGS.values():
        return _upload_gone()
    if batch.status != "previewed":
        return redirect(url_for("citizens.import_result", batch_id=batch.id), 303)
    opts = {
        "on": directory.today(),
        "country": current_app.config["COUNTRY"],
        "default_language": current_app.config["BABEL_DEFAULT_LOCALE"],
    }
    if form.validate_on_submit():
        try:
            importer.commit_import(
                db.session, keyring, batch, actor=current_user.actor, now=clock.now(), **opts
            )
        except importer.AlreadyImported:
            # A second click finds the batch already imported: the first one's result is the
            # answer, and this request wrote nothing.
            db.session.rollback()
        else:
            db.session.commit()
        return redirect(url_for("citizens.import_result", batch_id=batch.id), 303)
    plan = importer.preview(db.session, keyring, uploads.read_upload(batch, keyring), **opts)
    return render_template(
        "citizens/import_preview.html",
        label=columns.label,
        batch=batch,
        plan=plan,
        form=form,
        abandon=ImportConfirmForm(),
    )


def _upload_gone():
    flash(
        _(
            "That upload is gone: it was abandoned or is more than a day old. Upload the file again."
        ),
        "info",
    )
    return redirect(url_for("citizens.import_upload"), 303)


@bp.route("/coordinator/import/<int:batch_id>/abandon", methods=["POST"])
@role_required("coordinator")
def import_abandon(batch_id: int):
    """Abandon an unconfirmed upload: its file is deleted at once."""
    batch = _batch_or_404(batch_id)
    if ImportConfirmForm().validate_on_submit() and batch.status == "previewed":
        uploads.discard(db.session, batch, "abandoned", now=clock.now(), actor=current_user.actor)
        db.session.commit()
        flash(_("The upload is abandoned and its file deleted."), "success")
    return redirect(url_for("citizens.import_upload"), 303)


@bp.route("/coordinator/import/<int:batch_id>/result")
@role_required("coordinator")
def import_result(batch_id: int):
    """The counts after an import."""
    import json

    batch = _batch_or_404(batch_id)
    if batch.status in uploads.ENDINGS.values():
        return _upload_gone()
    if batch.status != "imported":
        return redirect(url_for("citizens.import_preview", batch_id=batch.id), 303)
    counts = json.loads(batch.result)
    skipped = import_skipped.load(counts, columns.label)
    return render_template(
        "citizens/import_result.html", batch=batch, counts=counts, skipped=skipped
    )


@bp.route("/citizen/")
@citizen_required
def home():
    """Where the citizen stands; features add their panels (letter, booking, visits)."""
    citizen = citizen_or_404(current_user.citizen.id)
    return render_template(
        "citizens/home.html",
        citizen=citizen,
        provider=directory.provider_on(db.session, citizen.id, directory.today()),
    )
