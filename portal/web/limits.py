"""Rate limits shared by features: one budget for making PDFs in a request.

Laying out a PDF costs a fraction of a second of CPU, so one signed-in principal may not hog
it: letters, previews, consent letters, key hand-back receipts and a citizen's access export (JSON or
PDF) all count against one
budget, `LETTER_RENDER_LIMIT` (the name is from when only letters had it). Past it the request
gets the 429 page (`portal.web.errors`).
"""

from flask import current_app
from flask_login import current_user

from portal.extensions import limiter

RENDER_LIMIT_DEFAULT = "60 per 10 minutes"


def _render_key() -> str:
    return current_user.get_id() if current_user.is_authenticated else "anonymous"


render_limit = limiter.shared_limit(
    lambda: current_app.config.get("LETTER_RENDER_LIMIT", RENDER_LIMIT_DEFAULT),
    scope="letter_render",
    key_func=_render_key,
)
