"""One row of a property CSV checked against the rules: values or named problems.

A row is one entrance; rows with the same property (land-register number, else address and
postcode) make one property. Every problem of a row is reported at once. The file format, the problems and yes/no words are the citizen
import's (`portal.citizens.csvfile`, `portal.citizens.import_rows`).
"""

from flask_babel import lazy_gettext as _l

from portal.citizens import csvfile, validation
from portal.citizens.import_rows import LANGS, NO, YES, RowError, shown, too_long
from portal.consent import import_columns
from portal.consent.import_columns import ALLOWED
from portal.consent.models import DoorPhone, EntranceKind, PowerSource

COLUMNS = (
    "property_number",
    "name",
    "address",
    "postcode",
    "city",
    "district",
    "owner",
    "owner_org_number",
    "owner_email",
    "owner_contact",
    "owner_phone",
    "owner_language",
    "entrance",
    "kind",
    "door_phone",
    "electric_strike",
    "power_source",
)
REQUIRED = ("address", "postcode", "city", "owner", "entrance")
LIMITS = {"entrance": 120, "property_number": 40, "postcode": 10, "city": 100}


def _choice(raw, column, allowed, default, bad):
    text = raw.get(column, "").strip()
    if not text:
        return default
    value = import_columns.words(column).get(import_columns.word_key(text))
    if value in allowed:
        return value
    if column == "door_phone" and text.lower() in YES:  # there is one, but which kind?
        message = _l("Say which kind of door phone. Write %(allowed)s", allowed=ALLOWED[column])
    else:
        message = _l(
            "Unknown value: %(value)s. Write %(allowed)s",
            value=shown(raw[column]),
            allowed=ALLOWED[column],
        )
    bad(column, message)
    return default


def check_row(number, raw, districts, errors, country: str, *, language: str) -> dict | None:
    """The row as register values, or None after adding its problems to `errors` (the owner's
    phone is checked for `country` and kept in E.164, as the owner form keeps it; an empty
    language is `language`, the municipality's own)."""

    def bad(column, message):
        errors.append(RowError(number, column, message))

    if "__shape__" in raw:
        got, want = raw["__shape__"].split("/")
        bad("-", _l("The row has %(got)s columns, the header has %(want)s", got=got, want=want))
        return None
    if "__too_long__" in raw:  # a value over the csv module's limit, not read (csvfile)
        column = raw["__too_long__"]
        bad(column, too_long(LIMITS.get(column, 200) if column in COLUMNS else csvfile.MAX_FIELD))
        return None
    before = len(errors)
    for column in COLUMNS:
        limit = LIMITS.get(column, 200)
        if len(raw.get(column, "")) > min(limit, csvfile.MAX_FIELD):
            bad(column, too_long(limit))
        elif validation.has_control(raw.get(column, "")):  # the consent letter's address lines
            bad(column, _l("Contains a line break or another control character"))
    for column in REQUIRED:
        if not raw.get(column):
            bad(column, _l("Missing: this column is required"))
    # Every problem of the row at once, so one fix and one upload suffice: a column already
    # reported (missing, too long) is not checked again.
    flagged = {e.column for e in errors[before:]}
    raw = {k: v for k, v in raw.items() if k not in flagged}
    out = {k: raw.get(k) or None for k in ("property_number", "owner_contact")}
    out |= {k: raw.get(k, "") for k in ("address", "postcode", "city", "owner", "entrance")}
    out["name"] = raw.get("name") or out["address"]
    out["district_id"] = None
    if raw.get("district"):
        district = districts.get(raw["district"].lower())
        if district is None:
            bad("district", _l("Unknown district: %(name)s", name=shown(raw["district"])))
        else:
            out["district_id"] = district.id
    # Not `number`: that is the row's, which `bad` reports every later error under.
    org_number = (raw.get("owner_org_number") or "").replace(" ", "").replace("-", "")
    if org_number and not (org_number.isdigit() and 6 <= len(org_number) <= 20):
        bad("owner_org_number", _l("Write digits only, like 12345678"))
    out["owner_org_number"] = org_number or None
    out["owner_email"] = None
    if raw.get("owner_email"):
        out["owner_email"] = validation.normalise_email(raw["owner_email"])
        if out["owner_email"] is None:
            bad("owner_email", _l("Not a valid email address"))
    out["owner_phone"] = None
    if raw.get("owner_phone"):
        out["owner_phone"] = validation.normalise_phone(raw["owner_phone"], country)
        if out["owner_phone"] is None:
            bad("owner_phone", _l("Not a valid phone number"))
    out["owner_language"] = LANGS.get((raw.get("owner_language") or language).lower())
    if out["owner_language"] is None:
        bad("owner_language", _l("Unknown language (use da, sv or en)"))
    out["kind"] = _choice(raw, "kind", set(EntranceKind), "street_door", bad)
    out["door_phone"] = _choice(raw, "door_phone", set(DoorPhone), "unknown", bad)
    out["power_source"] = _choice(raw, "power_source", set(PowerSource), None, bad)
    strike = raw.get("electric_strike", "").lower()
    if strike not in YES | NO:
        bad("electric_strike", _l("Write yes or no"))
    out["electric_strike"] = strike in YES
    return None if len(errors) > before else out
