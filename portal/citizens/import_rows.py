"""One CSV row checked against the rules and the reference data: values or named problems."""

from dataclasses import dataclass
from datetime import date, datetime

from flask_babel import lazy_gettext as _l
from flask_babel import lazy_ngettext
from sqlalchemy import select

from portal.citizens import csvfile, validation
from portal.directory.models import CareGroup, District, Provider

LANGS = {"da": "da", "dansk": "da", "sv": "sv", "svenska": "sv", "en": "en", "english": "en"}
LANGS |= {"danish": "da", "danska": "da", "swedish": "sv", "svensk": "sv"}
LANGS |= {"engelsk": "en", "engelska": "en"}
YES = {"yes", "ja", "j", "y", "1", "true", "x"}
NO = {"no", "nej", "n", "0", "false", ""}


@dataclass
class RowError:
    """One problem: file row number, column name and a translatable reason."""

    row: int
    column: str
    message: object


def shown(value: str) -> str:
    """A value from the file, cut short for a message."""
    # Lazy messages are escaped as a whole when rendered (portal/i18n.py), so no escaping here.
    return value[:60]


def parse_date(text: str) -> date | None:
    """A date in one of the formats care systems export, or None."""
    for fmt in ("%Y-%m-%d", "%d-%m-%Y", "%d.%m.%Y", "%d/%m/%Y", "%Y%m%d"):
        try:
            return datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    return None


class Lookups:
    """The districts, providers and care groups a file may name, by lower-case name."""

    def __init__(self, session):
        self.districts = {d.name.lower(): d for d in session.scalars(select(District))}
        self.providers = {p.name.lower(): p for p in session.scalars(select(Provider))}
        self.groups = {
            (g.provider_id, g.name.lower()): g for g in session.scalars(select(CareGroup))
        }


def too_long(limit: int):
    """A row error: the value in the column has more than `limit` characters."""
    return lazy_ngettext(
        "Too long (at most %(num)s character)", "Too long (at most %(num)s characters)", limit
    )


def check_row(number, raw, look, country, default_lang, errors) -> dict | None:
    """The row as register values, or None after adding its problems to `errors`."""

    def bad(column, message):
        errors.append(RowError(number, column, message))

    if "__shape__" in raw:
        bad(
            "-",
            _l(
                "The row has %(got)s columns, the header has %(want)s",
                got=raw["__shape__"].split("/")[0],
                want=raw["__shape__"].split("/")[1],
            ),
        )
        return None
    if "__too_long__" in raw:  # a value over the csv module's limit, not read (csvfile)
        bad(raw["__too_long__"], too_long(csvfile.MAX_FIELD))
        return None
    before = len(errors)
    for column in csvfile.COLUMNS:
        if len(raw.get(column, "")) > csvfile.MAX_FIELD:
            bad(column, too_long(csvfile.MAX_FIELD))
        elif validation.has_control(raw.get(column, "")):
            bad(column, _l("Contains a line break or another control character"))
    for column in csvfile.REQUIRED:
        if not raw.get(column):
            bad(column, _l("Missing: this column is required"))
    # Every problem of the row at once, so one fix and one upload suffice: a column already
    # reported (missing, too long) is not checked again.
    flagged = {e.column for e in errors[before:]}

    def given(column):
        return raw.get(column, "") if column not in flagged else ""

    out = {k: raw.get(k, "") for k in ("external_id", "name", "address", "postcode", "city")}
    if given("national_id"):
        try:
            out["national_id"] = validation.normalise_national_id(raw["national_id"], country)
        except ValueError:
            bad(
                "national_id",
                _l("Not a valid CPR number")
                if country == "DK"
                else _l("Not a valid personal identity number"),
            )
    out["date_of_birth"] = parse_date(given("date_of_birth"))
    if given("date_of_birth") and out["date_of_birth"] is None:
        bad("date_of_birth", _l("Not a date (use YYYY-MM-DD or DD-MM-YYYY)"))
    elif out["date_of_birth"] and "national_id" in out:
        encoded = validation.birth_date_of(out["national_id"], country)
        if encoded and encoded != out["date_of_birth"]:
            bad("date_of_birth", _l("Does not match the date in the national id"))
    out["phone"] = None
    if given("phone"):
        out["phone"] = validation.normalise_phone(raw["phone"], country)
        if out["phone"] is None:
            bad("phone", _l("Not a valid phone number"))
    out["email"] = None
    if given("email"):
        out["email"] = validation.normalise_email(raw["email"])
        if out["email"] is None:
            bad("email", _l("Not a valid email address"))
    out["language"] = LANGS.get(given("language").lower())
    if given("language") and out["language"] is None:
        bad("language", _l("Unknown language (use da, sv or en)"))
    out["language"] = out["language"] or default_lang
    district = look.districts.get(given("district").lower())
    if district is None and "district" not in flagged:
        bad("district", _l("Unknown district: %(name)s", name=shown(raw.get("district", ""))))
    elif district is not None and not district.active:
        bad("district", _l("Deactivated, no longer in use: %(name)s", name=shown(district.name)))
    provider = look.providers.get(given("provider").lower())
    if provider is None and "provider" not in flagged:
        bad("provider", _l("Unknown provider: %(name)s", name=shown(raw.get("provider", ""))))
    elif provider is not None and not provider.active:
        bad("provider", _l("Deactivated, no longer in use: %(name)s", name=shown(provider.name)))
    group = None
    if given("care_group") and provider is not None:
        group = look.groups.get((provider.id, raw["care_group"].lower()))
        if group is not None and not group.active:
            bad(
                "care_group",
                _l("Deactivated, no longer in use: %(name)s", name=shown(group.name)),
            )
        elif group is None:
            bad(
                "care_group",
                _l("Unknown care group for this provider: %(name)s", name=shown(raw["care_group"])),
            )
    alarm = given("emergency_alarm").lower()
    if "emergency_alarm" not in flagged and alarm not in YES | NO:
        bad("emergency_alarm", _l("Write yes or no"))
    out["emergency_alarm"] = alarm in YES
    if len(errors) > before:
        return None
    out["district_id"], out["provider_id"] = district.id, provider.id
    out["care_group_id"] = group.id if group else None
    return out
