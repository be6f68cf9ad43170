"""Locksmith jobs: "My day", completing or failing a job, and the coordinator's job list.

A job comes from `services.create_job`: a booking (booking calls it), a battery alert (the
`access.signals.battery_low` signal, connected here), a coordinator, an owner's consent to an
entrance unit (`consent.signals`, connected here: `entrance_jobs`), later a reinstatement.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("locksmith", __name__)


def init_app(app):
    """Load the views and panels, listen for low batteries, add the navigation links."""
    from portal.access.signals import battery_low
    from portal.consent.signals import entrance_granted, entrance_withdrawn
    from portal.locksmith import panels, views, views_coordinator, views_follow_up  # noqa: F401
    from portal.locksmith.entrance_jobs import on_entrance_granted, on_entrance_withdrawn
    from portal.locksmith.services import on_battery_low
    from portal.web.panels import nav_item

    battery_low.connect(on_battery_low)
    entrance_granted.connect(on_entrance_granted)
    entrance_withdrawn.connect(on_entrance_withdrawn)
    nav_item("locksmith", "locksmith.my_day", _l("My day"), order=10)
    nav_item("coordinator", "locksmith.follow_up", _l("Follow-up"), order=40)
    nav_item("coordinator", "locksmith.jobs", _l("Locksmith jobs"), order=80)
