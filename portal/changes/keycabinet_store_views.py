"""Registering a key in a cabinet: the citizen found by the care system's id or by name among
the provider's own citizens (consent's entrance lookup, limited to them); several matches are
listed to pick from. Commits once."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.changes import bp, keycabinet, keycabinet_queries
from portal.changes.keycabinet_forms import StoreKeyForm
from portal.changes.keycabinet_views import _cabinet
from portal.consent.citizen_lookup import not_one
from portal.extensions import db
from portal.web.auth import role_required


@bp.route("/key-cabinets/<int:cabinet_id>/keys/new", methods=["GET", "POST"])
@role_required("provider_admin")
def key_new(cabinet_id: int):
    """Put a citizen's day or night key in the cabinet: the citizen found by care-system id or
    by name among the provider's own citizens (several: the page lists them to pick)."""
    cabinet = _cabinet(cabinet_id, manage=True)
    form = StoreKeyForm()
    found = None
    if form.validate_on_submit():
        now, tz = clock.now(), current_app.config["TIMEZONE"]
        found = keycabinet_queries.find_served(
            db.session, cabinet.provider_id, form.citizen.data, now=now, tz=tz
        )
        if len(found.citizens) == 1 and not found.more:
            try:
                key = keycabinet.store_key(
                    db.session,
                    cabinet,
                    external_id=found.citizens[0].external_id,
                    kind=form.kind.data,
                    tag=form.tag.data,
                    now=now,
                    actor=current_user.actor,
                    tz=tz,
                )
            except keycabinet.CitizenNotServed:
                form.citizen.errors.append(_not_found())
            except keycabinet.KeyAlreadyHeld:
                form.kind.errors.append(_("A key of this kind is already held for this citizen"))
            else:
                db.session.commit()
                flash(_("The key is registered in the cabinet."), "success")
                return redirect(url_for("changes.key_detail", key_id=key.id), 303)
        else:
            form.citizen.errors.append(_not_one(found, form.citizen.data))
    choices = found.citizens if found and len(found.citizens) > 1 and not found.more else []
    return render_template(
        "changes/keycabinet/key_new.html", form=form, cabinet=cabinet, choices=choices
    )


def _not_found() -> str:
    return _("None of your provider's citizens has this id or name")


def _not_one(found, typed: str) -> str:
    return not_one(found, typed, _not_found())
