"""The audit browser: coordinators search the log; each record shows its verification state.

A search with a mistake in it (a date that is not one, an end before the start, a text too
long) lists nothing: leaving the bad field out would list records nobody asked for.
"""

import json
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from flask import current_app, request, url_for
from flask_babel import lazy_gettext as _l

from portal.audit import bp, queries, states
from portal.audit.forms import AuditSearchForm
from portal.audit.labels import action_label, names_for, who_label
from portal.audit.reading import PURPOSES
from portal.extensions import db
from portal.web.auth import role_required
from portal.web.dates import to_date
from portal.web.htmx import render, wants_fragment
from portal.web.params import id_arg

FILTER_ARGS = ("actor", "action", "object_type", "object_id", "start", "end")
STATE_LABELS = {
    states.VERIFIED: (_l("Verified up to the last checkpoint"), "success"),
    states.UNSIGNED: (_l("After the last checkpoint, not yet signed"), "info"),
    states.BROKEN: (_l("Chain broken"), "error"),
}
DATA_PREVIEW = 300


def _bound(value, tz: ZoneInfo, days: int = 0) -> datetime | None:
    day = to_date(value)
    if day is None:
        return None
    return datetime.combine(day + timedelta(days=days), time(0), tzinfo=tz)


def _filter(form: AuditSearchForm) -> queries.AuditFilter:
    """The search as typed (only for a form without errors: see the module docstring)."""
    tz = ZoneInfo(current_app.config["TIMEZONE"])

    def ok(field):
        return (field.data or "").strip() if not field.errors else ""

    return queries.AuditFilter(
        actor=ok(form.actor),
        action=ok(form.action),
        object_type=ok(form.object_type),
        object_id=ok(form.object_id),
        start=_bound(ok(form.start), tz),
        end=_bound(ok(form.end), tz, days=1),
    )


def data_text(data) -> str:
    """A record's data as compact JSON, cut for the list (the full text is in the log)."""
    text = json.dumps(data or {}, ensure_ascii=False, sort_keys=True, default=str)
    return text if len(text) <= DATA_PREVIEW else text[: DATA_PREVIEW - 1] + "…"


@bp.route("/coordinator/audit")
@role_required("coordinator")
def browser():
    """Search by who, what, object and period; newest first, keyset-paginated on seq."""
    form = AuditSearchForm(request.args)
    if request.args:
        form.validate()  # shows what is wrong next to the field and in the summary
    before = id_arg("before")
    records, more = [], False
    if not form.errors:
        records, more = queries.search(
            db.session, _filter(form), before=before, limit=current_app.config["PAGE_SIZE"]
        )
    anchor = states.anchor(db.session, current_app.config, current_app.instance_path)
    args = {k: request.args[k] for k in FILTER_ARGS if request.args.get(k)}
    return render(
        "audit/browser.html",
        "audit/_results.html",
        form=form,
        inline=wants_fragment(),
        records=records,
        states=states.states(db.session, records, anchor),
        anchor=anchor,
        state_labels=STATE_LABELS,
        purposes=PURPOSES,
        action_label=action_label,
        who_label=who_label,
        # The page is coordinators' only, and a coordinator may see every citizen: name them.
        names=names_for(db.session, records),
        data_text=data_text,
        older_url=url_for("audit.browser", before=records[-1].seq, **args) if more else None,
        newest_url=url_for("audit.browser", **args) if before else None,
    )
