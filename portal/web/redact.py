"""Keep secrets out of logs: letter codes and the like in query strings become [redacted].

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


def redact(text):
    """The text with every secret query parameter's value replaced."""
    if not isinstance(text, str) or "=" not in text:
        return text
    return _PATTERN.sub(lambda m: m.group("key") + REDACTED, text)


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
