"""Scheduled jobs of the register: delete uploaded files a day old that were never used, drop
the skipped rows of import results past IMPORT_DETAILS_DAYS, and merge the search index
(SQLite) each night."""

from flask import current_app
from huey import crontab

from portal import clock
from portal.citizens import search
from portal.citizens.uploads import expire_uploads, forget_details
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


@app_task(retries=3, retry_delay=600)
def forget_import_details() -> list[int]:
    """Drop the skipped rows of import results past their days, in one transaction."""
    days = int(current_app.config["IMPORT_DETAILS_DAYS"])
    gone = forget_details(db.session, now=clock.now(), days=days)
    db.session.commit()
    return gone


@huey.periodic_task(crontab(minute="29", hour="2"))
def import_details_tick():
    """Every night at 02:29 (the server's time), beside the retention job."""
    forget_import_details()


@app_task(retries=2, retry_delay=600)
def optimize_search_index() -> bool:
    """Merge the register's full-text index into one segment (SQLite; nothing on PostgreSQL)."""
    done = search.optimize(db.session.connection())
    db.session.commit()
    return done


@huey.periodic_task(crontab(minute="47", hour="3"))
def search_index_tick():
    """Each night, when nobody imports: the day's new and changed citizens join the index."""
    optimize_search_index()
