"""Dates typed into a form: one message and one way to read them for every date field.

A date field is `<input type="date">`: the browser's picker shows the date in the user's own
format (31.01.2027 in a Danish browser) and sends it as 2027-01-31, or sends nothing while what
was typed is not a whole date. So the message names no format: an ISO example would contradict
the picker. A browser without a picker shows a text box; then the ways people write a date in
Denmark and Sweden are read too (31.01.2027, 31-01-2027, 31/01/2027).
"""

from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from wtforms import DateField

DATE_MESSAGE = _l("Enter or choose a valid date")
DATE_FORMATS = ("%Y-%m-%d", "%d.%m.%Y", "%d-%m-%Y", "%d/%m/%Y")


def to_date(value) -> date | None:
    """A day in one of DATE_FORMATS from text; else None."""
    text = str(value or "").strip()
    if not text or len(text) > 10 or not text.isascii():
        return None
    for fmt in DATE_FORMATS:
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class DayField(DateField):
    """A date as the browser's picker sends it (or typed in a text box), whose parse error is
    DATE_MESSAGE in the page's language."""

    def __init__(self, label=None, validators=None, **kwargs):
        kwargs.setdefault("format", list(DATE_FORMATS))
        super().__init__(label, validators, **kwargs)

    def process_formdata(self, valuelist):
        """Parse, or say that the date is not one."""
        try:
            super().process_formdata(valuelist)
        except ValueError:
            raise ValueError(str(DATE_MESSAGE)) from None
