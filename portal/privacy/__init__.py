"""Data protection (GDPR): the citizen's right of access (a JSON and a tagged PDF export of
everything held, with purposes and legal bases) and retention (how long each kind of data is
kept after care ends, and the nightly job that deletes or pseudonymises what is due)."""

from flask import Blueprint

bp = Blueprint("privacy", __name__)


def init_app(app):
    """Load the views, the citizen-page panel, the nightly job and the CLI."""
    from portal.privacy import panels, tasks, views  # noqa: F401
    from portal.privacy.cli import privacy_cli

    app.cli.add_command(privacy_cli)
