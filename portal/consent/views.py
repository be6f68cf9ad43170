"""The property owner's start page."""

from portal.consent import bp
from portal.consent.owner_pages import home_page
from portal.web.auth import role_required


@bp.route("/owner/")
@role_required("owner")
def owner_home():
    """The owner's task list: every property and entrance, questions and answers."""
    return home_page()
