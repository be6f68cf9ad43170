"""Phone numbers: checked for the municipality's country (config COUNTRY), stored in E.164,
shown as people write them there, and dialled from a tel: link.

One module below every feature, so the register, sign-in, the directory and the partner pages
check and show numbers alike.
"""

import phonenumbers
from flask import current_app
from flask_babel import lazy_gettext as _l
from markupsafe import Markup
from wtforms.validators import ValidationError

PHONE_MESSAGE = _l("Enter a phone number, for example 20 12 34 56")


def normalise_phone(text: str, region: str) -> str | None:
    """E.164 form of a valid phone number, or None."""
    try:
        number = phonenumbers.parse((text or "").strip(), region)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def display_phone(e164: str | None, region: str) -> str:
    """A phone number as people write it in the municipality's country."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(e164, region)
    except phonenumbers.NumberParseException:
        return e164
    fmt = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if phonenumbers.region_code_for_number(number) == region
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, fmt)


def tidy_phone(text: str | None, region: str) -> str | None:
    """A typed number as it is shown (display_phone of its E.164 form); None when not valid."""
    e164 = normalise_phone(text or "", region)
    return display_phone(e164, region) if e164 else None


def tel_link(number: str | None, region: str) -> Markup:
    """A tap-to-call link kept on one line; text without a link when it is no valid number
    (an old stored value), never an empty or made-up tel: address."""
    e164 = normalise_phone(number or "", region)
    if e164 is None:
        return (
            Markup('<span class="text-nowrap">{}</span>').format(number or "")
            if number
            else Markup("")
        )
    return Markup('<a href="tel:{}" class="text-nowrap">{}</a>').format(e164, number)


class PhoneNumber:
    """A phone number that is valid in the municipality's country (config COUNTRY)."""

    def __init__(self, message=PHONE_MESSAGE):
        self.message = message

    def __call__(self, form, field):
        # One message per field: a number already too long for Length is not checked again.
        if field.errors:
            return
        if normalise_phone(field.data or "", current_app.config["COUNTRY"]) is None:
            raise ValidationError(self.message)
