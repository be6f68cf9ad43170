"""`flask privacy retention [--dry-run]`: what retention removes today, or remove it now."""

import json

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import clock
from portal.audit.services import SYSTEM
from portal.directory.queries import local_date
from portal.extensions import db
from portal.privacy.erase import sweep

privacy_cli = click.Group("privacy", help="Data protection: retention.")


@privacy_cli.command("retention")
@click.option("--dry-run", is_flag=True, help="List what would go; change nothing.")
@with_appcontext
def retention_command(dry_run: bool):
    """Delete or pseudonymise what is due today (one JSON line per citizen)."""
    now = clock.now()
    today = local_date(now, current_app.config["TIMEZONE"])
    results = sweep(db.session, today, now=now, actor=SYSTEM, dry_run=dry_run)
    if dry_run:
        db.session.rollback()
    else:
        db.session.commit()
    for item in results:
        click.echo(json.dumps(item, sort_keys=True))
    verb = "would be handled" if dry_run else "handled"
    click.echo(f"{len(results)} citizen(s) {verb} on {today.isoformat()}")
