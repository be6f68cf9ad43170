"""Citizens: the register, the import, and the citizen's own start page."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("citizens", __name__)


def init_app(app):
    """Load views, expose the citizen statuses to templates, add the navigation links."""
    from portal.audit.labels import register_namer
    from portal.citizens import tasks, views  # noqa: F401
    from portal.citizens.cli import citizens_cli
    from portal.citizens.letter_codes import grouped
    from portal.citizens.lifecycle import CitizenStatus, label
    from portal.citizens.models import Citizen
    from portal.web.auth import register_loader
    from portal.web.panels import nav_item
    from portal.web.wording import Worded

    # Templates compare with the enum and show the one translated label, never a literal.
    app.jinja_env.globals["CitizenStatus"] = CitizenStatus
    app.jinja_env.filters["citizen_status"] = label
    app.jinja_env.filters["code"] = grouped
    app.cli.add_command(citizens_cli)
    register_loader("citizen", lambda session, citizen_id: session.get(Citizen, citizen_id))
    register_namer("citizen", names)

    nav_item("coordinator", "citizens.register", _l("Citizens"), order=10)
    nav_item("coordinator", "citizens.import_upload", _l("Import"), order=20)
    # A relative's menu names the citizen ("Min side" would be the relative's own page).
    nav_item("citizen", "citizens.home", Worded(_l("My page"), "%(name)s"), order=10)


def names(session, ids) -> dict[int, str]:
    """Citizens' names by id, in one query (the audit log names the citizens it mentions)."""
    from sqlalchemy import select

    from portal.citizens.models import Citizen

    return dict(session.execute(select(Citizen.id, Citizen.name).where(Citizen.id.in_(ids))).all())
