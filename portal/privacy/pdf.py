"""The access export as a readable, tagged PDF (PDF/UA-1) in the citizen's language."""

from flask import current_app, render_template
from flask_babel import force_locale

from portal.documents.pdf import render_pdf

TEMPLATE = "privacy/export_pdf.html"
CSS = "privacy/export.css"
# A section longer than this shows its first rows; the JSON export always holds every row.
PDF_ROWS = 100


def label(key: str) -> str:
    """A column name as a reader would write it: "effective_from" -> "Effective from"."""
    return key.replace("_", " ").strip().capitalize()


def shown(value) -> str:
    """A value as text: binary content by its size, nothing as a dash."""
    if value is None or value == "":
        return "–"
    if isinstance(value, dict) and "base64" in value:
        return f"{value['bytes']} B"
    if isinstance(value, bool):
        return "✓" if value else "✗"
    return str(value)


def export_pdf(data: dict) -> bytes:
    """Render an export built by `export.build` (its texts are already in its language)."""
    config = current_app.config
    with force_locale(data["language"]):
        html = render_template(
            TEMPLATE,
            data=data,
            lang=data["language"],
            municipality=config["MUNICIPALITY_NAME"],
            limit=PDF_ROWS,
            label=label,
            shown=shown,
        )
        css = render_template(CSS)
    return render_pdf(html, css=css)
