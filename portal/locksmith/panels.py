"""The locksmith jobs shown on other features' pages (a lock's page)."""

from flask import render_template
from markupsafe import Markup

from portal.extensions import db
from portal.locksmith import queries
from portal.locksmith.views import job_labels
from portal.web.panels import panel


@panel("lock_detail", order=10)
def lock_jobs(unit) -> Markup | None:
    """Jobs still to be done at this lock (a battery change waiting, a repair)."""
    jobs = queries.open_jobs_for_lock(db.session, unit.id)
    if not jobs:
        return None
    html = render_template("locksmith/_lock_jobs.html", jobs=jobs, **job_labels())
    return Markup(html)  # noqa: S704 (our own autoescaped template)
