"""`flask backup create DIR` and `flask backup restore DIR`."""

import os
from pathlib import Path

import click
from flask import current_app
from flask.cli import AppGroup

from portal import clock
from portal.backup import database, folders, manifest
from portal.extensions import db

backup_cli = AppGroup("backup", help="Back up and restore the database, keys and files.")


@backup_cli.command("create")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def create(directory: Path):
    """Write a backup into DIRECTORY (new or empty): database, keys, checkpoints, letters."""
    if directory.exists() and any(directory.iterdir()):
        raise click.ClickException(f"{directory} is not empty: back up into a new folder")
    directory.mkdir(parents=True, exist_ok=True)
    os.chmod(directory, 0o700)  # it holds the keys
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    db.session.remove()
    # The database first, then the files: every checkpoint row then has its file.
    try:
        db_file = database.dump(uri, directory)
    except database.DatabaseBackupError as exc:
        raise click.ClickException(str(exc)) from None
    sections = folders.sections(current_app.config, current_app.instance_path)
    for name, source in sections.items():
        folders.copy_out(source, directory / name)
    info = {
        "created_at": clock.now().isoformat(),
        "database": {"kind": database.kind(uri), "file": db_file},
        "sections": {name: "file" if name == "checkpoint-key" else "folder" for name in sections},
    }
    written = manifest.write(directory, info)
    click.echo(f"backup written to {directory}: {len(written['files'])} files, manifest.json")


@backup_cli.command("restore")
@click.argument("directory", type=click.Path(file_okay=False, exists=True, path_type=Path))
@click.option("--yes", is_flag=True, help="Do not ask before replacing the current data.")
def restore(directory: Path, yes: bool):
    """Check DIRECTORY against its manifest, then replace the database and files with it."""
    try:
        found = manifest.check(directory)
    except manifest.ManifestMismatch as exc:
        raise click.ClickException(f"{exc}\nNothing was restored.") from None
    uri = current_app.config["SQLALCHEMY_DATABASE_URI"]
    if found["database"]["kind"] != database.kind(uri):
        raise click.ClickException(
            f"the backup holds a {found['database']['kind']} database but this portal runs on "
            f"{database.kind(uri)}. Nothing was restored."
        )
    if not yes:
        click.confirm("This replaces the database, the keys and the files. Continue?", abort=True)
    db.session.remove()
    db.engine.dispose()  # no pooled connection may hold the tables being replaced
    try:
        database.restore(uri, directory / found["database"]["file"])
    except database.DatabaseBackupError as exc:
        raise click.ClickException(str(exc)) from None
    stamp = clock.now()
    sections = folders.sections(current_app.config, current_app.instance_path)
    for name, kind in found.get("sections", {}).items():
        target = sections.get(name)
        if target is None or not (directory / name).exists():
            continue
        aside = folders.copy_back(directory / name, target, single_file=kind == "file", stamp=stamp)
        if aside is not None:
            click.echo(f"kept the previous {name} as {aside}")
    click.echo(f"restored from {directory} (made {found.get('created_at')})")
    click.echo("Restart the web processes and job workers, then run `flask audit verify`.")
