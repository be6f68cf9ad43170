"""Changes: provider switch, moves, end of care, opt-out, and the physical key cabinet.

Floor 6: it reads the register and the directory and tells the locksmith's jobs what they
need through the locksmith's registry and signals.
"""

from flask import Blueprint
from flask_babel import lazy_gettext as _l

bp = Blueprint("changes", __name__)


def init_app(app):
    """The key cabinet's views, its key source for removal jobs and navigation links."""
    from portal.changes import keycabinet, keycabinet_views  # noqa: F401
    from portal.locksmith.registry import key_source
    from portal.locksmith.signals import removal_done
    from portal.web.panels import nav_item

    key_source(keycabinet.held_keys)
    removal_done.connect(keycabinet.on_removal_done)
    nav_item("provider_admin", "changes.cabinet_list", _l("Key cabinet"), order=40)
    nav_item("coordinator", "changes.cabinet_list", _l("Key cabinets"), order=75)
