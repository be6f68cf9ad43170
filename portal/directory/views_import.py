"""Import districts, providers or care groups from a CSV file: preview first, then create."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import ngettext
from flask_login import current_user

from portal import clock
from portal.directory import bp, csvload
from portal.directory.forms import ImportForm
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.forms import drop_nul


def _country() -> str:
    return current_app.config["COUNTRY"]


@bp.route("/coordinator/setup/import", methods=["GET", "POST"])
@role_required("coordinator")
def import_upload():
    """Upload a file; the answer is the preview (nothing is written yet)."""
    form = ImportForm()
    if form.validate_on_submit():
        upload = form.file.data
        raw = upload.read(csvload.MAX_BYTES + 1) if upload else b""
        try:
            loaded = csvload.plan(db.session, form.kind.data, raw, country=_country())
        except csvload.LoadProblem as exc:
            form.file.errors = [str(exc.args[0])]
        else:
            text = raw.decode("utf-8-sig", errors="replace")
            return render_template(
                "directory/import_preview.html", plan=loaded, file_text=drop_nul(text), form=form
            )
    return render_template("directory/import_upload.html", form=form)


@bp.route("/coordinator/setup/import/confirm", methods=["POST"])
@role_required("coordinator")
def import_confirm():
    """Create the new records of a previewed file (checked again: the file travels back)."""
    form = ImportForm()
    raw = drop_nul(request.form.get("content", "")).encode("utf-8")
    kind = request.form.get("kind", "")
    if not form.validate_on_submit() or kind not in csvload.COLUMNS:
        return redirect(url_for("directory.import_upload"), 303)
    try:
        loaded = csvload.plan(db.session, kind, raw, country=_country())
    except csvload.LoadProblem as exc:
        flash(str(exc.args[0]), "error")
        return redirect(url_for("directory.import_upload"), 303)
    created = csvload.apply(db.session, loaded, now=clock.now(), actor=current_user.actor)
    db.session.commit()
    flash(
        ngettext("%(num)s created.", "%(num)s created.", created)
        + " "
        + ngettext(
            "%(num)s row with errors was skipped.",
            "%(num)s rows with errors were skipped.",
            len(loaded.errors),
        ),
        "success",
    )
    return redirect(url_for("directory.records", kind=kind.replace("_", "-")), 303)
