"""`flask audit verify | checkpoint | key`."""

import click
from flask import current_app
from flask.cli import with_appcontext


@click.group("audit", help="Inspect the hash-chained audit log and its signed checkpoints.")
def audit_cli():
    """Audit commands."""


@audit_cli.command("verify")
@with_appcontext
def verify():
    """Walk the chain and check every checkpoint file; exit non-zero naming what is wrong."""
    from portal import clock
    from portal.audit.verification import verify_all
    from portal.extensions import db

    report = verify_all(db.session, current_app.config, current_app.instance_path, now=clock.now())
    for warning in report.warnings:
        click.echo(f"warning: {warning}", err=True)
    if not report.ok:
        for problem in report.problems:
            click.echo(problem, err=True)
        click.echo(f"audit log NOT intact: {len(report.problems)} problem(s)", err=True)
        raise SystemExit(1)
    newest = report.newest
    signed = f", newest checkpoint at record {newest['seq']} ({newest['at']})" if newest else ""
    click.echo(
        f"audit chain intact: {report.records} records, "
        f"{report.checkpoints} checkpoint(s) verified{signed}"
    )


@audit_cli.command("checkpoint")
@with_appcontext
def checkpoint():
    """Sign a checkpoint of the chain head now (file and database row)."""
    from portal import clock
    from portal.audit.checkpoints import ChainBroken, make_checkpoint
    from portal.extensions import db

    try:
        row = make_checkpoint(
            db.session, current_app.config, current_app.instance_path, now=clock.now()
        )
    except ChainBroken as exc:
        db.session.rollback()
        click.echo(f"not signed: the audit chain is broken at {exc}", err=True)
        raise SystemExit(1) from None
    db.session.commit()
    click.echo(f"checkpoint signed at record {row.seq}: {row.filename}")


@audit_cli.command("key")
@with_appcontext
def key():
    """Create the checkpoint key if needed and print its public half (give it to auditors)."""
    from portal.audit import signing

    path = signing.key_path(current_app.config, current_app.instance_path)
    public = signing.load_or_create_private_key(path).public_key()
    click.echo(f"checkpoint key {signing.key_id(public)} at {path}")
    click.echo(signing.public_pem(public), nl=False)
