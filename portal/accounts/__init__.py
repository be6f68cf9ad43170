"""Accounts: staff and owner sign-in, citizen and relative sign-in with the letter code."""

from flask import Blueprint

bp = Blueprint("accounts", __name__)


def init_app(app):
    """Register the account CLI commands."""
    from portal.accounts import cli, views  # noqa: F401

    app.cli.add_command(cli.users_cli)
