"""`flask letters batch --district NAME [--only-new] [--out DIR]`: a batch in the foreground."""

from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal import clock
from portal.audit.services import Actor
from portal.extensions import db
from portal.letters import services
from portal.letters.batch import run_batch
from portal.letters.scope import ScopeNotFound, scope_for_district_name

letters_cli = AppGroup("letters", help="Information letters: batches in the foreground.")
CLI_ACTOR = Actor("system", label="flask letters")


def _run_with_bar(batch, processes):
    seen = [0]
    with click.progressbar(
        length=batch.total, label=f"Batch {batch.id}", show_pos=True, show_eta=True
    ) as bar:

        def on_progress(done, failed, _total):
            bar.update(done + failed - seen[0])
            seen[0] = done + failed

        return run_batch(
            db.session,
            batch.id,
            config=current_app.config,
            keyring=current_app.extensions["keyring"],
            processes=processes,
            on_progress=on_progress,
        )


def _report(batch, result) -> None:
    directory = Path(batch.directory)
    click.echo(f"{result.done} letters in {directory}")
    if result.done:
        click.echo(f"  print file: {directory / 'merged.pdf'}")
        click.echo(f"  manifest:   {directory / 'manifest.csv'}")
    if result.skipped:
        click.echo(f"{result.skipped} letters not sent (the citizen no longer qualifies):")
        click.echo(f"  list: {directory / 'skipped.csv'}")
    if result.failed:
        click.echo(f"{result.failed} letters failed:", err=True)
        for reference, name, reason in result.failures:
            click.echo(f"  {reference} {name}: {reason}", err=True)
        raise click.exceptions.Exit(1)
    if result.status != "done":
        click.echo(f"batch {batch.id} stopped: {result.status}", err=True)
        raise click.exceptions.Exit(1)


@letters_cli.command("batch")
@click.option("--district", required=True, help="District name, exactly as in the register.")
@click.option("--only-new", is_flag=True, help="Only citizens without a letter yet.")
@click.option(
    "--out",
    type=click.Path(file_okay=False, path_type=Path),
    help="Folder for the files (default instance/letters/<batch>).",
)
@click.option(
    "--processes",
    type=int,
    default=None,
    help="Rendering processes (default 2; 0 renders in this process, without the time limit).",
)
def batch_command(district: str, only_new: bool, out: Path | None, processes: int | None):
    """Render every letter of a district with a progress bar; exit 1 naming failed letters."""
    try:
        scope = scope_for_district_name(db.session, district)
    except ScopeNotFound:
        raise click.UsageError(f"no district named {district!r}") from None
    try:
        batch = services.create_batch(
            db.session, scope, only_new=only_new, actor=CLI_ACTOR, now=clock.now(), directory=out
        )
        db.session.commit()
    except services.NothingToSend:
        click.echo(f"no letters to make for {district}")
        return
    result = _run_with_bar(batch, processes)
    _report(batch, result)


@letters_cli.command("resume")
@click.argument("batch_id", type=int)
@click.option(
    "--processes",
    type=int,
    default=None,
    help="Rendering processes (default 2; 0 renders in this process, without the time limit).",
)
def resume_command(batch_id: int, processes: int | None):
    """Resume a cancelled or interrupted batch: only missing letters are made."""
    try:
        batch = services.resume_batch(db.session, batch_id, actor=CLI_ACTOR, now=clock.now())
        db.session.commit()
    except services.BatchNotFound:
        raise click.UsageError(f"no batch {batch_id}") from None
    except services.BatchStateError as exc:
        raise click.UsageError(f"batch {batch_id} is {exc.status}; nothing to resume") from None
    _report(batch, _run_with_bar(batch, processes))
