"""The coordinator's view of a paused letter code: on the citizen's page, when sign-in with the
letter code is paused after wrong dates of birth, when it ends and a button to lift it (each
pause in a row doubles, up to CODE_LOCK_MAX_MINUTES, so a relative who mistyped may otherwise
wait hours)."""

import logging

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from flask_wtf import FlaskForm
from limits import parse_many
from markupsafe import Markup

from portal import clock
from portal.accounts import bp
from portal.accounts.citizen_auth import lift_code_pause
from portal.accounts.views import CODE_SCOPE, code_limit_key
from portal.citizens.register import letter_code_of
from portal.extensions import db, limiter
from portal.web.auth import citizen_or_404, role_required
from portal.web.panels import panel

log = logging.getLogger(__name__)


class LiftForm(FlaskForm):
    """The lift button: CSRF only."""


@panel("citizen_detail", order=35)
def code_pause(citizen) -> Markup | None:
    """Shown to coordinators only while a pause is running."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    until = citizen.code_locked_until
    if until is None or until <= clock.now():
        return None
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            "accounts/_code_pause_panel.html", citizen=citizen, until=until, form=LiftForm()
        )
    )


@bp.route("/coordinator/citizens/<int:citizen_id>/code-pause", methods=["POST"])
@role_required("coordinator")
def lift_pause(citizen_id: int):
    """Lift the pause; the citizen's page says what happened."""
    citizen = citizen_or_404(citizen_id)
    if LiftForm().validate_on_submit() and lift_code_pause(
        db.session, citizen, now=clock.now(), actor=current_user.actor
    ):
        db.session.commit()
        _forget_code_limit(letter_code_of(current_app.extensions["keyring"], citizen))
        flash(_("%(name)s can sign in with the letter code again.", name=citizen.name), "success")
    return redirect(url_for("citizens.detail", citizen_id=citizen.id), 303)


def _forget_code_limit(code: str) -> None:
    """The sign-in page's per-code rate limit (CITIZEN_CODE_LIMIT) counted the same wrong
    dates: clear it too, or the citizen would meet "Too many attempts" for up to 15 minutes."""
    try:
        for item in parse_many(current_app.config["CITIZEN_CODE_LIMIT"]):
            limiter.limiter.clear(item, code_limit_key(code), CODE_SCOPE)
    except Exception:  # the limit's storage is down: it lifts itself within its window
        log.warning("could not clear the per-code sign-in limit", exc_info=True)
