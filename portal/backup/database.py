"""The database into one file and back: SQLite's online backup API, or pg_dump/pg_restore."""

import os
import sqlite3
import subprocess
from pathlib import Path
from urllib.parse import unquote

from sqlalchemy.engine import make_url

SQLITE_FILE = "database.sqlite3"
POSTGRES_FILE = "database.pgdump"


class DatabaseBackupError(RuntimeError):
    """The database could not be dumped or restored (the message says why)."""


def kind(uri: str) -> str:
    """'sqlite' or 'postgresql'."""
    backend = make_url(uri).get_backend_name()
    if backend not in ("sqlite", "postgresql"):
        raise DatabaseBackupError(f"cannot back up a {backend} database")
    return backend


def _sqlite_path(uri: str) -> Path:
    name = make_url(uri).database
    if not name or name == ":memory:":
        raise DatabaseBackupError("an in-memory SQLite database cannot be backed up")
    return Path(name)


def _libpq(uri: str) -> tuple[str, dict, str | None]:
    """(libpq URL without the password, environment with PGPASSWORD, search_path schema)."""
    url = make_url(uri)
    env = dict(os.environ)
    if url.password:
        env["PGPASSWORD"] = str(url.password)
    options = unquote(str(url.query.get("options", "")))
    schema = None
    if "search_path=" in options:
        schema = options.split("search_path=", 1)[1].split()[0].split(",")[0]
    plain = url.set(drivername="postgresql", password=None)
    return plain.render_as_string(hide_password=False), env, schema


def _run(args: list[str], env: dict) -> None:
    done = subprocess.run(args, env=env, capture_output=True, text=True, check=False)
    if done.returncode != 0:
        raise DatabaseBackupError(f"{args[0]} failed: {done.stderr.strip()[-2000:]}")


def dump(uri: str, folder: Path) -> str:
    """Write the database into `folder`; returns the file name."""
    if kind(uri) == "sqlite":
        target = folder / SQLITE_FILE
        source = sqlite3.connect(_sqlite_path(uri))
        copy = sqlite3.connect(target)
        try:
            with copy:
                source.backup(copy)  # a consistent snapshot while others keep writing
        finally:
            copy.close()
            source.close()
        return SQLITE_FILE
    dsn, env, schema = _libpq(uri)
    args = ["pg_dump", "--format=custom", "--no-owner", "--no-privileges"]
    args += [f"--schema={schema}"] if schema else []
    _run([*args, f"--file={folder / POSTGRES_FILE}", f"--dbname={dsn}"], env)
    return POSTGRES_FILE


def restore(uri: str, path: Path) -> None:
    """Replace the database's contents with the dump at `path` (no connection may be open)."""
    if kind(uri) == "sqlite":
        source = sqlite3.connect(path)
        target = sqlite3.connect(_sqlite_path(uri))
        try:
            with target:
                source.backup(target)  # page by page, replacing everything that was there
        finally:
            target.close()
            source.close()
        return
    dsn, env, _schema = _libpq(uri)
    args = ["pg_restore", "--clean", "--if-exists", "--no-owner", "--no-privileges"]
    args += ["--single-transaction", "--exit-on-error"]
    _run([*args, f"--dbname={dsn}", str(path)], env)
