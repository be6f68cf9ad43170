"""Changes: provider switches, moves, end of care and opt-out, asked for by citizens and
relatives or registered by coordinators, put in force at 00:00 on their date; and the physical
key cabinet, which tells the locksmith's removal jobs what keys to return (through the
locksmith's registry and signals)."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("changes", __name__)


def init_app(app):
    """Load views, panels, the scheduled job and the key cabinet; navigation and visit log lines."""
    from portal.access.panels import VISIT_LOG_NOTES
    from portal.changes import (  # noqa: F401
        cancelling,
        closing,
        keycabinet,
        keycabinet_handback,
        keycabinet_handback_views,
        keycabinet_queries,
        keycabinet_store_views,
        keycabinet_views,
        panels,
        superseding,
        tasks,
        views_cancel,
        views_citizen,
        views_coordinator,
        views_provider,
        views_register,
        views_request,
    )
    from portal.changes.summaries import summary_rows
    from portal.changes.web import (
        KIND_LABELS,
        STATUS_LABELS,
        STATUS_TAGS,
        start_time,
        stop_reason,
    )
    from portal.citizens.closures import closure_source
    from portal.locksmith.registry import key_source
    from portal.locksmith.signals import removal_done
    from portal.web.panels import nav_item

    app.jinja_env.globals["change_rows"] = summary_rows
    app.jinja_env.globals["change_start_time"] = start_time
    app.jinja_env.globals["change_kinds"] = KIND_LABELS
    app.jinja_env.globals["change_statuses"] = STATUS_LABELS
    app.jinja_env.globals["change_tags"] = STATUS_TAGS
    app.jinja_env.globals["change_replaced_by"] = cancelling.replaced_by
    app.jinja_env.globals["change_replaced"] = cancelling.replaced
    app.jinja_env.globals["change_was_decided"] = cancelling.was_decided
    app.jinja_env.globals["change_ends_care"] = superseding.ends_care
    app.jinja_env.globals["change_stop_reason"] = stop_reason

    app.config.setdefault("CHANGES_MAX_DAYS_AHEAD", 365)
    app.config.setdefault("CHANGES_MAX_UPLOAD_BYTES", 5 * 1024 * 1024)
    if panels.visit_log_notes not in VISIT_LOG_NOTES:
        VISIT_LOG_NOTES.append(panels.visit_log_notes)
    nav_item("citizen", "changes.start", _l("Changes"), order=30)
    nav_item("coordinator", "changes.queue", _l("Requests"), order=40)
    nav_item("provider_admin", "changes.provider_notices", _l("Notices"), order=40)
    key_source(keycabinet_queries.held_keys)
    closure_source(closing.closure, closing.condition)
    removal_done.connect(keycabinet_handback.on_removal_done)
    nav_item("provider_admin", "changes.cabinet_list", _l("Key cabinet"), order=45)
    nav_item("coordinator", "changes.cabinet_list", _l("Key cabinets"), order=75)
