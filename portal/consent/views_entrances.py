"""The coordinator's entrances of a property: make or change one, and who lives behind it (put a
citizen behind by external id or name, take one off, let the address decide again)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy.orm.exc import StaleDataError

from portal import clock
from portal.consent import bp, citizen_lookup, register
from portal.consent.forms import AddBehindForm, BehindForm, EntranceForm
from portal.consent.models import Entrance, Property
from portal.consent.views_register import coordinator_required, get_or_404, property_page
from portal.extensions import db


@bp.route("/coordinator/properties/<int:property_id>/entrances/new", methods=["GET", "POST"])
@bp.route(
    "/coordinator/properties/<int:property_id>/entrances/<int:entrance_id>/edit",
    methods=["GET", "POST"],
)
@coordinator_required
def entrance_edit(property_id: int, entrance_id: int | None = None):
    """Create or change an entrance of a property."""
    prop = get_or_404(Property, property_id)
    entrance = get_or_404(Entrance, entrance_id) if entrance_id is not None else None
    if entrance is not None and entrance.property_id != prop.id:
        abort(404)
    form = EntranceForm(obj=entrance)
    if request.method == "GET" and entrance is not None:
        form.power_source.data = entrance.power_source or ""
    if form.validate_on_submit():
        values = {k: getattr(form, k).data for k in register.ENTRANCE_FIELDS}
        values["power_source"] = values["power_source"] or None
        try:
            register.save_entrance(
                db.session, entrance_id, prop.id, values, now=clock.now(), actor=current_user.actor
            )
            db.session.commit()
        except StaleDataError:
            # The owner (or another coordinator) changed the entrance a moment ago.
            db.session.rollback()
            flash(_("The entrance was changed meanwhile. Check it and save again."), "error")
            return redirect(request.path, 303)
        flash(_("The entrance is saved."), "success")
        return redirect(url_for("consent.property_detail", property_id=prop.id), 303)
    return render_template("consent/entrance_form.html", form=form, prop=prop, entrance=entrance)


@bp.route("/coordinator/entrances/<int:entrance_id>/citizens", methods=["POST"])
@coordinator_required
def entrance_citizens(entrance_id: int):
    """Put a citizen behind the entrance, take one off, or let the address decide again."""
    entrance = get_or_404(Entrance, entrance_id)
    if request.form.get("action") == "add":
        return _add_behind(entrance)
    form = BehindForm()
    target = url_for("consent.property_detail", property_id=entrance.property_id)
    needed = {"add": True, "remove": False, "reset": None}
    if not form.validate_on_submit() or form.action.data not in needed:
        flash(_("Write the citizen's number from the register."), "error")
        return redirect(target + f"#entrance-{entrance.id}", 303)
    try:
        register.set_behind(
            db.session,
            entrance.id,
            form.citizen.data,
            needed[form.action.data],
            now=clock.now(),
            actor=current_user.actor,
            user_id=current_user.id,
        )
    except register.RegisterError:
        db.session.rollback()
        flash(_("There is no citizen with that number."), "error")
    else:
        db.session.commit()
        flash(_("Who lives behind the entrance is saved."), "success")
    return redirect(target + f"#entrance-{entrance.id}", 303)


def _add_behind(entrance):
    """Put the citizen typed (external id, or a name matching one) behind the entrance; else the
    page again with the problem at the field and the text kept."""
    form = AddBehindForm()
    found = None
    if form.validate_on_submit():
        found = citizen_lookup.find_citizens(
            db.session, form.citizen.data, entrance.property.district_id
        )
        if len(found.citizens) == 1 and not found.more:
            register.set_behind(
                db.session,
                entrance.id,
                found.citizens[0].id,
                True,
                now=clock.now(),
                actor=current_user.actor,
                user_id=current_user.id,
            )
            db.session.commit()
            flash(_("Who lives behind the entrance is saved."), "success")
            target = url_for("consent.property_detail", property_id=entrance.property_id)
            return redirect(target + f"#entrance-{entrance.id}", 303)
        form.citizen.errors.append(_not_one(found, form.citizen.data))
    return property_page(entrance.property, form, entrance.id, found and found.citizens)


def _not_one(found, typed: str) -> str:
    nobody = _("No citizen has this external id or name. Check it on the citizen's page.")
    return citizen_lookup.not_one(found, typed, nobody)
