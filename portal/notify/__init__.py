"""A generic email outbox: a table, a sending job with retries; it knows no feature."""


def init_app(app):
    """Register the jobs with the consumer and the `flask mail` commands."""
    from portal.notify import cli, tasks  # noqa: F401

    app.cli.add_command(cli.mail_cli)
