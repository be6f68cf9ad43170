"""Key cabinet pages: provider admins keep their own cabinets, coordinators read every one.

Anything of another provider is a 404 to a provider admin. Each POST commits once.
"""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import current_user
from markupsafe import Markup

from portal import clock
from portal.changes import bp, keycabinet, keycabinet_queries
from portal.changes import keycabinet_handback as handback
from portal.changes.keycabinet_forms import (
    CabinetForm,
    CorrectHandBackForm,
    KeyActionForm,
    MoveKeyForm,
)
from portal.changes.keycabinet_models import CabinetKey, KeyCabinet
from portal.directory.queries import providers
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.panels import panel
from portal.web.params import to_id

ACTIONS = {
    "hand_out": _l("Hand out"),
    "put_back": _l("Put back"),
}
STATUS_LABELS = {
    "in_cabinet": _l("In the cabinet"),
    "handed_out": _l("Handed out"),
    "returned": _l("Handed back: no longer in the cabinet"),
}
EVENT_LABELS = {
    "stored": _l("Put in the cabinet"),
    "hand_out": _l("Handed out"),
    "put_back": _l("Put back"),
    "return_to_citizen": _l("Handed back for good"),
    "return_corrected": _l("Hand-back corrected"),
    "move": _l("Moved to another cabinet"),
}
RECIPIENT_LABELS = {
    "citizen": _l("The citizen"),
    "relative": _l("A relative"),
    "estate": _l("The estate's representative"),
}
KIND_LABELS = {"day": _l("Day key"), "night": _l("Night key")}


def _labels() -> dict:
    return {
        "actions": ACTIONS,
        "key_statuses": STATUS_LABELS,
        "event_labels": EVENT_LABELS,
        "key_kinds": KIND_LABELS,
        "recipients": RECIPIENT_LABELS,
    }


def _cabinet(cabinet_id: int, manage: bool = False) -> KeyCabinet:
    cabinet = db.session.get(KeyCabinet, cabinet_id)
    allowed = keycabinet.may_manage if manage else keycabinet.may_see
    if not allowed(current_user, cabinet):
        abort(404)
    return cabinet


def _key(key_id: int, manage: bool = False) -> CabinetKey:
    key = db.session.get(CabinetKey, key_id)
    if key is None:
        abort(404)
    _cabinet(key.cabinet_id, manage)
    return key


@bp.route("/key-cabinets")
@role_required("provider_admin", "coordinator")
def cabinet_list():
    """The cabinets (a provider admin's own, or all) with the number of keys held."""
    scope = None if current_user.role == "coordinator" else (current_user.provider_id or -1)
    rows = keycabinet_queries.cabinets(db.session, scope)
    without = []
    if current_user.role == "coordinator":
        having = {cabinet.provider_id for cabinet, _held in rows}
        without = [p for p in providers(db.session) if p.active and p.id not in having]
    return render_template("changes/keycabinet/list.html", rows=rows, without=without)


