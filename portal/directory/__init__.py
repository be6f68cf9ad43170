"""Directory: reference data every feature reads (districts, providers, care groups), the
municipality's own texts (settings), and the dated provider assignments that answer "which
provider serves citizen C on date D".

Floor 3: imports only the floors below (extensions, clock, audit, web); citizens and every
feature above read from here, never the other way round.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("directory", __name__)


def init_app(app):
    """Settings over the config, the pages, the commands and the coordinator's links."""
    from portal.directory import settings, views, views_import, views_logo  # noqa: F401
    from portal.directory.cli import directory_cli
    from portal.web.panels import nav_item

    settings.init_app(app)
    app.cli.add_command(directory_cli)
    app.jinja_env.globals["municipality_logo_url"] = views_logo.logo_url
    app.jinja_env.globals["municipality_logo_size"] = views_logo.logo_size
    nav_item("coordinator", "directory.setup", _l("Setup"), order=90)
