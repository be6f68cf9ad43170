"""The citizen import's columns: their keys, and the labels the portal shows for them.

The labels are the one source for both sides of the import: the preview and its messages show
them, and a file's header may use any of them, as any shipped language writes it ("Eksternt id",
"Externt id", "External id"), so a header the portal itself shows is never refused.
"""

import re
import unicodedata

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l

COLUMNS = (
    "external_id",
    "national_id",
    "name",
    "date_of_birth",
    "address",
    "postcode",
    "city",
    "phone",
    "email",
    "language",
    "district",
    "provider",
    "care_group",
    "emergency_alarm",
)
REQUIRED = ("external_id", "national_id", "name", "date_of_birth", "address", "postcode", "city")

# Each column's labels as pages show them (the citizen's page, the import preview); the first is
# the one shown, except the national id's, which the municipality's country names.
LABELS = {
    "external_id": (_l("External id"),),
    "national_id": (_l("National id"), _l("CPR number"), _l("Personnummer")),
    "name": (_l("Name"),),
    "date_of_birth": (_l("Date of birth"),),
    "address": (_l("Address"),),
    "postcode": (_l("Postcode"),),
    "city": (_l("Town"),),
    "phone": (_l("Phone"),),
    "email": (_l("Email"),),
    "language": (_l("Language"),),
    "district": (_l("District"),),
    "provider": (_l("Provider"),),
    "care_group": (_l("Care group"),),
    "emergency_alarm": (_l("Emergency alarm"),),
}


def header_key(text: str) -> str:
    """A header cell as compared: lower case, NFC, and "_" for any run of spaces, dashes,
    underscores, dots or slashes ("Eksternt-id", "eksternt_id" and " EKSTERNT  ID" are one);
    byte-order marks and quotation marks around it go."""
    key = unicodedata.normalize("NFC", text.replace("\ufeff", "").strip().strip('"').lower())
    return re.sub(r"[\s\-./_]+", "_", key).strip("_")


def label(key: str, country: str | None = None) -> str:
    """A column's label in the current language ("CPR-nummer" in a Danish municipality, or
    for `country`)."""
    if key == "national_id":
        return _("CPR number") if (country or _country()) == "DK" else _("Personnummer")
    return str(LABELS[key][0]) if key in LABELS else key


def shown(label, written: str | None) -> str:
    """A column as an error names it: its label in the reader's language, with the header the
    file wrote in brackets when that reads otherwise ("Phone (telefon)"), so the coordinator
    finds it in their spreadsheet."""
    text = str(label)
    if written and header_key(written) != header_key(text):
        return f"{text} ({written})"
    return text


def _country() -> str:
    return current_app.config.get("COUNTRY", "DK") if has_app_context() else "DK"


def label_aliases(labels=None) -> dict[str, str]:
    """Every label of every column in every shipped language, as header keys (also without
    separators: "eksterntid"), each naming its column. Outside an app, the English labels."""
    labels = LABELS if labels is None else labels
    languages = current_app.config["LANGUAGES"] if has_app_context() else ("en",)
    found: dict[str, str] = {}
    for language in languages:
        with force_locale(language):
            for column, texts in labels.items():
                for text in texts:
                    key = header_key(str(text))
                    found.setdefault(key, column)
                    found.setdefault(key.replace("_", ""), column)
    return found
