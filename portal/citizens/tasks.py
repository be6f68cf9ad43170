"""Scheduled job of the citizen import: delete uploaded files a day old that were never used."""

from huey import crontab

from portal import clock
from portal.citizens.uploads import expire_uploads
from portal.extensions import db
from portal.jobs import app_task, huey


@app_task(retries=3, retry_delay=300)
def delete_stale_uploads() -> list[int]:
    """Delete the sealed files of uploads a day old or older, in one transaction."""
    gone = expire_uploads(db.session, now=clock.now())
    db.session.commit()
    return gone


@huey.periodic_task(crontab(minute="41", hour="*"))
def stale_upload_tick():
    """Every hour, so no file outlives its day by more than an hour."""
    delete_stale_uploads()
