"""`flask citizens ...`: one-off checks of the register from the command line."""

from collections import defaultdict

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import select

from portal import clock
from portal.audit.services import Actor, record
from portal.citizens import validation
from portal.citizens.models import Citizen
from portal.citizens.register import NATIONAL_ID_PURPOSE, national_id_of
from portal.extensions import db

citizens_cli = click.Group("citizens", help="Checks of the citizen register.")
CLI_ACTOR = Actor("system", label="command line")


def national_id_doubles(session, keyring, country: str):
    """(groups of citizens whose national ids are one person, citizens stored in another form).

    Each group lists the citizens sharing one canonical national id; the second list holds
    (citizen, canonical value) for citizens whose stored form is not the canonical one.
    """
    by_canonical, restate = defaultdict(list), []
    for citizen in session.scalars(select(Citizen).order_by(Citizen.id)):
        stored = national_id_of(keyring, citizen)
        try:
            canonical = validation.normalise_national_id(stored, country)
        except ValueError:
            continue
        by_canonical[canonical].append(citizen)
        if canonical != stored:
            restate.append((citizen, canonical))
    return [group for group in by_canonical.values() if len(group) > 1], restate


@citizens_cli.command("national-id-doubles")
@click.option(
    "--restate",
    is_flag=True,
    help="Store the canonical form for every citizen that is not part of a double.",
)
@with_appcontext
def doubles(restate):
    """List citizens registered twice under two written forms of one national id."""
    keyring = current_app.extensions["keyring"]
    groups, other_form = national_id_doubles(db.session, keyring, current_app.config["COUNTRY"])
    for group in groups:
        click.echo(
            "same person: "
            + ", ".join(f"citizen {c.id} (external id {c.external_id})" for c in group)
        )
    click.echo(f"{len(groups)} double(s); {len(other_form)} citizen(s) stored in another form")
    if not restate:
        return
    doubled = {c.id for group in groups for c in group}
    now, done = clock.now(), 0
    for citizen, canonical in other_form:
        if citizen.id in doubled:
            continue
        citizen.national_id_enc = keyring.encrypt(canonical, NATIONAL_ID_PURPOSE)
        citizen.national_id_index = keyring.blind_index(canonical, NATIONAL_ID_PURPOSE)
        done += 1
    record(db.session, CLI_ACTOR, "citizens.national_ids_restated", now=now, data={"count": done})
    db.session.commit()
    click.echo(f"restated {done} citizen(s); resolve the doubles by hand first")
