"""The coordinator's setup: the first-run checklist, the municipality's texts and its logo."""

import hashlib
import json

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import column, func, select, table
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import clock
from portal.directory import bp, settings
from portal.directory.forms import LogoForm, SettingsForm, too_long
from portal.directory.models import CareGroup, District, MunicipalitySetting, Provider
from portal.extensions import db
from portal.phones import tidy_phone
from portal.web.assets import asset_url
from portal.web.auth import role_required

# Accounts by table name: accounts sits on the same floor and must not be imported here.
_USERS = table("user", column("role"), column("active"))
LOGO_MAX_BYTES = 200 * 1024
LOGO_TYPES = {b"\x89PNG\r\n\x1a\n": "image/png"}
PER_LANGUAGE = ("hours", "signature_title")


# One label per field and language, each translated whole: a language's name inside a sentence
# is not its endonym ("Telefontid på engelsk", never "på English").
LANGUAGE_LABELS = {
    "hours": {
        "da": _l("Phone hours in Danish"),
        "sv": _l("Phone hours in Swedish"),
        "en": _l("Phone hours in English"),
    },
    "signature_title": {
        "da": _l("Title under the signature in Danish"),
        "sv": _l("Title under the signature in Swedish"),
        "en": _l("Title under the signature in English"),
    },
}
# The example under each hours field is in that field's language, whatever the page's is.
HOURS_EXAMPLES = {
    "da": "mandag–fredag kl. 9–15",
    "sv": "måndag–fredag kl. 9–15",
    "en": "Monday to Friday 9–15",
}


LABELS = {
    "name": _l("Name of the municipality"),
    "phone": _l("Phone number"),
    "hours": _l("Phone hours in every language"),
    "email": _l("Email address"),
    "sender_address": _l("Sender address on letters"),
    "portal_url": _l("The portal's address"),
    "signature_name": _l("Who signs the letters"),
    "signature_title": _l("Title under the signature in every language"),
    "logo": _l("Logo"),
}


def logo_url() -> str:
    """The uploaded logo (cache-busted by its checksum), else the configured static one."""
    sha = current_app.config.get("MUNICIPALITY_LOGO_SHA")
    if sha:
        return url_for("directory.logo", v=sha[:12])
    return asset_url(current_app.config["MUNICIPALITY_LOGO"])


def _settings_form():
    languages = current_app.config["LANGUAGES"]

    class Form(SettingsForm):
        pass

    for key in PER_LANGUAGE:
        for lang in languages:
            setattr(
                Form,
                f"{key}_{lang}",
                StringField(
                    LANGUAGE_LABELS[key].get(lang, lang),
                    validators=[
                        DataRequired(_l("Fill in every language")),
                        Length(max=200, message=too_long(200)),
                    ],
                ),
            )
    return Form()


def checklist() -> list[dict]:
    """What a new municipality still has to do, each with where to do it."""
    missing = set(settings.missing(db.session, current_app.config["LANGUAGES"]))
    items = [
        {"label": LABELS[key], "done": key not in missing, "href": url_for("directory.texts")}
        for key in (*settings.FIELDS, settings.LOGO)
    ]

    def active(model):
        return db.session.scalar(select(func.count(model.id)).where(model.active))

    items += [
        {
            "label": _l("At least one district"),
            "done": bool(active(District)),
            "href": url_for("directory.records", kind="districts"),
        },
        {
            "label": _l("At least one provider"),
            "done": bool(active(Provider)),
            "href": url_for("directory.records", kind="providers"),
        },
        {
            "label": _l("At least one care group"),
            "done": bool(active(CareGroup)),
            "href": url_for("directory.records", kind="care-groups"),
        },
    ]
    locksmiths = db.session.scalar(
        select(func.count())
        .select_from(_USERS)
        .where(_USERS.c.role == "locksmith", _USERS.c.active)
    )
    items.append(
        {"label": _l("At least one locksmith account"), "done": bool(locksmiths), "href": None}
    )
    return items


