"""Text that must stay on one line: names and addresses of citizens, providers, districts;
and a person's name, which must also hold a letter.

Kept here, below every feature, so the register (citizens) and the reference data (directory)
share one check and one message.
"""

import unicodedata

from flask_babel import lazy_gettext as _l
from wtforms import validators

BIDI_CONTROLS = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
CONTROL_MESSAGE = _l("Write it on one line, without line breaks, tabs or hidden control characters")
NAME_MESSAGE = _l("Write the name in letters, not only punctuation, symbols or spaces")


def has_control(text: str) -> bool:
    """A control character (line break, tab, NUL …), a line or paragraph separator, or a
    bidirectional override."""
    # A line break in a name splits the letter's address block and the manifest's row;
    # bidirectional overrides make a name read otherwise than it is stored.
    return any(
        unicodedata.category(ch) in ("Cc", "Zl", "Zp") or ch in BIDI_CONTROLS for ch in text or ""
    )


def has_letter(text: str) -> bool:
    """At least one letter of any script (Unicode category L*): "Åse", "李", "O'Neil"."""
    return any(unicodedata.category(ch).startswith("L") for ch in text or "")


class SingleLine:
    """A WTForms check for names and addresses: no control characters (see has_control)."""

    def __init__(self, message=CONTROL_MESSAGE):
        self.message = message

    def __call__(self, form, field):
        # One message per field: a text already too long is not checked again.
        if field.errors:
            return
        if isinstance(field.data, str) and has_control(field.data):
            raise validators.ValidationError(self.message)


class PersonName(SingleLine):
    """A WTForms check for a person's name: one line (SingleLine) with at least one letter, so
    "...", "-- ''", emoji or invisible characters alone never stand for who someone is."""

    def __init__(self, message=CONTROL_MESSAGE, name_message=NAME_MESSAGE):
        super().__init__(message)
        self.name_message = name_message

    def __call__(self, form, field):
        super().__call__(form, field)
        if field.errors:
            return
        if isinstance(field.data, str) and not has_letter(field.data):
            raise validators.ValidationError(self.name_message)
