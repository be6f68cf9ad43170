"""Audit: the hash-chained log and `flask audit verify`."""

import click
from flask.cli import with_appcontext


@click.group("audit", help="Inspect the hash-chained audit log.")
def audit_cli():
    """Audit commands."""


@audit_cli.command("verify")
@with_appcontext
def verify():
    """Walk the chain; exit non-zero naming the first altered or removed record."""
    from portal.audit.services import verify_chain
    from portal.extensions import db

    checked, problem = verify_chain(db.session)
    if problem is not None:
        click.echo(f"audit chain broken at record {problem.seq}: {problem.reason}", err=True)
        raise SystemExit(1)
    click.echo(f"audit chain intact: {checked} records")


def init_app(app):
    """Register the CLI."""
    app.cli.add_command(audit_cli)
