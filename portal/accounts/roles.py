"""The staff roles' names as people read them, in the page's language."""

from flask_babel import lazy_gettext as _l

ROLE_LABELS = {
    "coordinator": _l("Coordinator"),
    "locksmith": _l("Locksmith"),
    "provider_admin": _l("Provider admin"),
    "partner_admin": _l("Partner admin"),
}
