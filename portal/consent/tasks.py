"""Background job of consent: remind owners who have not answered, expire old requests."""

from flask import current_app
from huey import crontab

from portal import clock
from portal.audit.services import SYSTEM
from portal.consent import requests
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.notify import runner


@app_task(retries=3, retry_delay=300)
def send_consent_reminders():
    """Queue the reminders due now in one transaction, then deliver them."""
    requests.remind_due(
        db.session,
        current_app.extensions["keyring"],
        config=current_app.config,
        now=clock.now(),
        actor=SYSTEM,
    )
    db.session.commit()
    runner.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@huey.periodic_task(crontab(minute="17", hour="*"))
def consent_reminder_tick():
    """Every hour: reminders that have come due (a request is reminded once per period)."""
    send_consent_reminders()
