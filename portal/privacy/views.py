"""Coordinators: download a citizen's access export (JSON or PDF), edit the retention periods."""

import hashlib
import io
import json

from flask import abort, current_app, flash, redirect, render_template, send_file, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.audit.services import record
from portal.extensions import db
from portal.privacy import bp, catalog, export, retention
from portal.privacy.forms import ExportForm, RetentionForm
from portal.privacy.pdf import export_pdf
from portal.web.auth import citizen_or_404, role_required
from portal.web.limits import render_limit

FORMATS = {"json": "application/json", "pdf": "application/pdf"}


@bp.route("/coordinator/citizens/<int:citizen_id>/data-export.<fmt>", methods=["POST"])
@role_required("coordinator")
@render_limit
def download(citizen_id: int, fmt: str):
    """Everything held about the citizen, as JSON or PDF; the download itself is audited."""
    citizen = citizen_or_404(citizen_id)
    if fmt not in FORMATS:
        abort(404)
    if not ExportForm().validate_on_submit():
        return redirect(url_for("citizens.detail", citizen_id=citizen.id), 303)
    now = clock.now()
    lang = citizen.language if citizen.language in ("da", "sv", "en") else "da"
    data = export.build(db.session, current_app.extensions["keyring"], citizen, now=now, lang=lang)
    if fmt == "json":
        body = json.dumps(data, ensure_ascii=False, indent=1, default=str).encode()
    else:
        body = export_pdf(data)
    record(
        db.session,
        current_user.actor,
        "privacy.exported",
        now=now,
        object_type="citizen",
        object_id=citizen.id,
        data={"format": fmt, "sha256": hashlib.sha256(body).hexdigest()},
    )
    db.session.commit()
    response = send_file(
        io.BytesIO(body),
        mimetype=FORMATS[fmt],
        download_name=f"citizen-{citizen.id}-data.{fmt}",
        as_attachment=True,
    )
    response.headers["Cache-Control"] = "no-store, private"
    return response


@bp.route("/coordinator/data-protection/retention", methods=["GET", "POST"])
@role_required("coordinator")
def retention_settings():
    """How long each kind of data is kept after care ended."""
    days = retention.periods(db.session)
    form = RetentionForm(data=days)
    if form.validate_on_submit():
        values = {k.key: form[k.key].data for k in catalog.KINDS}
        changed = retention.save(db.session, values, now=clock.now(), actor=current_user.actor)
        db.session.commit()
        if changed:
            flash(_("The retention periods are saved."), "success")
        return redirect(url_for("privacy.retention_settings"), 303)
    return render_template("privacy/retention.html", form=form, kinds=catalog.KINDS, defaults=days)