@bp.route("/coordinator/setup")
@role_required("coordinator")
def setup():
    """The first-run checklist: what is done and what is still missing."""
    settings.overlay(current_app._get_current_object(), force=True)  # the logo and texts
    items = checklist()
    return render_template(
        "directory/setup.html", checklist_items=items, left=sum(1 for i in items if not i["done"])
    )


@bp.route("/coordinator/setup/texts", methods=["GET", "POST"])
@role_required("coordinator")
def texts():
    """The municipality's own texts: name, phone and hours, sender, signature, portal address."""
    form = _settings_form()
    languages = current_app.config["LANGUAGES"]
    if request.method == "GET":
        # Not this process's cached copy (up to SETTINGS_CACHE_SECONDS old): a coordinator who
        # saved through another web process must see, and must not save back over, the new texts.
        settings.overlay(current_app._get_current_object(), force=True)
        for key, (name, per_language) in settings.FIELDS.items():
            value = current_app.config.get(name)
            if value == settings.DEMO_VALUES.get(name):
                value = None  # a demo default is typed over, never saved by accident
            if per_language:
                for lang in languages:
                    form[f"{key}_{lang}"].data = (
                        (value or {}).get(lang, "") if isinstance(value, dict) else value
                    )
            else:
                form[key].data = value
    if form.validate_on_submit():
        values = {}
        for key, (_name, per_language) in settings.FIELDS.items():
            if per_language:
                values[key] = {lang: form[f"{key}_{lang}"].data.strip() for lang in languages}
            else:
                values[key] = form[key].data.strip()
        # Checked by the form (PhoneNumber); kept as people write it, since every page, e-mail
        # and letter prints the configured text as it is (the tel: link dials its E.164 form).
        values["phone"] = tidy_phone(values["phone"], current_app.config["COUNTRY"])
        settings.save(db.session, values, now=clock.now(), actor=current_user.actor)
        db.session.commit()
        flash(_("The municipality's texts are saved."), "success")
        return redirect(url_for("directory.setup"), 303)
    return render_template(
        "directory/texts.html",
        form=form,
        languages=languages,
        per_language=PER_LANGUAGE,
        hours_examples=HOURS_EXAMPLES,
        logo_form=LogoForm(),
    )


def _image_type(data: bytes) -> str | None:
    for magic, media_type in LOGO_TYPES.items():
        if data.startswith(magic):
            return media_type
    head = data[:512].lstrip().lower()
    if head.startswith(b"<svg") or (head.startswith(b"<?xml") and b"<svg" in head):
        return "image/svg+xml"
    return None


@bp.route("/coordinator/setup/logo", methods=["POST"])
@role_required("coordinator")
def upload_logo():
    """Store the municipality's logo (PNG or SVG)."""
    form = LogoForm()
    problem = None
    if form.validate_on_submit():
        upload = form.logo.data
        data = upload.read(LOGO_MAX_BYTES + 1) if upload else b""
        media_type = _image_type(data)
        if not data:
            problem = _("Choose a file with the logo.")
        elif len(data) > LOGO_MAX_BYTES:
            problem = _("The logo is larger than 200 kB.")
        elif media_type is None:
            problem = _("The logo must be a PNG or SVG image.")
        else:
            sha = hashlib.sha256(data).hexdigest()
            settings.save_logo(
                db.session, data, media_type, sha, now=clock.now(), actor=current_user.actor
            )
            db.session.commit()
            flash(_("The logo is saved."), "success")
            return redirect(url_for("directory.setup"), 303)
    else:
        problem = _("Choose a file with the logo.")
    flash(problem, "error")
    return redirect(url_for("directory.texts") + "#logo-heading", 303)


@bp.route("/municipality/logo")
def logo():
    """The uploaded logo; public (it is on every page), served as a download-safe image."""
    row = db.session.get(MunicipalitySetting, settings.LOGO)
    if row is None or row.blob is None:
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
