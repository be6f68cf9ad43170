"""`flask directory ...`: reference data from the command line (a first load, or a script)."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import clock
from portal.audit.services import Actor
from portal.directory import csvload, reference
from portal.directory.models import District, Provider
from portal.extensions import db
from portal.phones import normalise_phone

directory_cli = click.Group("directory", help="Districts, providers and care groups.")
CLI_ACTOR = Actor("system", label="command line")


def _by_name(model, name):
    found = db.session.scalar(select(model).where(model.name == name))
    if found is None:
        raise click.ClickException(f"no {model.__name__.lower()} named {name!r}")
    return found


# Where each refused name came from on the command line.
PARAMS = {"name": "'NAME'", "contact_name": "'--contact-name'"}


def _not_one_line(exc: reference.NotOneLine) -> click.BadParameter:
    return click.BadParameter(
        f"{exc.value!r} holds a line break, tab or hidden control character: write it on one line",
        param_hint=PARAMS.get(exc.field, exc.field),
    )


def _done(what):
    db.session.commit()
    click.echo(f"created {type(what).__name__.lower()} {what.id} {what.name}")


@directory_cli.command("add-district")
@click.argument("name")
@with_appcontext
def add_district(name):
    """Create a district."""
    try:
        _done(reference.save_district(db.session, None, name, now=clock.now(), actor=CLI_ACTOR))
    except reference.NotOneLine as exc:
        raise _not_one_line(exc) from exc
    except reference.NameTaken as exc:
        raise click.ClickException(f"a district is already named {name!r}") from exc


@directory_cli.command("add-provider")
@click.argument("name")
@click.option("--kind", type=click.Choice(reference.KINDS), default="municipal")
@click.option("--contact-name", default="")
@click.option("--phone", default="")
@click.option("--email", default="")
@with_appcontext
def add_provider(name, kind, contact_name, phone, email):
    """Create a provider (municipal or private); the phone is kept in E.164."""
    if phone:
        country = current_app.config["COUNTRY"]
        e164 = normalise_phone(phone, country)
        if e164 is None:
            raise click.BadParameter(
                f"{phone!r} is not a valid phone number in {country} "
                "(write it as people there do, or with the country code: +45 ..., +46 ...)",
                param_hint="--phone",
            )
        phone = e164
    data = {
        "name": name,
        "kind": kind,
        "contact_name": contact_name,
        "phone": phone,
        "email": email,
    }
    try:
        _done(reference.save_provider(db.session, None, data, now=clock.now(), actor=CLI_ACTOR))
    except reference.NotOneLine as exc:
        raise _not_one_line(exc) from exc
    except reference.NameTaken as exc:
        raise click.ClickException(f"a provider is already named {name!r}") from exc


@directory_cli.command("add-care-group")
@click.argument("name")
@click.option("--provider", "provider_name", required=True, help="The provider's name.")
@click.option("--district", "districts", multiple=True, required=True, help="Repeat for each.")
@click.option("--night-patrol", is_flag=True)
@with_appcontext
def add_care_group(name, provider_name, districts, night_patrol):
    """Create a care group of a provider serving the named districts."""
    data = {
        "name": name,
        "provider_id": _by_name(Provider, provider_name).id,
        "district_ids": [_by_name(District, d).id for d in districts],
        "night_patrol": night_patrol,
    }
    try:
        _done(reference.save_care_group(db.session, None, data, now=clock.now(), actor=CLI_ACTOR))
    except reference.NotOneLine as exc:
        raise _not_one_line(exc) from exc
    except reference.ReferenceError as exc:
        raise click.ClickException(f"cannot create the care group: {exc}") from exc


@directory_cli.command("import")
@click.argument("kind", type=click.Choice(tuple(csvload.COLUMNS)))
@click.argument("path", type=click.Path(exists=True, dir_okay=False, path_type=Path))
@click.option("--dry-run", is_flag=True, help="Only show what would be created.")
@with_appcontext
def import_file(kind, path, dry_run):
    """Load districts, providers or care groups from a CSV file (existing names are kept)."""
    try:
        loaded = csvload.plan(
            db.session, kind, path.read_bytes(), country=current_app.config["COUNTRY"]
        )
    except csvload.LoadProblem as exc:
        raise click.ClickException(str(exc.args[0])) from exc
    for number, problems in sorted(loaded.errors.items()):
        for column, message in problems:
            click.echo(f"row {number}, {loaded.headers.get(column, column)}: {message}")
    click.echo(
        f"{len(loaded.create)} new, {loaded.existing} already there, "
        f"{len(loaded.errors)} row(s) with errors"
    )
    if dry_run:
        return
    created = csvload.apply(db.session, loaded, now=clock.now(), actor=CLI_ACTOR)
    db.session.commit()
    click.echo(f"created {created}")


@directory_cli.command("list")
@with_appcontext
def list_all():
    """Print the districts, providers and care groups."""
    from portal.directory import queries

    for d in queries.districts(db.session):
        click.echo(f"district  {d.id:>4} {d.name}{'' if d.active else ' (deactivated)'}")
    for p in queries.providers(db.session):
        click.echo(f"provider  {p.id:>4} {p.name} [{p.kind}]{'' if p.active else ' (deactivated)'}")
    for g in queries.care_groups(db.session):
        where = ", ".join(d.name for d in g.districts)
        night = " night patrol" if g.night_patrol else ""
        click.echo(f"group     {g.id:>4} {g.name} ({g.provider.name}; {where}){night}")
