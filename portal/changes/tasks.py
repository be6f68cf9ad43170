"""The scheduled job: put approved changes in force at 00:00 local time on their date.

It runs every five minutes, so a consumer that was down at midnight catches up on its next
run; each change is claimed with a conditional update, so a late or doubled run applies it
exactly once. Then the outbox is delivered (the providers' notices).
"""

from flask import current_app
from huey import crontab

from portal import clock
from portal.access import issuer_keys
from portal.audit.services import SYSTEM
from portal.changes.effects import apply_due
from portal.extensions import db
from portal.jobs import app_task, huey
from portal.notify import runner


def keystore():
    """The issuer key store of the running app (signs the revocation bulletin)."""
    return issuer_keys.KeyStore.from_config(current_app.config, current_app.instance_path)


def run_due() -> list[str]:
    """Apply what is due now and commit; returns the references applied."""
    done = apply_due(
        db.session,
        now=clock.now(),
        actor=SYSTEM,
        tz=current_app.config["TIMEZONE"],
        store=keystore(),
    )
    db.session.commit()
    return done


@app_task(retries=3, retry_delay=60)
def apply_changes():
    """Apply due changes, then deliver the outbox."""
    run_due()
    runner.deliver_pending(db.session, now=clock.now(), config=current_app.config)


@huey.periodic_task(crontab(minute="*/5"))
def changes_tick():
    """Every five minutes: changes whose 00:00 has come (late ones too)."""
    apply_changes()
