"""Audit: the hash-chained log, signed checkpoints, the audit browser and `flask audit ...`."""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("audit", __name__)

# Settings this feature reads; the lead moves them into portal.config.Defaults.
DEFAULTS = {
    "AUDIT_CHECKPOINT_DIR": None,  # falls back to instance/audit-checkpoints
    "AUDIT_CHECKPOINT_KEY": None,  # falls back to instance/keys/audit-checkpoint.pem
    "AUDIT_CHECKPOINT_PUBLIC_KEY": None,  # verify with this PEM instead of the private key's
}


def init_app(app):
    """Config defaults, the CLI, the browser, the daily checkpoint job, production checks."""
    from portal.audit import production, tasks, views  # noqa: F401
    from portal.audit.cli import audit_cli
    from portal.web.panels import nav_item

    for name, value in DEFAULTS.items():
        app.config.setdefault(name, value)
    app.cli.add_command(audit_cli)
    nav_item("coordinator", "audit.browser", _l("Audit log"), order=90)
