"""Opaque page cursors: the last id seen, signed so a client cannot forge or mix them up."""

import base64
import binascii
import hashlib
import hmac


class BadCursor(ValueError):
    """A cursor this server did not hand out (or for another list)."""


def _tag(secret: bytes, text: str) -> str:
    return hmac.new(secret, text.encode(), hashlib.sha256).hexdigest()[:16]


def encode(secret: bytes, feed: str, last_id: int) -> str:
    """The cursor after `last_id` in `feed`."""
    text = f"{feed}:{last_id}"
    raw = f"{text}:{_tag(secret, text)}".encode()
    return base64.urlsafe_b64encode(raw).decode().rstrip("=")


def decode(secret: bytes, feed: str, cursor: str | None) -> int:
    """The last id a cursor stands for (0 for none), or BadCursor."""
    if not cursor:
        return 0
    if len(cursor) > 200 or not cursor.isascii():
        raise BadCursor()
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4)).decode()
    except (binascii.Error, ValueError):
        raise BadCursor() from None
    name, _, rest = raw.partition(":")
    number, _, tag = rest.partition(":")
    text = f"{name}:{number}"
    if name != feed or not number.isdigit() or not hmac.compare_digest(tag, _tag(secret, text)):
        raise BadCursor()
    return int(number)
