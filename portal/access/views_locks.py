"""Coordinator pages for lock units: the list, the registration form, a lock's event history
and battery (battery changes are locksmith jobs)."""

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.access import bp, lock_units, queries
from portal.access.forms import LockUnitForm
from portal.access.forms_inventory import KIND_LABELS
from portal.access.models import LockUnit
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.params import to_id


@bp.route("/coordinator/locks")
@role_required("coordinator")
def lock_list():
    """Every lock unit with where it is, its battery and open flags."""
    units = queries.lock_units(db.session)
    gaps = queries.open_gap_counts(db.session)
    return render_template("access/lock_list.html", units=units, gaps=gaps)


def _entrance_choices():
    rows = queries.entrances_by_address(db.session)
    return [("", _("Choose an entrance"))] + [(str(i), f"{a}: {label}") for i, a, label in rows]


@bp.route("/coordinator/locks/new", methods=["GET", "POST"])
@role_required("coordinator")
def lock_new():
    """Register a fitted unit by hand (locksmiths register theirs when completing a job)."""
    form = LockUnitForm()
    form.entrance.choices = _entrance_choices()
    if form.validate_on_submit():
        entrance = to_id(form.entrance.data)
        try:
            unit = lock_units.register_from_form(
                db.session,
                serial=form.serial.data,
                kind=form.kind.data,
                public_key_text=form.public_key.data,
                citizen_external_id=form.citizen.data,
                entrance_id=entrance,
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
        except lock_units.UnknownPlace as exc:
            if str(exc) == "citizen":
                form.citizen.errors.append(_("No citizen has this external id"))
            else:
                form.entrance.errors.append(_("Choose the entrance where the unit is fitted"))
        else:
            db.session.commit()
            flash(
                _(
                    "Lock unit %(serial)s is registered as lock %(lock)s.",
                    serial=unit.serial,
                    lock=unit.lock_id,
                ),
                "success",
            )
            return redirect(url_for("access.lock_detail", unit_id=unit.id), 303)
    return render_template("access/lock_new.html", form=form)


@bp.route("/coordinator/locks/<int:unit_id>")
@role_required("coordinator")
def lock_detail(unit_id: int):
    """A lock's event history (newest first), battery and counter gaps."""
    unit = db.get_or_404(LockUnit, unit_id)
    events = queries.lock_events(db.session, unit.id)
    gaps = queries.counter_gaps(db.session, unit.id)
    return render_template(
        "access/lock_detail.html", unit=unit, events=events, gaps=gaps, lock_kinds=KIND_LABELS
    )
