"""Shape checks shared by forms and the import: national ids, phones, emails, languages."""

from datetime import date

import phonenumbers
from email_validator import EmailNotValidError, validate_email
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError
from stdnum.se import personnummer


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


def normalise_email(text: str) -> str | None:
    """A syntactically valid email address (no DNS look-up), or None."""
    try:
        return validate_email((text or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def normalise_national_id(text: str, country: str) -> str:
    """The compact national id; raises ValueError when it is not valid for the country."""
    module = cpr if country == "DK" else personnummer
    try:
        return module.compact(module.validate(text))
    except ValidationError as exc:
        raise ValueError(str(exc) or "invalid") from exc


def birth_date_of(national_id: str, country: str) -> date | None:
    """The date of birth a national id encodes."""
    module = cpr if country == "DK" else personnummer
    try:
        return module.get_birth_date(national_id)
    except (ValidationError, ValueError):
        return None


def mask_national_id(national_id: str, country: str) -> str:
    """Only the date part is ever shown; the last four digits are masked."""
    compact = national_id.replace("-", "").replace("+", "")
    if country == "DK":
        return f"{compact[:6]}-****"
    return f"{compact[-10:-4]}-****"
