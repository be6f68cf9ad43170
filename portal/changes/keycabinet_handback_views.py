"""Handing a key back for good (its own confirmation page, the provider admin's), its printable
receipt, and a coordinator's correction of a mistaken hand-back. Each POST commits once."""

from flask import abort, current_app, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user

from portal import clock
from portal.changes import bp
from portal.changes import keycabinet_handback as handback
from portal.changes.keycabinet_forms import CorrectHandBackForm, HandBackForm
from portal.changes.keycabinet_views import EVENT_LABELS, _key, _key_page, _labels
from portal.directory.queries import local_date
from portal.documents.pool import render_timeout, render_within
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.limits import render_limit

RECEIPT_CSS = "changes/keycabinet/receipt.css"


def _tz() -> str:
    return current_app.config["TIMEZONE"]


@bp.route("/key-cabinets/keys/<int:key_id>/hand-back", methods=["GET", "POST"])
@role_required("provider_admin")
def key_hand_back(key_id: int):
    """Confirm that the key goes back for good: who received it, their name, the day."""
    key = _key(key_id, manage=True)
    if key.status == "returned":
        flash(_("The key has already been handed back."), "info")
        return redirect(url_for("changes.key_detail", key_id=key.id), 303)
    form = HandBackForm()
    if not form.is_submitted():
        form.received_on.data = local_date(clock.now(), _tz())
    if form.validate_on_submit():
        try:
            handback.hand_back(
                db.session,
                key,
                recipient=form.recipient.data,
                person=form.person.data,
                received_on=form.received_on.data,
                note=form.note.data,
                now=clock.now(),
                actor=current_user.actor,
                tz=_tz(),
            )
        except handback.ReceivedDateWrong:
            form.received_on.errors.append(
                _("The day cannot be in the future or before the key was registered")
            )
        except handback.PersonMissing:
            form.person.errors.append(_("Enter the name of the person"))
        except handback.KeyStateError:
            db.session.rollback()
            flash(_("The key's status has changed meanwhile. Nothing was saved."), "warning")
            return redirect(url_for("changes.key_detail", key_id=key.id), 303)
        else:
            db.session.commit()
            flash(_("The key is handed back and has left the cabinet."), "success")
            return redirect(url_for("changes.key_detail", key_id=key.id), 303)
    return render_template(
        "changes/keycabinet/hand_back.html", key=key, cabinet=key.cabinet, form=form, **_labels()
    )


@bp.route("/key-cabinets/keys/<int:key_id>/correct", methods=["POST"])
@role_required("coordinator")
def key_correct(key_id: int):
    """A coordinator undoes a mistaken hand-back, saying why."""
    key = _key(key_id)
    if not handback.may_correct(current_user):
        abort(403)
    form = CorrectHandBackForm(prefix="correct")
    if not form.validate_on_submit():
        return _key_page(key, None, correct_form=form)
    try:
        handback.correct(
            db.session, key, reason=form.reason.data, now=clock.now(), actor=current_user.actor
        )
    except handback.ReasonMissing:
        form.reason.errors.append(_("Write why the hand-back is a mistake"))
        return _key_page(key, None, correct_form=form)
    except handback.KeyAlreadyHeld:
        db.session.rollback()
        flash(
            _(
                "Another key of this kind has been registered for the citizen since. Nothing was saved."
            ),
            "warning",
        )
    except handback.KeyStateError:
        db.session.rollback()
        flash(_("The key's status has changed meanwhile. Nothing was saved."), "warning")
    else:
        db.session.commit()
        flash(_("Saved: %(what)s.", what=EVENT_LABELS[handback.CORRECTED]), "success")
    return redirect(url_for("changes.key_detail", key_id=key.id), 303)


@bp.route("/key-cabinets/keys/<int:key_id>/receipt.pdf")
@role_required("provider_admin", "coordinator")
@render_limit
def key_receipt(key_id: int):
    """A receipt of the hand-back to print and have signed (404 while the key is held)."""
    key = _key(key_id)
    event = handback.hand_back_of(db.session, key)
    if event is None:
        abort(404)
    config = current_app.config
    html = render_template(
        "changes/keycabinet/receipt_pdf.html",
        key=key,
        event=event,
        municipality=config["MUNICIPALITY_NAME"],
        lang=str(get_locale() or "da"),
        **_labels(),
    )
    css = render_template(RECEIPT_CSS)
    pdf = render_within(html, css=css, timeout=render_timeout(config))
    response = current_app.response_class(pdf, mimetype="application/pdf")
    name = f"key-receipt-{key.id}.pdf"
    response.headers["Content-Disposition"] = f'inline; filename="{name}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response
