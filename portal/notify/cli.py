"""`flask mail send|status`: deliver the outbox by hand, or see what is waiting."""

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal import clock
from portal.extensions import db
from portal.notify import runner
from portal.notify.models import OutboxMessage

mail_cli = click.Group("mail", help="The email outbox.")


@mail_cli.command("send")
@with_appcontext
def send():
    """Send every due message now."""
    sent, failed = runner.deliver_pending(db.session, now=clock.now(), config=current_app.config)
    click.echo(f"sent {sent}, failed {failed} (failed ones are retried later)")


@mail_cli.command("status")
@with_appcontext
def status():
    """Messages per status."""
    rows = db.session.execute(
        select(OutboxMessage.status, func.count()).group_by(OutboxMessage.status)
    ).all()
    click.echo(", ".join(f"{s}: {n}" for s, n in rows) or "the outbox is empty")
