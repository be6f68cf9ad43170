"""What goes into a letter (recipient, code, QR code, sender, signature) and its HTML.

The HTML is the same for the PDF and for the browser preview; only `asset()` (where fonts and
the logo come from) and the preview links differ. Texts come from the translation catalogs,
rendered in the citizen's language with `force_locale`.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

import segno
from flask import render_template, url_for
from flask_babel import format_date
from flask_babel import gettext as _
from markupsafe import Markup, escape

from portal.citizens.letter_codes import grouped
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.register import letter_code_of
from portal.documents.pool import TaskTimeout, render_timeout, render_within
from portal.i18n import force_locale, tidy_hours

RENDER_TIMEOUT = "render_timeout"  # why a letter failed: it took longer than the limit
RenderTimeout = TaskTimeout  # raised by letter_pdf when a letter takes longer than the limit

# DIN 5008 form B / DIN 680 window envelopes (C5/6, DL): window 90 x 45 mm, 20 mm from the
# left edge, 45 mm from the top of the sheet. Configurable because envelopes differ.
WINDOW_DEFAULTS = {
    "LETTER_WINDOW_LEFT_MM": 20,
    "LETTER_WINDOW_TOP_MM": 45,
    "LETTER_WINDOW_WIDTH_MM": 90,
    "LETTER_WINDOW_HEIGHT_MM": 45,
}
A4_WIDTH_MM = 210
PAGE_MARGINS_MM = {"top": 12, "right": 20, "bottom": 19, "left": 25}
WINDOW_INSET_MM = 5  # keeps the address clear of the window's edges when the sheet shifts
SIGNATURE_DEFAULTS = {
    "LETTER_SIGNATURE_NAME": "Mette Holm",
    "LETTER_SIGNATURE_TITLE": {
        "da": "Leder af Hjemmeplejen",
        "sv": "Chef för hemtjänsten",
        "en": "Head of Home Care",
    },
}


class LetterProblem(Exception):
    """A letter cannot be made for this citizen; `code` names why (shown translated)."""

    def __init__(self, code: str):
        super().__init__(code)
        self.code = code


@dataclass(frozen=True)
class Window:
    """The envelope window in millimetres from the sheet's top-left corner."""

    left: float
    top: float
    width: float
    height: float
    inset: float = WINDOW_INSET_MM


def window_of(config) -> Window:
    """The configured window (LETTER_WINDOW_*_MM), falling back to DIN 5008 form B."""

    def get(key):
        return float(config.get(key, WINDOW_DEFAULTS[key]))

    return Window(
        get("LETTER_WINDOW_LEFT_MM"),
        get("LETTER_WINDOW_TOP_MM"),
        get("LETTER_WINDOW_WIDTH_MM"),
        get("LETTER_WINDOW_HEIGHT_MM"),
    )


def letter_css(config, asset=None) -> str:
    """The letter stylesheet; asset(path) -> URL (default: relative to portal/static)."""
    window = window_of(config)
    return render_template(
        "documents/letter.css",
        page=PAGE_MARGINS_MM,
        window=window,
        letterhead_height=max(10, window.top - PAGE_MARGINS_MM["top"]),
        sheet_px=A4_WIDTH_MM / 25.4 * 96,  # the sheet's width on a screen (CSS px)
        asset=asset or (lambda path: path),
    )


def browser_asset(path: str) -> str:
    """URL of a static file for the browser preview (a data: URL stays as it is)."""
    if path.startswith("data:"):
        return path
    return url_for("static", filename=path)


def language_of(citizen, config) -> str:
    """The citizen's language if the portal speaks it, else the default."""
    langs = config.get("LANGUAGES", ("da", "sv", "en"))
    return citizen.language if citizen.language in langs else config["BABEL_DEFAULT_LOCALE"]


def reference_for_id(citizen_id: int, config) -> str:
    """The case reference printed on a citizen's letters (stable per citizen)."""
    return f"{config.get('LETTER_REFERENCE_PREFIX', 'NH')}-{citizen_id:06d}"


def reference_of(citizen, config) -> str:
    """The citizen's case reference."""
    return reference_for_id(citizen.id, config)


def sign_in_url(config, code: str) -> str:
    """What the QR code encodes: the citizen sign-in page with the code filled in."""
    return f"{config['PORTAL_URL'].rstrip('/')}/sign-in/citizen?code={code}"


