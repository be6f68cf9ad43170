"""The owner's side of consent: loading this module registers all of its routes."""

from portal.consent import (  # noqa: F401
    views_owner_blanket,
    views_owner_entrance,
    views_owner_signin,
)
