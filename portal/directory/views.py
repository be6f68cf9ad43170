"""Coordinator pages for the reference data: districts, providers and care groups.

List, create, edit, deactivate and reactivate; a deactivation that something still depends on
is refused with the reasons on the record's page.
"""

from flask import abort, current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from sqlalchemy import select
from sqlalchemy.orm import selectinload

from portal import clock
from portal.directory import bp, queries, reference
from portal.directory.forms import CareGroupForm, DistrictForm, ProviderForm
from portal.directory.models import CareGroup, District, Provider
from portal.extensions import db
from portal.phones import display_phone, normalise_phone
from portal.web.auth import id_or_404, role_required
from portal.web.forms import ConfirmForm

KINDS = {
    "districts": (District, DistrictForm),
    "providers": (Provider, ProviderForm),
    "care-groups": (CareGroup, CareGroupForm),
}


def titles(kind: str) -> dict:
    """Headings of a kind of record, translated."""
    return {
        "districts": {
            "list": _("Districts"),
            "new": _("New district"),
            "edit": _("Change district"),
        },
        "providers": {
            "list": _("Providers"),
            "new": _("New provider"),
            "edit": _("Change provider"),
        },
        "care-groups": {
            "list": _("Care groups"),
            "new": _("New care group"),
            "edit": _("Change care group"),
        },
    }[kind]


def reason_text(code: str, what) -> str:
    """One reason a record is still in use, as a sentence."""
    if code == "citizens":
        return ngettext("%(num)s citizen depends on it.", "%(num)s citizens depend on it.", what)
    return _("Active care groups use it: %(names)s.", names=what)


def _kind_or_404(kind: str):
    if kind not in KINDS:
        abort(404)
    return KINDS[kind]


def _record_or_404(kind: str, record_id: int):
    model, _form = _kind_or_404(kind)
    obj = db.session.get(model, id_or_404(record_id))
    if obj is None:
        abort(404)
    return obj


def _records(kind: str):
    if kind == "districts":
        return list(db.session.scalars(select(District).order_by(District.name)))
    if kind == "providers":
        return list(db.session.scalars(select(Provider).order_by(Provider.name)))
    return list(
        db.session.scalars(
            select(CareGroup)
            .join(Provider)
            .order_by(Provider.name, CareGroup.name)
            .options(selectinload(CareGroup.provider), selectinload(CareGroup.districts))
        )
    )


@bp.route("/coordinator/setup/<kind>")
@role_required("coordinator")
def records(kind: str):
    """Every record of a kind, active and deactivated."""
    _kind_or_404(kind)
    return render_template(
        "directory/records.html", kind=kind, titles=titles(kind), records=_records(kind)
    )


def _form_for(kind: str, obj):
    _model, form_class = _kind_or_404(kind)
    form = form_class(obj=obj if request.method == "GET" else None)
    if kind == "providers" and request.method == "GET" and obj is not None:
        form.phone.data = display_phone(obj.phone, current_app.config["COUNTRY"]) or obj.phone
    if kind == "care-groups":
        providers = [
            p
            for p in queries.providers(db.session)
            if p.active or (obj and p.id == obj.provider_id)
        ]
        current = {d.id for d in obj.districts} if obj else set()
        form.provider.choices = [("", _("Choose"))] + [(str(p.id), p.name) for p in providers]
        form.districts.choices = [
            (str(d.id), d.name)
            for d in queries.districts(db.session)
            if d.active or d.id in current
        ]
        if request.method == "GET" and obj is not None:
            form.provider.data = str(obj.provider_id)
            form.districts.data = [str(d) for d in sorted(current)]
    return form


def _save(kind: str, obj, form):
    now, actor = clock.now(), current_user.actor
    if kind == "districts":
        return reference.save_district(db.session, obj, form.name.data, now=now, actor=actor)
    if kind == "providers":
        data = {
            k: (form[k].data or "").strip()
            for k in ("name", "kind", "contact_name", "phone", "email")
        }
        # The form has checked the number (PhoneNumber): stored in E.164, as relatives'.
        data["phone"] = normalise_phone(data["phone"], current_app.config["COUNTRY"]) or ""
        return reference.save_provider(db.session, obj, data, now=now, actor=actor)
    data = {
        "provider_id": int(form.provider.data),
        "name": form.name.data,
        "district_ids": [int(d) for d in form.districts.data],
        "night_patrol": form.night_patrol.data,
    }
    return reference.save_care_group(db.session, obj, data, now=now, actor=actor)


def _edit(kind: str, obj):
    form = _form_for(kind, obj)
    if form.validate_on_submit():
        try:
            _save(kind, obj, form)
        except reference.NameTaken:
            form.name.errors.append(_("Another one already has this name."))
        except reference.NotActive as exc:
            form.form_errors.append(
                _("%(names)s is deactivated and cannot be chosen.", names=str(exc))
            )
        else:
            db.session.commit()
            flash(_("Saved."), "success")
            return redirect(url_for("directory.records", kind=kind), 303)
        db.session.rollback()
    return render_template(
        "directory/edit.html",
        kind=kind,
        titles=titles(kind),
        obj=obj,
        form=form,
        toggle=ConfirmForm(),
        reasons=request.args.get("refused") and _reasons(kind, obj),
    )


def _reasons(kind, obj):
    if obj is None or not obj.active:
        return None
    on = queries.today()
    if kind == "districts":
        found = reference.uses_of_district(db.session, obj)
    elif kind == "providers":
        found = reference.uses_of_provider(db.session, obj, on)
    else:
        found = reference.uses_of_care_group(db.session, obj, on)
    return [reason_text(code, what) for code, what in found]


@bp.route("/coordinator/setup/<kind>/new", methods=["GET", "POST"])
@role_required("coordinator")
def new(kind: str):
    """Create a district, provider or care group."""
    _kind_or_404(kind)
    return _edit(kind, None)


@bp.route("/coordinator/setup/<kind>/<int:record_id>", methods=["GET", "POST"])
@role_required("coordinator")
def edit(kind: str, record_id: int):
    """Change one; its page also deactivates or reactivates it."""
    return _edit(kind, _record_or_404(kind, record_id))


@bp.route("/coordinator/setup/<kind>/<int:record_id>/active", methods=["POST"])
@role_required("coordinator")
def toggle(kind: str, record_id: int):
    """Deactivate an active record (refused while in use) or reactivate a deactivated one."""
    obj = _record_or_404(kind, record_id)
    if not ConfirmForm().validate_on_submit():
        abort(400)
    try:
        reference.set_active(
            db.session,
            obj,
            not obj.active,
            on=queries.today(),
            now=clock.now(),
            actor=current_user.actor,
        )
    except reference.InUse:
        db.session.rollback()
        return redirect(url_for("directory.edit", kind=kind, record_id=obj.id, refused=1), 303)
    except reference.NotActive as exc:
        db.session.rollback()
        flash(_("%(names)s is deactivated and cannot be chosen.", names=str(exc)), "warning")
        return redirect(url_for("directory.edit", kind=kind, record_id=obj.id), 303)
    db.session.commit()
    flash(_("Deactivated.") if not obj.active else _("Active again."), "success")
    return redirect(url_for("directory.records", kind=kind), 303)
