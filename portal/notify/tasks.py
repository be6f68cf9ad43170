"""Background jobs: send the outbox, queue the reminders; periodic ticks so nothing waits."""

from zoneinfo import ZoneInfo

from flask import current_app
from huey import crontab

from portal import clock
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.notify import services


@app_task(retries=3, retry_delay=60)
def send_outbox():
    """Deliver every due message in the outbox."""
    services.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@app_task(retries=3, retry_delay=60)
def send_reminders():
    """Queue tomorrow's reminders, then deliver them."""
    services.queue_reminders(
        db.session,
        now=clock.now(),
        tz=ZoneInfo(current_app.config["TIMEZONE"]),
        hour=int(current_app.config.get("REMINDER_HOUR", 10)),
    )
    services.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@huey.periodic_task(crontab(minute="*"))
def outbox_tick():
    """Every minute: retry what is due (a mail outage only delays messages)."""
    send_outbox()


@huey.periodic_task(crontab(minute="*/15"))
def reminder_tick():
    """Every quarter of an hour: reminders for tomorrow's fittings."""
    send_reminders()
