"""Letters: the citizen's information letter and booking confirmation, single and in batches."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("letters", __name__)


def init_app(app):
    """Load views, jobs, panels and the CLI; add Letters to the coordinator's navigation."""
    from portal.letters import consent_letter, downloads, jobs, panels, views  # noqa: F401
    from portal.letters.cli import letters_cli
    from portal.letters.labels import duration, template_globals
    from portal.web.panels import nav_item

    app.cli.add_command(letters_cli)
    app.jinja_env.globals.update(template_globals())
    app.jinja_env.filters["letters_duration"] = duration
    nav_item("coordinator", "letters.index", _l("Letters"), order=30)
