"""Phone numbers: checked for the municipality's country (config COUNTRY), stored in E.164,
shown as people write them there, and dialled from a tel: link.

One module below every feature, so the register, sign-in, the directory and the partner pages
check and show numbers alike.
"""

import phonenumbers
from flask import current_app, has_app_context
from flask_babel import LazyString, gettext
from markupsafe import Markup
from wtforms.validators import ValidationError


def example_phone(region: str) -> str:
    """A mobile number of the municipality's country as people write it there (the phone
    number library's own example, so it is valid and nobody's)."""
    number = phonenumbers.example_number_for_type(region, phonenumbers.PhoneNumberType.MOBILE)
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.NATIONAL)


def phone_message() -> str:
    """What to type, with an example from the municipality's country in any page language:
    a Danish number on a Swedish page of a Danish municipality, since that is what is checked
    (a number from elsewhere needs + and its country code)."""
    region = current_app.config["COUNTRY"] if has_app_context() else "DK"
    return gettext(
        "Enter a phone number, for example %(example)s, or a number from another country"
        " starting with + and its country code",
        example=example_phone(region),
    )


PHONE_MESSAGE = LazyString(phone_message)


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
