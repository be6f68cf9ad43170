"""Letter files: previews, batch files, and the PDFs a citizen (or relative) may fetch.

A letter carries the citizen's personal code, so only the citizen (or their relative) and
coordinators may fetch it: other staff who may see the citizen's page still get nothing here.
"""

import io
import logging
from pathlib import Path

from flask import Response, abort, current_app, flash, redirect, request, send_file, url_for
from flask_babel import get_locale, ngettext
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.audit import reading
from portal.citizens.models import Citizen
from portal.extensions import db
from portal.letters import booking_letter, bp, content, services
from portal.letters.forms import ActionForm
from portal.letters.models import Letter, LetterBatch
from portal.letters.output import MANIFEST_NAME, MERGED_NAME, SKIPPED_NAME
from portal.web.auth import role_required
from portal.web.errors import render_error
from portal.web.limits import render_limit

log = logging.getLogger(__name__)


@bp.errorhandler(content.RenderTimeout)
def render_too_slow(exc: content.RenderTimeout):
    """A letter that ran past the time limit: its worker was stopped; say so in words."""
    log.error("a letter took longer than %s s to render on %s", exc.seconds, request.path)
    detail = ngettext(
        "Making this letter took longer than %(seconds)s second, so it was stopped. Try again "
        "in a moment. If it happens again, check the municipality's logo and texts on the "
        "settings page, or call support.",
        "Making this letter took longer than %(seconds)s seconds, so it was stopped. Try again "
        "in a moment. If it happens again, check the municipality's logo and texts on the "
        "settings page, or call support.",
        1 if exc.seconds == 1 else 2,  # the limit may have decimals: "1.5 seconds"
        seconds=f"{exc.seconds:g}",
    )
    return render_error(500, detail=detail)


def may_fetch_letters_of(principal, citizen) -> bool:
    """The citizen themself (or their relative) and coordinators; nobody else."""
    if citizen is None or not principal.is_authenticated:
        return False
    if principal.role == "citizen":
        return principal.citizen.id == citizen.id
    return principal.role == "coordinator"


def _private(response):
    # Letters carry personal codes: no browser or proxy may keep a copy.
    response.headers["Cache-Control"] = "no-store, private"
    return response


def _pdf(data: bytes, name: str, attachment: bool = False):
    return _private(
        send_file(
            io.BytesIO(data),
            mimetype="application/pdf",
            download_name=name,
            as_attachment=attachment,
        )
    )


def _file(path: Path, mimetype: str, name: str):
    if not path.is_file():
        abort(404)
    return _private(
        send_file(
            path,
            mimetype=mimetype,
            download_name=name,
            as_attachment=True,
            conditional=False,
            etag=False,
        )
    )


@bp.route("/citizen/letters/<int:citizen_id>/information.pdf")
@role_required("citizen", "coordinator")
@render_limit
def information_pdf(citizen_id: int):
    """The citizen's information letter, freshly rendered (their own, or any for coordinators)."""
    citizen = db.session.get(Citizen, citizen_id)
    if not may_fetch_letters_of(current_user, citizen):
        abort(404)
    try:
        pdf = services.information_letter_pdf(db.session, citizen.id, now=clock.now())
    except content.LetterProblem as exc:
        log.warning("no letter for citizen %s: %s", citizen.id, exc.code)
        abort(404)
    return _pdf(pdf, f"{content.reference_of(citizen, current_app.config)}.pdf")


@bp.route("/citizen/booking/<int:appointment_id>/confirmation.pdf")
@role_required("citizen", "coordinator")
@render_limit
def booking_confirmation_pdf(appointment_id: int):
    """The booking confirmation of the citizen's own appointment (coordinators: any)."""
    try:
        appointment = booking_letter.get_appointment(db.session, appointment_id)
    except booking_letter.AppointmentNotFound:
        abort(404)
    if not may_fetch_letters_of(current_user, appointment.citizen):
        abort(404)
    try:
        pdf = booking_letter.booking_confirmation_pdf(db.session, appointment.id, now=clock.now())
    except content.LetterProblem:
        abort(404)
    prefix = _("booking")
    return _pdf(pdf, f"{prefix}-{appointment.reference}.pdf")


