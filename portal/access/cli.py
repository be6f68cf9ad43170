"""`flask keys ...`: run a demo shift, rotate the issuer key, show the trust anchors.

The group lives here, not in portal/keys, because that package is pure and never imports flask.
"""

import click
from flask import current_app
from flask.cli import with_appcontext

from portal import clock
from portal.access import demoshift, issuer_keys, rotation
from portal.audit.services import Actor
from portal.extensions import db
from portal.keys import public_key_to_pem

keys_cli = click.Group("keys", help="Issuer keys and the field protocol.")
CLI_ACTOR = Actor("system", label="command line")


def _store() -> issuer_keys.KeyStore:
    return issuer_keys.KeyStore.from_config(current_app.config, current_app.instance_path)


@keys_cli.command("demo-shift")
@click.option("--staff-number", default=demoshift.DEMO_STAFF_NUMBER, show_default=True)
@click.option("--pin", default=demoshift.DEMO_PIN, show_default=True)
@with_appcontext
def demo_shift(staff_number: str, pin: str):
    """Enrol a reference phone, start a shift, open and close three doors, upload, print visits."""
    now = clock.now()
    try:
        result = demoshift.run(
            current_app._get_current_object(),
            db.session,
            staff_number=staff_number,
            pin=pin,
            now=now,
        )
    except demoshift.DemoShiftError as exc:
        raise click.ClickException(str(exc)) from None
    shift = result.shift
    click.echo(f"Enrolled device {result.device_id}")
    click.echo(
        f"Shift {shift['shift_id']} until {shift['expires_at']}: {len(shift['locks'])} locks, "
        f"bulletin {shift['bulletin_seq']}"
    )
    click.echo("\n".join(result.lines))
    upload = result.upload
    click.echo(
        f"Uploaded: {upload['accepted']} accepted, {upload['duplicates']} duplicates, "
        f"{len(upload['rejected'])} rejected"
    )
    click.echo("Visits (lock clocks run forward from the shift start):")
    for visit in result.visits:
        end = visit.end.isoformat(timespec="minutes") if visit.end else "open"
        who = visit.staff.first_name if visit.staff else visit.sub
        click.echo(
            f"  {visit.start.isoformat(timespec='minutes')} - {end}  citizen {visit.citizen_id}  {who}"
        )


@keys_cli.command("encrypt")
@with_appcontext
def encrypt():
    """Encrypt plain issuer key files with the configured passphrase (also done at start-up)."""
    from portal.access.key_protection import encrypt_existing

    store = _store()
    if not store.password:
        raise click.ClickException(
            "set PORTAL_ISSUER_KEY_PASSPHRASE or PORTAL_ISSUER_KEY_PASSPHRASE_FILE first"
        )
    done = encrypt_existing(store.directory, store.iss, store.password)
    click.echo(
        f"encrypted {len(done)} issuer key file(s)" + (f": {', '.join(done)}" if done else "")
    )


@keys_cli.command("rotate")
@with_appcontext
def rotate():
    """Make the next issuer key current; the old one stays trusted until its last key expires."""
    now = clock.now()
    store = _store()
    old = issuer_keys.ensure_keys(db.session, store, now=now)
    new = rotation.rotate(db.session, store, now=now, actor=CLI_ACTOR)
    db.session.commit()
    db.session.refresh(old)
    click.echo(
        f"Signing with {new.kid} now; {old.kid} trusted until {old.trusted_until.isoformat()}"
    )
    upcoming = issuer_keys.next_key(db.session)
    click.echo(f"Next key (provision new locks with it): {upcoming.kid}")


@keys_cli.command("anchors")
@with_appcontext
def anchors():
    """Print the trust anchors a locksmith provisions a new lock with (PEM public keys)."""
    for anchor in issuer_keys.trust_anchors(db.session, _store(), now=clock.now()):
        until = anchor.until.isoformat() if anchor.until else "-"
        click.echo(f"# iss={anchor.iss} kid={anchor.kid.decode()} until={until}")
        click.echo(public_key_to_pem(anchor.public_key))
