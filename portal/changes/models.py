"""Tables of the changes feature (the key cabinet's live in keycabinet_models)."""

from portal.changes.keycabinet_models import *  # noqa: F403
