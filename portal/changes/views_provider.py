"""A provider admin's notices of citizens joining or leaving their provider."""

from flask import render_template
from flask_login import current_user

from portal.changes import bp, notices
from portal.extensions import db
from portal.web.auth import role_required


@bp.route("/provider/notices")
@role_required("provider_admin")
def provider_notices():
    """Every switch notice of the admin's own provider, newest date first."""
    own = notices.for_provider(db.session, current_user.provider_id or -1, limit=200)
    return render_template("changes/notices.html", notices=own)
