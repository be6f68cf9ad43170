"""The daily signed checkpoint of the audit chain's head."""

import logging

from flask import current_app
from huey import crontab

from portal import clock
from portal.audit.checkpoints import ChainBroken, make_checkpoint
from portal.extensions import db
from portal.jobs import app_task, huey

logger = logging.getLogger(__name__)


@app_task(retries=3, retry_delay=600)
def sign_checkpoint():
    """Sign the head now; a broken chain is logged loudly and never signed."""
    try:
        row = make_checkpoint(
            db.session, current_app.config, current_app.instance_path, now=clock.now()
        )
    except ChainBroken as exc:
        db.session.rollback()
        logger.error("audit checkpoint NOT signed: the chain is broken at %s", exc)
        return None
    db.session.commit()
    return row.filename


@huey.periodic_task(crontab(minute="23", hour="1"))
def checkpoint_tick():
    """Every night: one signed checkpoint (copy the file to write-once storage)."""
    sign_checkpoint()
