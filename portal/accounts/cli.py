"""`flask users ...`: create accounts and change roles from the command line."""

import click
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import clock
from portal.accounts import services
from portal.accounts.models import ROLES, User
from portal.audit.services import Actor
from portal.extensions import db

users_cli = click.Group("users", help="Manage staff and owner accounts.")
CLI_ACTOR = Actor("system", label="command line")


@users_cli.command("create")
@click.argument("email")
@click.argument("name")
@click.option("--role", type=click.Choice(ROLES), required=True)
@click.password_option()
@with_appcontext
def create(email, name, role, password):
    """Create an account."""
    user = services.create_user(db.session, email, name, password, role, now=clock.now())
    db.session.commit()
    click.echo(f"created user {user.id} {user.email} ({user.role})")


@users_cli.command("set-role")
@click.argument("email")
@click.argument("role", type=click.Choice(ROLES))
@with_appcontext
def set_role(email, role):
    """Give an account another role (audited; its sessions end)."""
    user = db.session.execute(select(User).where(User.email == email.lower())).scalar_one_or_none()
    if user is None:
        raise click.ClickException(f"no account with email {email}")
    services.change_role(db.session, user, role, now=clock.now(), actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"{user.email} is now {role}")
