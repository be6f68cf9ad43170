"""Shape checks shared by forms, the import and the care-system API: national ids, phones,
emails, text that must stay on one line and a person's name (those checks live in
portal.web.text, below the directory, which shares them; they are named here too)."""

import re
from datetime import date

from email_validator import EmailNotValidError, validate_email
from stdnum import luhn
from stdnum.dk import cpr
from stdnum.exceptions import ValidationError

from portal import clock
from portal.phones import display_phone, normalise_phone  # noqa: F401 (shared here)
from portal.web.text import (  # noqa: F401 (shared here)
    CONTROL_MESSAGE,
    NAME_MESSAGE,
    PersonName,
    SingleLine,
    has_control,
    has_letter,
)


def normalise_email(text: str) -> str | None:
    """A syntactically valid email address (no DNS look-up), or None."""
    try:
        return validate_email((text or "").strip(), check_deliverability=False).normalized
    except EmailNotValidError:
        return None


def _swedish(text: str, today: date) -> str:
    """Twelve digits YYYYMMDDNNNC from any written form of a personnummer or
    samordningsnummer (day + 60): 10 or 12 digits, with or without "-" or "+" (100 years+)."""
    raw = "".join((text or "").split())
    match = re.fullmatch(r"(\d{2})?(\d{6})([-+]?)(\d{4})", raw)
    if match is None:
        raise ValueError("format")
    century, short, sign, tail = match.groups()
    yy, mm, dd = int(short[:2]), int(short[2:4]), int(short[4:6])
    if century is None:
        # Ten digits: the latest century that does not put the birth in the future;
        # "+" marks someone who has turned 100 (one century earlier).
        year = (today.year // 100) * 100 + yy
        if year > today.year:
            year -= 100
        if sign == "+":
            year -= 100
    else:
        year = int(century) * 100 + yy
    try:
        date(year, mm, dd - 60 if dd > 60 else dd)
    except ValueError as exc:
        raise ValueError("date") from exc
    if not luhn.is_valid(short + tail):
        raise ValueError("checksum")
    return f"{year:04d}{short[2:]}{tail}"


def normalise_national_id(text: str, country: str, today: date | None = None) -> str:
    """The one canonical form of a national id (DK: 10 digits; SE: 12 digits YYYYMMDDNNNC);
    raises ValueError when it is not valid for the country.

    Every accepted written form of the same number gives the same value, so the blind index
    finds the person whichever form a file or a form used.
    """
    if country != "DK":
        return _swedish(text, today or clock.now().date())
    try:
        return cpr.compact(cpr.validate(text))
    except ValidationError as exc:
        raise ValueError(str(exc) or "invalid") from exc


def birth_date_of(national_id: str, country: str) -> date | None:
    """The date of birth a canonical national id encodes (a samordningsnummer's day - 60)."""
    if country == "DK":
        try:
            return cpr.get_birth_date(national_id)
        except (ValidationError, ValueError):
            return None
    digits = national_id.replace("-", "").replace("+", "")
    if len(digits) != 12 or not digits.isdigit():
        try:
            digits = _swedish(national_id, clock.now().date())
        except ValueError:
            return None
    day = int(digits[6:8])
    try:
        return date(int(digits[:4]), int(digits[4:6]), day - 60 if day > 60 else day)
    except ValueError:
        return None


def mask_national_id(national_id: str, country: str) -> str:
    """Only the date part is ever shown; the last four digits are masked."""
    compact = national_id.replace("-", "").replace("+", "")
    if country == "DK":
        return f"{compact[:6]}-****"
    return f"{compact[-10:-4]}-****"
