"""The municipality's logo: uploaded by a coordinator, served to every page."""

import hashlib
import json
from functools import lru_cache
from pathlib import Path

from flask import abort, current_app, flash, redirect, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.directory import bp, settings
from portal.directory.forms import LogoForm
from portal.directory.images import MAX_PNG_SIDE, drawable, header_size, image_size, image_type
from portal.directory.models import MunicipalitySetting
from portal.directory.views_setup import texts_page
from portal.extensions import db
from portal.web.assets import asset_url
from portal.web.auth import role_required

LOGO_MAX_BYTES = 200 * 1024


def logo_url() -> str | None:
    """The uploaded logo (cache-busted by its checksum), else the configured static one; None
    when the stored logo cannot be drawn (the header then shows none)."""
    sha = current_app.config.get("MUNICIPALITY_LOGO_SHA")
    if settings.logo_unusable(current_app.config):
        return None
    if sha:
        return url_for("directory.logo", v=sha[:12])
    return asset_url(current_app.config["MUNICIPALITY_LOGO"])


@lru_cache(maxsize=8)
def _static_size(path: str) -> tuple[float, float] | None:
    try:
        data = Path(path).read_bytes()
    except OSError:
        return None
    media_type = image_type(data)
    return image_size(data, media_type) if media_type else None


def logo_size() -> tuple[int, int]:
    """The width and height the header gives the logo: its own proportions, 40 px high."""
    config = current_app.config
    if config.get("MUNICIPALITY_LOGO_SHA"):
        return header_size(config.get("MUNICIPALITY_LOGO_SIZE"))
    static = Path(current_app.static_folder or "") / config["MUNICIPALITY_LOGO"]
    return header_size(_static_size(str(static)))


def _problem(form: LogoForm) -> tuple[str | None, tuple | None]:
    """What is wrong with the upload (None when it is a logo), and the logo if it is one."""
    if not form.validate_on_submit():
        return _("Choose a file with the logo."), None
    upload = form.logo.data
    data = upload.read(LOGO_MAX_BYTES + 1) if upload else b""
    media_type = image_type(data)
    if not data:
        return _("Choose a file with the logo."), None
    if len(data) > LOGO_MAX_BYTES:
        return _("The logo is larger than 200 kB."), None
    if media_type is None:
        return _("The logo must be a PNG or SVG image."), None
    if not drawable(data, media_type):
        return _(
            "The logo is too large or too complex to draw on every page. Use a PNG of at most "
            "%(side)s by %(side)s pixels, or a plain SVG without embedded pictures.",
            side=MAX_PNG_SIDE,
        ), None
    return None, (data, media_type)


@bp.route("/coordinator/setup/logo", methods=["GET", "POST"])
@role_required("coordinator")
def upload_logo():
    """Store the municipality's logo (PNG or SVG); a wrong file comes back marked at the field."""
    form = LogoForm()
    if not form.is_submitted():  # the language switch on a page with an error comes back here
        return redirect(url_for("directory.texts") + "#logo-heading", 303)
    problem, logo = _problem(form)
    if problem:
        if "csrf_token" not in form.errors:  # an expired form says so in the summary itself
            form.logo.errors = [problem]
        return texts_page(logo_form=form)
    data, media_type = logo
    sha = hashlib.sha256(data).hexdigest()
    settings.save_logo(db.session, data, media_type, sha, now=clock.now(), actor=current_user.actor)
    db.session.commit()
    flash(_("The logo is saved."), "success")
    return redirect(url_for("directory.setup"), 303)


@bp.route("/municipality/logo")
def logo():
    """The uploaded logo; public (it is on every page), served as a download-safe image."""
    row = db.session.get(MunicipalitySetting, settings.LOGO)
    if row is None or row.blob is None or settings.logo_unusable(current_app.config):
        abort(404)
    media_type = json.loads(row.value)["type"]
    response = current_app.response_class(row.blob, mimetype=media_type)
    response.headers["Cache-Control"] = "public, max-age=86400"
    response.headers["X-Content-Type-Options"] = "nosniff"
    # An SVG may carry script: never run it, whoever opens the address directly.
    response.headers["Content-Security-Policy"] = (
        "default-src 'none'; style-src 'unsafe-inline'; sandbox"
    )
    return response
