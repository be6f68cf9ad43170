"""The access export as a readable, tagged PDF (PDF/UA-1) in the citizen's language."""

from flask import current_app, render_template

from portal.documents.pool import render_timeout, render_within
from portal.extensions import db
from portal.i18n import force_locale
from portal.privacy import readable

TEMPLATE = "privacy/export_pdf.html"
CSS = "privacy/export.css"
# A section longer than this shows its first rows; the JSON export always holds every row.
PDF_ROWS = 100


def export_pdf(data: dict, session=None) -> bytes:
    """Render an export built by `export.build` in its language: labelled fields, names for
    ids, local dates; the technical columns stay in the JSON. Rendered in a worker process under
    PDF_RENDER_TIMEOUT (TaskTimeout past it)."""
    config = current_app.config
    known = readable.names(session or db.session)
    with force_locale(data["language"]):
        html = render_template(
            TEMPLATE,
            data=data,
            lang=data["language"],
            municipality=config["MUNICIPALITY_NAME"],
            made_on=readable.day(data["generated_at"]),
            limit=PDF_ROWS,
            fields=lambda section, row: readable.fields(section, row, known),
            entrances=readable.entrances,
            related=readable.related,
        )
        css = render_template(CSS)
    return render_within(html, css=css, timeout=render_timeout(config))