@bp.route("/key-cabinets/new", methods=["GET", "POST"])
@role_required("provider_admin")
def cabinet_new():
    """A provider admin adds a cabinet for their provider."""
    if current_user.provider_id is None:
        abort(404)
    form = CabinetForm()
    if form.validate_on_submit():
        try:
            cabinet = keycabinet.create_cabinet(
                db.session,
                current_user.provider_id,
                form.name.data,
                form.location.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except keycabinet.CabinetNameTaken:
            form.name.errors.append(_("You already have a cabinet with this name"))
        else:
            db.session.commit()
            flash(_("The cabinet is added."), "success")
            return redirect(url_for("changes.cabinet_detail", cabinet_id=cabinet.id), 303)
    return render_template("changes/keycabinet/new.html", form=form)


@bp.route("/key-cabinets/<int:cabinet_id>")
@role_required("provider_admin", "coordinator")
def cabinet_detail(cabinet_id: int):
    """The keys held in a cabinet, and (for its provider admin) the form to store one."""
    cabinet = _cabinet(cabinet_id)
    keys = keycabinet_queries.keys_in(db.session, cabinet.id)
    return render_template(
        "changes/keycabinet/cabinet.html",
        cabinet=cabinet,
        keys=keys,
        manage=keycabinet.may_manage(current_user, cabinet),
        **_labels(),
    )


def _move_form(key, formdata=True):
    form = MoveKeyForm(prefix="move") if formdata else MoveKeyForm(prefix="move", formdata=None)
    choices = keycabinet.move_choices(
        db.session, key, now=clock.now(), tz=current_app.config["TIMEZONE"]
    )
    form.cabinet.choices = [("", _("Choose a cabinet"))] + [
        (str(c.id), f"{c.provider.name}: {c.name}") for c in choices
    ]
    return form


def _key_page(key, form, status=200, move_form=None, correct_form=None):
    cabinet = key.cabinet
    manage = keycabinet.may_manage(current_user, cabinet)
    form = form or KeyActionForm(formdata=None)
    may_correct = handback.may_correct(current_user) and key.status == "returned"
    if may_correct and correct_form is None:
        correct_form = CorrectHandBackForm(prefix="correct", formdata=None)
    allowed = [a for a, (sources, _t) in keycabinet.RULES.items() if key.status in sources]
    movable = manage and key.status == "in_cabinet"
    move_form = move_form or (_move_form(key, formdata=False) if movable else None)
    return render_template(
        "changes/keycabinet/key.html",
        key=key,
        cabinet=cabinet,
        events=keycabinet_queries.events(db.session, key.id),
        form=form,
        manage=manage,
        allowed=allowed if manage else [],
        move_form=move_form if movable and len(move_form.cabinet.choices) > 1 else None,
        hand_back=handback.hand_back_of(db.session, key),
        correct_form=correct_form if may_correct else None,
        **_labels(),
    ), status


@bp.route("/key-cabinets/keys/<int:key_id>")
@role_required("provider_admin", "coordinator")
def key_detail(key_id: int):
    """One key: where it is, and its log of handouts and returns."""
    return _key_page(_key(key_id), KeyActionForm(formdata=None))


@bp.route("/key-cabinets/keys/<int:key_id>/move", methods=["POST"])
@role_required("provider_admin")
def key_move(key_id: int):
    """Move the key to another cabinet, naming who carries it there."""
    key = _key(key_id, manage=True)
    form = _move_form(key)
    if not form.validate_on_submit():
        return _key_page(key, KeyActionForm(formdata=None), move_form=form)
    target = to_id(form.cabinet.data)
    try:
        keycabinet.move_key(
            db.session,
            key,
            target,
            person=form.person.data,
            now=clock.now(),
            actor=current_user.actor,
            tz=current_app.config["TIMEZONE"],
        )
    except keycabinet.WrongCabinet:
        form.cabinet.errors.append(_("Choose one of the cabinets in the list"))
    except keycabinet.PersonMissing:
        form.person.errors.append(_("Enter the name of the person"))
    except keycabinet.KeyStateError:
        db.session.rollback()
        flash(_("The key's status has changed meanwhile. Nothing was saved."), "warning")
        return redirect(url_for("changes.key_detail", key_id=key_id), 303)
    else:
        db.session.commit()
        flash(_("Saved: %(what)s.", what=EVENT_LABELS["move"]), "success")
        if keycabinet.may_manage(current_user, key.cabinet):
            return redirect(url_for("changes.key_detail", key_id=key_id), 303)
        return redirect(url_for("changes.cabinet_list"), 303)
    return _key_page(key, KeyActionForm(formdata=None), move_form=form)


@bp.route("/key-cabinets/keys/<int:key_id>/<action>", methods=["POST"])
@role_required("provider_admin")
def key_action(key_id: int, action: str):
    """Hand out, put back, or return the key, naming the person."""
    if action not in keycabinet.RULES:
        abort(404)
    key = _key(key_id, manage=True)
    form = KeyActionForm()
    if not form.validate_on_submit():
        return _key_page(key, form)
    try:
        keycabinet.act(
            db.session,
            key,
            action,
            person=form.person.data,
            note=form.note.data,
            now=clock.now(),
            actor=current_user.actor,
        )
    except keycabinet.PersonMissing:
        form.person.errors.append(_("Enter the name of the person"))
        return _key_page(key, form)
    except keycabinet.KeyStateError:
        db.session.rollback()
        flash(_("The key's status has changed meanwhile. Nothing was saved."), "warning")
    else:
        db.session.commit()
        flash(_("Saved: %(what)s.", what=EVENT_LABELS[action]), "success")
    return redirect(url_for("changes.key_detail", key_id=key_id), 303)


@panel("citizen_detail", order=45)
def keys_held_panel(citizen):
    """A coordinator sees which physical keys home care holds for the citizen, and where."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    keys = keycabinet_queries.keys_of_citizen(db.session, citizen.id)
    html = render_template("changes/keycabinet/_citizen_keys.html", keys=keys, **_labels())
    return Markup(html)  # noqa: S704 (our own autoescaped template)
