"""Audit: the hash-chained log, signed checkpoints, the audit browser and `flask audit ...`."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("audit", __name__)


def init_app(app):
    """Config defaults, the CLI, the browser, the daily checkpoint job, production checks."""
    from portal.audit import production, tasks, views  # noqa: F401
    from portal.audit.cli import audit_cli
    from portal.web.panels import nav_item

    app.cli.add_command(audit_cli)
    nav_item("coordinator", "audit.browser", _l("Audit log"), order=90)
