"""Coordinator pages for the lock-unit inventory: counts, the filtered list, a unit's
history, and the actions on a unit that is not on a door (portal.access.inventory)."""

from flask import abort, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access import bp, inventory, lock_units
from portal.access.forms_inventory import (
    ACTION_LABELS,
    BUTTON_LABELS,
    STATE_LABELS,
    InventoryFilterForm,
    StockUnitForm,
    UnitActionForm,
)
from portal.access.models import LockUnit
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.htmx import render, wants_fragment
from portal.web.pagination import paginate

coordinator_required = role_required("coordinator")


def _labels() -> dict:
    return {"state_labels": STATE_LABELS, "action_labels": ACTION_LABELS}


@bp.route("/coordinator/inventory")
@coordinator_required
def inventory_list():
    """Units per state, and the list filtered by state, kind and serial or lock number.

    A filter with a mistake lists nothing and says what is wrong; for htmx the summary comes
    with the results and the filter's fields out of band (as the visit report's period)."""
    form = InventoryFilterForm(request.args)
    result, places, args = None, {}, {}
    if form.validate():
        state, kind, q = form.state.data or None, form.kind.data or None, form.q.data or None
        result = paginate(inventory.units(db.session, state=state, kind=kind, q=q))
        places = inventory.places(db.session, result.items)
        args = {k: v for k, v in (("state", state), ("kind", kind), ("q", q)) if v}
    return render(
        "access/inventory_list.html",
        "access/_inventory_results.html",
        form=form,
        inline=wants_fragment(),
        counts=inventory.counts(db.session),
        result=result,
        places=places,
        page_url=lambda n: url_for("access.inventory_list", page=n, **args),
        **_labels(),
    )


@bp.route("/coordinator/inventory/new", methods=["GET", "POST"])
@coordinator_required
def inventory_new():
    """Register a new unit delivered to the depot (in stock until a locksmith fits it)."""
    form = StockUnitForm()
    if form.validate_on_submit():
        try:
            unit = lock_units.receive_into_stock(
                db.session,
                serial=form.serial.data,
                kind=form.kind.data,
                public_key_text=form.public_key.data,
                now=clock.now(),
                actor=current_user.actor,
            )
        except lock_units.InvalidLockKey:
            form.public_key.errors.append(
                _(
                    "This is not a P-256 public key. Paste the PEM text or the base64 key from the unit."
                )
            )
        except lock_units.DuplicateLockUnit:
            form.serial.errors.append(_("A unit with this serial number is already registered"))
        else:
            db.session.commit()
            flash(_("Saved: %(what)s.", what=ACTION_LABELS["received"]), "success")
            return redirect(url_for("access.inventory_unit", unit_id=unit.id), 303)
    return render_template("access/inventory_new.html", form=form)


def _unit_page(unit, form, status=200):
    return render_template(
        "access/inventory_unit.html",
        unit=unit,
        place=inventory.places(db.session, [unit])[unit.id],
        history=inventory.history(db.session, unit.id),
        actions=inventory.allowed_actions(unit),
        reset_needed=unit.state in ("removed", "in_repair") and unit.reset_at is None,
        form=form,
        buttons=BUTTON_LABELS,
        **_labels(),
    ), status


@bp.route("/coordinator/inventory/<int:unit_id>")
@coordinator_required
def inventory_unit(unit_id: int):
    """One unit: state, place, the history, and what may be done with it now."""
    return _unit_page(db.get_or_404(LockUnit, unit_id), UnitActionForm(formdata=None))


@bp.route("/coordinator/inventory/<int:unit_id>/<action>", methods=["POST"])
@coordinator_required
def inventory_action(unit_id: int, action: str):
    """Mark defective, send to repair, record a reset, put back in stock, or scrap."""
    if action not in inventory.COORDINATOR_ACTIONS:
        abort(404)
    unit = db.get_or_404(LockUnit, unit_id)
    form = UnitActionForm()
    if not form.validate_on_submit():
        return _unit_page(unit, form)
    try:
        inventory.apply(
            db.session, unit, action, note=form.note.data, now=clock.now(), actor=current_user.actor
        )
    except inventory.ResetMissing:
        db.session.rollback()
        flash(_("Record a reset of the unit before it goes back in stock."), "warning")
    except inventory.IllegalUnitTransition:
        db.session.rollback()
        flash(_("This cannot be done with the unit in its present state."), "warning")
    else:
        db.session.commit()
        flash(_("Saved: %(what)s.", what=ACTION_LABELS[action]), "success")
    return redirect(url_for("access.inventory_unit", unit_id=unit_id), 303)
