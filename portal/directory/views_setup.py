"""The coordinator's setup: the first-run checklist and the municipality's texts."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from sqlalchemy import column, func, select, table
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from portal import clock
from portal.directory import bp, settings
from portal.directory.forms import LogoForm, SettingsForm, too_long
from portal.directory.images import HEADER_HEIGHT, HEADER_MAX_WIDTH, MAX_PNG_SIDE
from portal.directory.models import CareGroup, District, Provider
from portal.extensions import db
from portal.phones import tidy_phone
from portal.web.auth import role_required

# Accounts by table name: accounts sits on the same floor and must not be imported here.
_USERS = table("user", column("role"), column("active"))
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


def _shown(value, languages) -> str:
    if isinstance(value, dict):
        return " / ".join(str(value[lang]) for lang in languages if value.get(lang))
    return str(value)


def text_notes(with_value: bool) -> dict[str, str]:
    """Why a text the pages already show is not done yet, said the same way on the form (next
    to the field, `with_value` False: the field holds it) and on the checklist (with it)."""
    languages = current_app.config["LANGUAGES"]
    notes = {}
    for key, (state, value) in settings.states(db.session, current_app.config, languages).items():
        if state == "demo":
            notes[key] = _(
                "The pages show the demo value “%(value)s” until you save your own.",
                value=_shown(value, languages),
            )
        elif state == "default" and with_value:
            notes[key] = _(
                "Not confirmed yet: the pages use “%(value)s” from the server's configuration "
                "until you save the texts.",
                value=_shown(value, languages),
            )
        elif state == "default":
            notes[key] = _(
                "Not confirmed yet: the pages use this value from the server's configuration "
                "until you save the texts."
            )
    return notes


def _anchor(key: str) -> str:
    if key == settings.LOGO:
        return "#logo-heading"
    if settings.FIELDS[key][1]:  # per language: the first language's field
        return f"#{key}_{current_app.config['LANGUAGES'][0]}"
    return f"#{key}"


def checklist() -> list[dict]:
    """What a new municipality still has to do, each with where to do it and, for a text the
    pages already show (a demo or configured default), what they show until it is saved."""
    config = current_app.config
    missing = set(settings.missing(db.session, config["LANGUAGES"], config))
    notes = text_notes(with_value=True)
    if settings.logo_unusable(config):
        notes[settings.LOGO] = _(
            "The stored logo cannot be drawn, so pages and letters have no logo. Upload it again."
        )
    elif settings.LOGO in missing:
        notes[settings.LOGO] = _(
            "The pages show the portal's standard logo until you upload your own."
        )
    items = [
        {
            "label": LABELS[key],
            "done": key not in missing,
            "href": url_for("directory.texts") + _anchor(key),
            "note": notes.get(key) if key in missing else None,
        }
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
        {
            "label": _l("At least one locksmith account"),
            "done": bool(locksmiths),
            "href": url_for("accounts.staff_accounts") + "#add-staff",
        }
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


def fill_texts(form) -> None:
    """Put the texts the pages use now in the form (a demo value stays out: typed over, never
    saved by accident; the field's note says what the pages show)."""
    # Not this process's cached copy (up to SETTINGS_CACHE_SECONDS old): a coordinator who
    # saved through another web process must see, and must not save back over, the new texts.
    settings.overlay(current_app._get_current_object(), force=True)
    for key, (name, per_language) in settings.FIELDS.items():
        value = current_app.config.get(name)
        if value == settings.DEMO_VALUES.get(name):
            value = None
        if per_language:
            for lang in current_app.config["LANGUAGES"]:
                form[f"{key}_{lang}"].data = (
                    (value or {}).get(lang, "") if isinstance(value, dict) else value
                )
        else:
            form[key].data = value


def texts_page(form=None, logo_form=None):
    """The texts page, with the texts form and the logo form (either may carry errors)."""
    if form is None:
        form = _settings_form()
        fill_texts(form)
    return render_template(
        "directory/texts.html",
        form=form,
        languages=current_app.config["LANGUAGES"],
        per_language=PER_LANGUAGE,
        hours_examples=HOURS_EXAMPLES,
        logo_form=logo_form or LogoForm(formdata=None),
        notes=text_notes(with_value=False),
        logo_stored=settings.LOGO in settings.stored(db.session),
        logo_unusable=settings.logo_unusable(current_app.config),
        logo_max_side=MAX_PNG_SIDE,
        logo_hint=logo_hint(),
    )


def logo_hint() -> str:
    """What works best, next to the logo field."""
    return _(
        "It is shown %(height)s pixels high at the top of every page, at most %(width)s pixels "
        "wide: a logo wider than it is high, with a transparent background, works best.",
        height=HEADER_HEIGHT,
        width=HEADER_MAX_WIDTH,
    )


@bp.route("/coordinator/setup/texts", methods=["GET", "POST"])
@role_required("coordinator")
def texts():
    """The municipality's own texts: name, phone and hours, sender, signature, portal address."""
    form = _settings_form()
    languages = current_app.config["LANGUAGES"]
    if request.method == "GET":
        fill_texts(form)
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
    return texts_page(form)
