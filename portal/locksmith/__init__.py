"""Locksmith jobs: "My day", completing or failing a job, and the coordinator's job list.

A job comes from `services.create_job`: a booking (booking calls it), a battery alert (the
`access.signals.battery_low` signal, connected here), a coordinator, an owner's consent to an
entrance unit (`consent.signals`, connected here: `entrance_jobs`), and a citizen moving or
leaving (`citizens.signals`, connected here: `change_jobs` makes a relocation or removal job).
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("locksmith", __name__)


def init_app(app):
    """Load the views and panels, listen for low batteries, add the navigation links."""
    from portal.access.signals import battery_low
    from portal.citizens.signals import citizen_leaving, citizen_relocating
    from portal.consent.signals import entrance_granted, entrance_withdrawn
    from portal.locksmith import (  # noqa: F401
        panels,
        panels_change,
        views,
        views_change,
        views_coordinator,
        views_follow_up,
    )
    from portal.locksmith.change_jobs import on_citizen_leaving, on_citizen_relocating
    from portal.locksmith.entrance_jobs import on_entrance_granted, on_entrance_withdrawn
    from portal.locksmith.services import on_battery_low
    from portal.web.panels import nav_item

    battery_low.connect(on_battery_low)
    entrance_granted.connect(on_entrance_granted)
    entrance_withdrawn.connect(on_entrance_withdrawn)
    citizen_relocating.connect(on_citizen_relocating)
    citizen_leaving.connect(on_citizen_leaving)
    nav_item("locksmith", "locksmith.my_day", _l("My day"), order=10)
    nav_item("coordinator", "locksmith.follow_up", _l("Follow-up"), order=40)
    nav_item("coordinator", "locksmith.jobs", _l("Locksmith jobs"), order=80)
