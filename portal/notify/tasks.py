"""Background jobs: send the outbox now (kick) and every minute, so nothing waits."""

import logging

from flask import current_app, has_app_context
from huey import crontab

from portal import clock
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.notify import runner

log = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=60)
def send_outbox():
    """Deliver every due message in the outbox."""
    runner.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@huey.periodic_task(crontab(minute="*"))
def outbox_tick():
    """Every minute: retry what is due (a mail outage only delays messages)."""
    send_outbox()


def kick() -> None:
    """Ask the job consumer to send now; the minute tick would find the messages anyway."""
    if not has_app_context():
        return
    if not current_app.config.get("MAIL_SEND_ON_COMMIT", not current_app.testing):
        return
    try:
        send_outbox()
    except Exception:  # the queue being down loses nothing: the outbox row is committed
        log.warning("could not enqueue the outbox job; the periodic tick will send it")
