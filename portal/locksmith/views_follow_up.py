"""The coordinator's follow-up list: failed fittings whose citizen still needs a call."""

from flask import current_app, render_template
from flask_babel import lazy_gettext as _l

from portal.citizens.validation import display_phone
from portal.extensions import db
from portal.locksmith import bp, queries
from portal.web.auth import role_required

FAIL_REASON_LABELS = {
    "not_home": _l("Nobody was at home"),
    "door_unsuitable": _l("The door is not suitable"),
    "declined": _l("The citizen declined"),
    "other": _l("Other reason"),
}


@bp.route("/coordinator/follow-up")
@role_required("coordinator")
def follow_up():
    """Failed jobs whose citizen still needs a call: reason, note, phone, a way to rebook."""
    rows = queries.follow_up(db.session)
    country = current_app.config["COUNTRY"]
    return render_template(
        "locksmith/follow_up.html",
        rows=rows,
        reasons=FAIL_REASON_LABELS,
        phone=lambda v: display_phone(v, country),
    )
