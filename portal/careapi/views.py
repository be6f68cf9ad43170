"""The coordinator's page of care-system API tokens: list, create (shown once), revoke."""

from datetime import timedelta

from flask import abort, flash, make_response, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user
from sqlalchemy import select

from portal import clock
from portal.careapi import bp, tokens
from portal.careapi.forms import SCOPE_LABELS, TokenForm
from portal.careapi.models import ApiToken
from portal.directory import queries as directory
from portal.extensions import db
from portal.web.auth import id_or_404, role_required
from portal.web.forms import YesForm
from portal.web.params import to_id


def _form() -> TokenForm:
    form = TokenForm()
    form.provider.choices = [("", _("All providers"))] + [
        (str(p.id), p.name) for p in directory.providers(db.session)
    ]
    return form


def _page(form, status=200):
    listed = db.session.scalars(select(ApiToken).order_by(ApiToken.created_at.desc())).all()
    return (
        render_template(
            "careapi/tokens.html",
            form=form,
            tokens=listed,
            now=clock.now(),
            scope_labels=SCOPE_LABELS,
        ),
        status,
    )


@bp.get("/coordinator/care-system-api")
@role_required("coordinator")
def tokens_page():
    """The tokens and a form for a new one."""
    return _page(_form())


@bp.post("/coordinator/care-system-api")
@role_required("coordinator")
def create():
    """Create a token and show its secret once."""
    form = _form()
    if not form.validate_on_submit():
        return _page(form)
    now = clock.now()
    days = int(form.valid.data)
    made = tokens.create(
        db.session,
        form.name.data,
        form.scopes.data,
        provider_id=to_id(form.provider.data),
        expires_at=now + timedelta(days=days) if days else None,
        now=now,
        actor=current_user.actor,
    )
    db.session.commit()
    response = make_response(
        render_template("careapi/created.html", token=made.token, secret=made.secret)
    )
    response.headers["Cache-Control"] = "no-store"
    return response


@bp.route("/coordinator/care-system-api/<int:token_id>/revoke", methods=["GET", "POST"])
@role_required("coordinator")
def revoke(token_id):
    """Are you sure? Then revoke the token at once."""
    token = db.session.get(ApiToken, id_or_404(token_id))
    if token is None:
        abort(404)
    back = url_for("careapi.tokens_page")
    if token.revoked_at is not None:
        flash(_("The token %(name)s is already revoked.", name=token.name), "info")
        return redirect(back, 303)
    form = YesForm()
    if form.validate_on_submit():
        tokens.revoke(db.session, token, now=clock.now(), actor=current_user.actor)
        db.session.commit()
        flash(_("The token %(name)s is revoked.", name=token.name), "success")
        return redirect(back, 303)
    # A POST without the "Yes" (a script, an old page) gets the question too.
    return render_template("careapi/revoke.html", token=token, form=form, back=back)
