"""WTForms' own messages ("This field is required.") in the page's language, from our catalog.

WTForms ships no Danish catalog, so Flask-WTF's default would show English on Danish pages.
Flask-WTF looks for `request.wtforms_translations` before loading WTForms' catalog: we put an
object there that asks Flask-Babel's merged catalogs, where the messages below are translated.
"""

from flask import request
from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext

from portal.i18n import page_translations


class _CatalogTranslations:
    """The gettext interface Flask-WTF calls (`ugettext`, `ungettext`), answered by our catalog."""

    def ugettext(self, message: str) -> str:
        """The message in the page's language (WTForms fills in the placeholders itself)."""
        return page_translations().ugettext(message)

    def ungettext(self, singular: str, plural: str, n: int) -> str:
        """The singular or plural message in the page's language."""
        return page_translations().ungettext(singular, plural, n)


TRANSLATIONS = _CatalogTranslations()


def use_catalog() -> None:
    """before_request: every form of this request takes WTForms' messages from our catalog."""
    request.wtforms_translations = TRANSLATIONS


def _wtforms_messages():  # pragma: no cover - never called: the catalog extractor reads these
    """Every message WTForms 3 can show (its wtforms.pot), so each gets a Danish and Swedish text."""
    return (
        _l("Invalid field name '%s'."),
        _l("Field must be equal to %(other_name)s."),
        lazy_ngettext(
            "Field must be at least %(min)d character long.",
            "Field must be at least %(min)d characters long.",
            1,
        ),
        lazy_ngettext(
            "Field cannot be longer than %(max)d character.",
            "Field cannot be longer than %(max)d characters.",
            1,
        ),
        lazy_ngettext(
            "Field must be exactly %(max)d character long.",
            "Field must be exactly %(max)d characters long.",
            1,
        ),
        _l("Field must be between %(min)d and %(max)d characters long."),
        _l("Number must be at least %(min)s."),
        _l("Number must be at most %(max)s."),
        _l("Number must be between %(min)s and %(max)s."),
        _l("Date must be at least %(min)s."),
        _l("Date must be at most %(max)s."),
        _l("Date must be between %(min)s and %(max)s."),
        _l("This field is required."),
        _l("Invalid input."),
        _l("Invalid email address."),
        _l("Invalid IP address."),
        _l("Invalid Mac address."),
        _l("Invalid URL."),
        _l("Invalid UUID."),
        _l("Invalid value, must be one of: %(values)s."),
        _l("Invalid value, can't be any of: %(values)s."),
        _l("This field cannot be edited."),
        _l("This field is disabled and cannot have a value."),
        _l("Invalid CSRF Token."),
        _l("CSRF token missing."),
        _l("CSRF failed."),
        _l("CSRF token expired."),
        _l("Invalid Choice: could not coerce."),
        _l("Choices cannot be None."),
        _l("Not a valid choice."),
        _l("Invalid choice(s): one or more data inputs could not be coerced."),
        lazy_ngettext(
            "'%(value)s' is not a valid choice for this field.",
            "'%(value)s' are not valid choices for this field.",
            1,
        ),
        _l("Not a valid datetime value."),
        _l("Not a valid date value."),
        _l("Not a valid time value."),
        _l("Not a valid week value."),
        _l("Not a valid integer value."),
        _l("Not a valid decimal value."),
        _l("Not a valid float value."),
    )
