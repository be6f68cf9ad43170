"""Email to citizens: an outbox table, a sending job with retries, and the day-before reminder."""


def init_app(app):
    """Register the jobs with the consumer and the `flask mail` commands."""
    from portal.notify import cli, tasks  # noqa: F401

    app.cli.add_command(cli.mail_cli)
