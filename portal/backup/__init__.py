"""Backups: `flask backup create DIR` and `flask backup restore DIR`.

A backup folder holds the database (SQLite's online backup API, or `pg_dump` in custom format
on PostgreSQL), the key folders (instance/keys, ISSUER_KEY_DIR and the audit checkpoint key
when they lie elsewhere), the audit checkpoint files and the letters folder, and a
manifest.json with the SHA-256 of every file. Restore checks the manifest first and refuses
on any difference.
"""


def init_app(app):
    """Register the CLI."""
    from portal.backup.cli import backup_cli

    app.cli.add_command(backup_cli)
