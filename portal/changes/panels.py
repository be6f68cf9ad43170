"""Sections the change feature adds to shared pages, and its lines in the visit log."""

from flask import render_template
from flask_babel import format_date
from flask_babel import gettext as _
from flask_login import current_user
from markupsafe import Markup

from portal.changes import notices, queries, superseding
from portal.changes.web import KIND_LABELS, STATUS_LABELS, STATUS_TAGS
from portal.extensions import db
from portal.web.panels import panel


def _render(template, **context):
    return Markup(  # noqa: S704 (our own autoescaped template)
        render_template(
            template, kinds=KIND_LABELS, statuses=STATUS_LABELS, tags=STATUS_TAGS, **context
        )
    )


@panel("citizen_home", order=30)
def citizen_requests(citizen, principal):
    """The citizen's requests in progress and the way to ask for a change."""
    if principal.role != "citizen" or principal.citizen.id != citizen.id:
        return None
    own = queries.for_citizen(db.session, citizen.id)
    shown = [r for r in own if r.is_open] or own[:1]
    # While a request is open (or care has ended) no new one can be asked for: say so, as the
    # change pages do, instead of a link to a page that refuses.
    relative = principal.is_relative
    refusal = superseding.refusal(db.session, citizen, relative=relative)
    return _render(
        "changes/_citizen_panel.html",
        requests=shown,
        refusal=refusal.text() if refusal else None,
        waiting=superseding.waiting_change(db.session, citizen.id, relative=relative),
    )


@panel("citizen_detail", order=30)
def coordinator_requests(citizen):
    """A coordinator sees the citizen's requests and registers a change from here."""
    if getattr(current_user, "role", None) != "coordinator":
        return None
    return _render(
        "changes/_coordinator_panel.html",
        citizen=citizen,
        requests=queries.for_citizen(db.session, citizen.id),
    )


@panel("staff_home", order=30)
def provider_notices(user):
    """A provider admin's latest switch notices (their own provider's only)."""
    if getattr(user, "role", None) != "provider_admin" or not user.provider_id:
        return None
    return _render(
        "changes/_notices.html",
        notices=notices.for_provider(db.session, user.provider_id, 5),
        heading_level=2,
        more=True,
    )


def visit_log_notes(citizen) -> list:
    """ "Home-care provider changed from X to Y on D" for each switch in force."""
    return [
        (
            r.effective_on,
            _(
                "Home-care provider changed from %(old)s to %(new)s on %(date)s",
                old=r.from_provider.name,
                new=r.to_provider.name,
                date=format_date(r.effective_on, "long"),
            ),
        )
        for r in queries.done_switches(db.session, citizen.id)
    ]
