"""Background jobs of booking: queue tomorrow's reminders, then deliver the outbox."""

from zoneinfo import ZoneInfo

from flask import current_app
from huey import crontab

from portal import clock
from portal.booking.emails import queue_reminders
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.notify import runner


@app_task(retries=3, retry_delay=60)
def send_reminders():
    """Queue tomorrow's reminders in one transaction, then deliver them."""
    queue_reminders(
        db.session,
        now=clock.now(),
        tz=ZoneInfo(current_app.config["TIMEZONE"]),
        hour=int(current_app.config.get("REMINDER_HOUR", 10)),
    )
    db.session.commit()
    runner.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@huey.periodic_task(crontab(minute="*/15"))
def reminder_tick():
    """Every quarter of an hour: reminders for tomorrow's fittings."""
    send_reminders()