def portal_address(config) -> str:
    """The portal address as a reader types it (no scheme, no trailing slash)."""
    parts = urlsplit(config["PORTAL_URL"])
    return (parts.netloc + parts.path).rstrip("/") or config["PORTAL_URL"]


def qr_svg(payload: str, title: str) -> Markup:
    """A vector QR code as inline SVG; its <title> becomes the PDF's alternative text."""
    svg = segno.make(payload, error="m", micro=False).svg_inline(
        omitsize=True, title=title, svgclass=None, lineclass=None
    )
    label = escape(title)
    # segno escapes the title it writes; the only other text added is escaped above.
    return Markup(svg.replace("<svg ", f'<svg role="img" aria-label="{label}" ', 1))  # noqa: S704


def per_language(value, lang: str, default_lang: str) -> str:
    """A config value that is either one text or a {language: text} dict."""
    if isinstance(value, dict):
        return value.get(lang) or value.get(default_lang) or ""
    return value or ""


def sender_of(config) -> dict:
    """The municipality as printed in the letterhead."""
    # An uploaded logo (coordinator's settings) is a data: URL; else a static file. One that
    # fails the drawing check (portal.directory.settings) is left out, not swapped for another.
    logo = config.get("MUNICIPALITY_LOGO_DATA") or config.get("MUNICIPALITY_LOGO", "img/logo.svg")
    return {
        "name": config["MUNICIPALITY_NAME"],
        "logo": None if config.get("MUNICIPALITY_LOGO_UNUSABLE") else logo,
        "address": config.get("MUNICIPALITY_ADDRESS", ""),
        "phone": config.get("MUNICIPALITY_PHONE", ""),
        "email": config.get("MUNICIPALITY_EMAIL", ""),
    }


def recipient_of(citizen) -> dict:
    """Name and address lines for the window."""
    if not (citizen.address or "").strip() or not (citizen.postcode or "").strip():
        raise LetterProblem("address_missing")
    return {
        "name": citizen.name,
        "lines": [citizen.name, citizen.address, f"{citizen.postcode} {citizen.city}".strip()],
    }


def common_context(config, lang: str, now) -> dict:
    """Sender, signature, hours and date, for any letter in `lang`."""
    default = config["BABEL_DEFAULT_LOCALE"]
    with force_locale(lang):
        date_text = format_date(now, "long")
    return {
        "lang": lang,
        "sender": sender_of(config),
        "signature": {
            "name": config.get(
                "LETTER_SIGNATURE_NAME", SIGNATURE_DEFAULTS["LETTER_SIGNATURE_NAME"]
            ),
            "title": per_language(
                config.get("LETTER_SIGNATURE_TITLE", SIGNATURE_DEFAULTS["LETTER_SIGNATURE_TITLE"]),
                lang,
                default,
            ),
        },
        "hours": tidy_hours(per_language(config.get("MUNICIPALITY_HOURS"), lang, default) or ""),
        "date_text": date_text,
    }


def information_context(citizen, *, config, keyring, now) -> dict:
    """Everything the information letter shows for one citizen."""
    if citizen.status == CitizenStatus.CARE_ENDED:
        raise LetterProblem("citizen_inactive")
    lang = language_of(citizen, config)
    code = letter_code_of(keyring, citizen)
    payload = sign_in_url(config, code)
    context = common_context(config, lang, now)
    with force_locale(lang):
        qr_title = _("QR code that opens the sign-in page with your code filled in")
    context.update(
        recipient=recipient_of(citizen),
        reference=reference_of(citizen, config),
        code_grouped=grouped(code),
        portal_address=portal_address(config),
        qr_payload=payload,
        qr_svg=qr_svg(payload, qr_title),
    )
    return context


def render_letter(
    template: str,
    context: dict,
    *,
    css_url=None,
    preview_links=(),
    asset=None,
    preview_label="",
    ui_lang=None,
) -> str:
    """The letter's HTML in its language; for the browser pass css_url, asset and the links."""
    with force_locale(context["lang"]):
        return render_template(
            template,
            **context,
            css_url=css_url,
            preview_links=list(preview_links),
            preview_label=preview_label,
            ui_lang=ui_lang or context["lang"],
            asset=asset or (lambda path: path),
        )


def letter_pdf(html: str, config) -> bytes:
    """A letter's HTML as tagged PDF, rendered in a worker process under the time limit
    (RenderTimeout when it runs past it)."""
    return render_within(html, css=letter_css(config), timeout=render_timeout(config))
