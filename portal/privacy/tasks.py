"""The daily retention job: delete or pseudonymise what is due, in one transaction."""

from flask import current_app
from huey import crontab

from portal import clock
from portal.audit.services import SYSTEM
from portal.directory.queries import local_date
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.privacy.erase import sweep


@app_task(retries=3, retry_delay=600)
def apply_retention() -> list[dict]:
    """Remove everything due today; returns what went (ids and counts)."""
    now = clock.now()
    done = sweep(db.session, local_date(now, current_app.config["TIMEZONE"]), now=now, actor=SYSTEM)
    db.session.commit()
    return done


@huey.periodic_task(crontab(minute="23", hour="2"))
def retention_tick():
    """Every night at 02:23 (the server's time): retention of the day."""
    apply_retention()
