"""`flask seed-demo`: a deterministic demo municipality; features add their own steps."""

import random
from dataclasses import dataclass, field

import click
from flask import current_app
from flask.cli import with_appcontext
from sqlalchemy import func, select

from portal import clock
from portal.demo import foundation, names
from portal.demo.names import DEMO_PASSWORD as DEMO_PASSWORD  # the documented demo login


@dataclass
class SeedContext:
    """Shared state for the seed steps: each step reads what earlier ones made."""

    session: object
    rng: random.Random
    now: object
    keyring: object
    config: dict
    made: dict = field(default_factory=dict)
    # Fake names, streets and the demo password: features' demo steps read them from here
    # rather than importing the demo package, which sits above every feature.
    names: object = names
    lines: list[str] = field(default_factory=list)


def steps():
    """(order, name, seed function) of every feature's demo.py, in order."""
    found = [(foundation.ORDER, "foundation", foundation.seed)]
    # The factory lists the features (portal.feature_names), so this package never imports it.
    for feature, module in current_app.extensions["portal.demo_modules"].items():
        if hasattr(module, "seed"):
            found.append((getattr(module, "ORDER", 50), feature, module.seed))
    return sorted(found, key=lambda s: (s[0], s[1]))


def seed_all(session, seed: int = 2026, now=None) -> SeedContext:
    """Run every step with one seeded random generator (flushes; the caller commits once)."""
    ctx = SeedContext(
        session=session,
        rng=random.Random(seed),
        now=now or clock.now(),
        keyring=current_app.extensions["keyring"],
        config=current_app.config,
    )
    for _order, _name, step in steps():
        step(ctx)
    return ctx


@click.command("seed-demo")
@click.option("--seed", default=2026, show_default=True, help="Random seed (same seed, same data).")
@click.option("--if-empty", is_flag=True, help="Do nothing when the register already has data.")
@with_appcontext
def seed_demo(seed: int, if_empty: bool):
    """Create the demo municipality and print the demo logins and letter codes."""
    from portal.citizens.models import Citizen
    from portal.extensions import db
    from portal.web.production import is_production

    if is_production(current_app.config):
        raise click.ClickException("the demo municipality is never seeded in production")
    if db.session.scalar(select(func.count(Citizen.id))):
        if if_empty:
            click.echo("database already has data; demo seed skipped")
            return
        raise click.ClickException("the database already has citizens; use an empty database")
    ctx = seed_all(db.session, seed)
    db.session.commit()
    click.echo("\n".join(ctx.lines))


@click.command("seed-scale")
@click.option("--citizens", default=1000, show_default=True, type=click.IntRange(1, 2_000_000))
@click.option("--events", default=100_000, show_default=True, type=click.IntRange(0, 10**9))
@click.option("--months", default=6, show_default=True, type=click.IntRange(1, 60))
@click.option("--seed", "rng_seed", default=1, show_default=True, help="Random seed.")
@with_appcontext
def seed_scale(citizens: int, events: int, months: int, rng_seed: int):
    """Add a large fake register (citizens, staff, door units, lock events, visits)."""
    import time

    from portal.demo import scale
    from portal.extensions import db
    from portal.web.production import is_production

    if is_production(current_app.config):
        raise click.ClickException("fake data is never seeded in production")
    started = time.monotonic()
    counts = scale.seed(
        db.session,
        citizens=citizens,
        events=events,
        now=clock.now(),
        rng_seed=rng_seed,
        months=months,
        checkpoint=db.session.commit,
    )
    db.session.commit()
    counts["seconds"] = round(time.monotonic() - started, 1)
    click.echo(" ".join(f"{k}={v}" for k, v in counts.items()))


def init_app(app):
    """Register the commands."""
    app.cli.add_command(seed_demo)
    app.cli.add_command(seed_scale)
