"""Receipts for the owner's decisions: a tagged PDF (PDF/UA) in the signer's language, kept
with the decision so it can be downloaded again later (it is never re-rendered)."""

import hashlib

from flask import current_app, render_template

from portal.consent import terms
from portal.consent.owner_labels import labels
from portal.documents.pool import render_timeout, render_within
from portal.i18n import force_locale

RECEIPT_TEMPLATE = "consent/owner/receipt_pdf.html"
RECEIPT_CSS = "consent/owner/receipt.css"


def receipt_pdf(*, lang: str, kind: str, org, entrances, signed, at, **extra) -> bytes:
    """Render a receipt. kind: granted, declined, withdrawn, blanket, blanket_withdrawn.

    signed: the decision or blanket (signer fields); entrances: what it covers. Rendered in a
    worker process under PDF_RENDER_TIMEOUT (TaskTimeout past it: the request saves nothing).
    """
    config = current_app.config
    lang = lang if lang in terms.LANGUAGES else "da"
    with force_locale(lang):
        text = None
        if kind in ("granted", "blanket"):
            text = terms.terms_paragraphs(
                lang, config["MUNICIPALITY_NAME"], config.get("CONSENT_NOTICE_DAYS", 30)
            )
        html = render_template(
            RECEIPT_TEMPLATE,
            lang=lang,
            kind=kind,
            org=org,
            entrances=entrances,
            signed=signed,
            at=at,
            terms=text,
            municipality=config["MUNICIPALITY_NAME"],
            municipality_phone=config["MUNICIPALITY_PHONE"],
            labels=labels(),
            **extra,
        )
        css = render_template(RECEIPT_CSS)
    return render_within(html, css=css, timeout=render_timeout(config))


def attach(signed, pdf: bytes) -> None:
    """Keep the receipt and its SHA-256 on the decision or blanket consent."""
    signed.receipt_pdf = pdf
    signed.receipt_sha256 = hashlib.sha256(pdf).hexdigest()