@bp.route("/coordinator/letters/preview/<int:citizen_id>")
@role_required("coordinator")
def preview_html(citizen_id: int):
    """One letter as a web page, exactly as it will be printed."""
    links = [
        (_("Back to letters"), url_for("letters.index")),
        (_("Open the letter as PDF"), url_for("letters.preview_pdf", citizen_id=citizen_id)),
    ]
    try:
        html = services.information_letter_html(
            db.session,
            citizen_id,
            now=clock.now(),
            css_url=url_for("letters.letter_css"),
            asset=content.browser_asset,
            preview_links=links,
            preview_label=_("Letter preview"),
            ui_lang=get_locale().language,
        )
    except (services.CitizenNotFound, content.LetterProblem):
        abort(404)
    if reading.note_citizen_view(citizen_id):
        db.session.commit()
    return html


@bp.route("/coordinator/letters/preview/<int:citizen_id>.pdf")
@role_required("coordinator")
@render_limit
def preview_pdf(citizen_id: int):
    """One letter as the PDF it will be."""
    try:
        pdf = services.information_letter_pdf(db.session, citizen_id, now=clock.now())
    except (services.CitizenNotFound, content.LetterProblem):
        abort(404)
    if reading.note_citizen_view(citizen_id):
        db.session.commit()
    return _pdf(pdf, f"preview-{citizen_id}.pdf")


@bp.route("/letters/letter.css")
def letter_css():
    """The print stylesheet for the browser preview (fonts and logo from /static)."""
    css = content.letter_css(current_app.config, asset=content.browser_asset)
    return Response(css, mimetype="text/css")


@bp.route("/coordinator/letters/batches/<int:batch_id>/merged.pdf")
@role_required("coordinator")
def merged_pdf(batch_id: int):
    """The print file: every letter of the batch, each starting on a new sheet."""
    batch = db.get_or_404(LetterBatch, batch_id)
    return _file(
        Path(batch.directory) / MERGED_NAME, "application/pdf", f"letters-batch-{batch.id}.pdf"
    )


@bp.route("/coordinator/letters/batches/<int:batch_id>/manifest.csv")
@role_required("coordinator")
def manifest_csv(batch_id: int):
    """The manifest for a digital-post upload."""
    batch = db.get_or_404(LetterBatch, batch_id)
    return _file(
        Path(batch.directory) / MANIFEST_NAME, "text/csv", f"letters-batch-{batch.id}-manifest.csv"
    )


@bp.route("/coordinator/letters/batches/<int:batch_id>/skipped.csv")
@role_required("coordinator")
def skipped_csv(batch_id: int):
    """The letters not sent because the citizen no longer qualified, with the reason."""
    batch = db.get_or_404(LetterBatch, batch_id)
    return _file(
        Path(batch.directory) / SKIPPED_NAME, "text/csv", f"letters-batch-{batch.id}-not-sent.csv"
    )


@bp.route("/coordinator/letters/files/<int:letter_id>.pdf")
@role_required("coordinator")
def letter_file(letter_id: int):
    """One letter of a batch, as it was printed."""
    letter = db.session.get(Letter, letter_id)
    if letter is None or letter.batch is None or letter.status != "done" or not letter.filename:
        abort(404)
    return _file(Path(letter.batch.directory) / letter.filename, "application/pdf", letter.filename)


@bp.route("/coordinator/citizens/<int:citizen_id>/letters/posted", methods=["POST"])
@role_required("coordinator")
def record_posted(citizen_id: int):
    """A reprinted letter was posted by hand: add it to the citizen's record."""
    if not ActionForm().validate_on_submit():
        abort(400)
    try:
        services.record_single_posted(
            db.session, citizen_id, actor=current_user.actor, now=clock.now()
        )
    except services.CitizenNotFound:
        abort(404)
    db.session.commit()
    flash(_("The letter is recorded as posted today."), "success")
    return redirect(url_for("citizens.detail", citizen_id=citizen_id), 303)
