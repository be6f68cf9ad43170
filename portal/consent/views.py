"""The property owner's start page."""

from flask import render_template
from flask_login import current_user

from portal.consent import bp, queries
from portal.consent.models import OwnerOrganisation
from portal.extensions import db
from portal.web.auth import role_required


@bp.route("/owner/")
@role_required("owner")
def owner_home():
    """The owner organisation's buildings and the status of each entrance."""
    org_id = current_user.owner_organisation_id
    if org_id is None:  # an owner account not yet linked to an organisation
        return render_template("consent/owner_home.html", org=None, properties=[])
    org = db.session.get(OwnerOrganisation, org_id)
    properties = queries.properties_of_owner(db.session, org_id)
    return render_template("consent/owner_home.html", org=org, properties=properties)
