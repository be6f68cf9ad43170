"""Keep secrets out of logs: letter codes and the like in query strings become [redacted],
and so does the one-time token in a staff invitation's link, which is part of its path.

Used by the access log (gunicorn.conf.py's logger) and by the development server's request
log (a filter on the "werkzeug" logger). This module imports nothing of Flask, so the
gunicorn master can load it without building the app.
"""

import logging
import re

SECRET_PARAMETERS = ("code", "token", "password", "pin")
_NAMES = "|".join(SECRET_PARAMETERS)
_PATTERN = re.compile(rf"(?P<key>(?:^|[?&;])(?:{_NAMES})=)[^&;\s\"]*", re.IGNORECASE)
REDACTED = "[redacted]"
# Paths whose next segment is a secret (portal.accounts.views_staff.open_invitation).
SECRET_PATHS = ("/sign-in/invitation/",)
_PATH_PATTERN = re.compile(
    "(?P<key>" + "|".join(re.escape(p) for p in SECRET_PATHS) + r")[^/?#&;\s\"]+"
)


def redact(text):
    """The text with every secret query parameter's value, and secret path segment, replaced."""
    if not isinstance(text, str):
        return text
    if "=" in text:
        text = _PATTERN.sub(lambda m: m.group("key") + REDACTED, text)
    if any(path in text for path in SECRET_PATHS):
        text = _PATH_PATTERN.sub(lambda m: m.group("key") + REDACTED, text)
    return text


class RedactFilter(logging.Filter):
    """A logging filter that redacts the message and its arguments."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = redact(record.msg)
        if isinstance(record.args, tuple):
            record.args = tuple(redact(a) for a in record.args)
        elif isinstance(record.args, dict):
            record.args = {k: redact(v) for k, v in record.args.items()}
        return True


def install(logger_name: str = "werkzeug") -> None:
    """Redact one logger's records (once)."""
    logger = logging.getLogger(logger_name)
    if not any(isinstance(f, RedactFilter) for f in logger.filters):
        logger.addFilter(RedactFilter())
