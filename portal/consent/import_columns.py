"""The property import's columns as a coordinator reads them: each column's name, what to write
in it, and the words the coded columns accept.

One source for the upload page's column help, the preview's errors and the receipt, so the help
lists exactly what the import accepts. A coded column (kind, door phone, power) takes its code,
the portal's own name for each value in any language it ships ("Gadedør", "Entrédörr"), and the
short words a Danish or Swedish coordinator types ("opgang", "lyd", "ljud", "batteri").
"""

import re
from functools import lru_cache

from flask import current_app, has_app_context
from flask_babel import force_locale
from flask_babel import lazy_gettext as _l

from portal.citizens.columns import shown
from portal.consent.labels import DOOR_PHONES, ENTRANCE_KINDS, POWER_SOURCES
from portal.i18n import language_name

LABELS = {
    "property_number": _l("Land register number"),
    "name": _l("Property name"),
    "address": _l("Address"),
    "postcode": _l("Postcode"),
    "city": _l("City"),
    "district": _l("District"),
    "owner": _l("Owner"),
    "owner_org_number": _l("Organisation number (CVR)"),
    "owner_email": _l("Owner's email"),
    "owner_contact": _l("Contact person"),
    "owner_phone": _l("Owner's phone"),
    "owner_language": _l("Owner's language"),
    "entrance": _l("Name of the entrance"),
    "kind": _l("Kind of entrance"),
    "door_phone": _l("Door phone"),
    "electric_strike": _l("Electric strike"),
    "power_source": _l("Power for the unit"),
}

# What to write, per column, for the upload page's help; for a coded column also the errors'
# list of allowed values (`ALLOWED`).
ALLOWED = {
    "kind": _l(
        "street door (or stairway), gate or courtyard door; also street_door, gate, "
        "courtyard_door. Empty: street door"
    ),
    "door_phone": _l(
        "no, audio, video or don't know; also none, audio, video, unknown. Empty: don't know"
    ),
    "power_source": _l(
        "strike (from the electric strike, 12/24 V) or battery; also mains_12_24v, battery. "
        "Empty: not decided yet"
    ),
    "electric_strike": _l("yes or no. Empty: no"),
}
HELP = {
    "property_number": _l("Identifies the property; rows with the same number are one property"),
    "name": _l("Empty: the address"),
    "district": _l("A district's name as the portal writes it"),
    "owner": _l("The owner organisation's name"),
    "owner_org_number": _l("Digits only, like 12345678"),
    "entrance": _l("Like Opgang A; one row per entrance"),
} | ALLOWED

# Short words besides the codes and the portal's own names of the values, Danish and Swedish.
_WORDS = {
    "kind": {
        "street_door": "street door|stairway|opgang|opgangsdør|trappe|trappeopgang|hoveddør|gadedør|"
        "gatudörr|entrédörr|entredörr|trapphus|trappuppgång|portdörr",
        "gate": "port|låge|grind|gate|indkørsel",
        "courtyard_door": "courtyard door|gårddør|gårdsdør|bagdør|gårdsdörr|gårdsdör",
    },
    "door_phone": {
        "none": "none|no|nej|ingen|nej tak",
        "audio": "audio|lyd|ljud|tale|samtaleanlæg",
        "video": "video|videotelefon|video dørtelefon|videoporttelefon",
        "unknown": "unknown|don't know|ved ikke|vides ikke|ukendt|vet ej|vet inte|okänt|okänd|?",
    },
    "power_source": {
        "mains_12_24v": "strike|electric strike|mains|el|strøm|ström|12v|24v|12 v|24 v|"
        "12/24v|12/24 v|12 24v|el slutblik|elslutblik|slutblik|elslutbleck|slutbleck",
        "battery": "battery|batteri|batterier",
    },
}
_LABEL_TABLES = {"kind": ENTRANCE_KINDS, "door_phone": DOOR_PHONES, "power_source": POWER_SOURCES}


def word_key(text: str) -> str:
    """A value as compared: lower case, one space for any run of spaces, dashes or underscores."""
    return re.sub(r"[\s\-_]+", " ", text.strip().lower()).strip()


def words(column: str) -> dict[str, str]:
    """Every word the coded column accepts, as `word_key`s, each naming its code."""
    languages = tuple(current_app.config["LANGUAGES"]) if has_app_context() else ()
    return _words(column, languages)


@lru_cache(maxsize=16)
def _words(column: str, languages: tuple) -> dict[str, str]:
    found = {word_key(code): code for code in _LABEL_TABLES[column]}
    for code, written in _WORDS[column].items():
        found |= {word_key(word): code for word in written.split("|")}
    for language in languages:
        with force_locale(language):
            for code, label in _LABEL_TABLES[column].items():
                found.setdefault(word_key(str(label)), code)
    return found


def label(key: str) -> str:
    """A column's name in the current language (the key itself for a column not imported)."""
    return str(LABELS[key]) if key in LABELS else key


def column_name(key: str, written: str | None = None) -> str:
    """A column as an error names it: "Door phone (door_phone)" (`columns.shown`)."""
    return shown(label(key), written or key)


def aliases() -> dict[str, tuple]:
    """The column names a header may use besides the keys (`csvfile.read_csv`'s labels)."""
    return {key: (text,) for key, text in LABELS.items()}


def _language_help(language: str):
    # An empty language is the municipality's own (BABEL_DEFAULT_LOCALE), named in the reader's.
    return _l(
        "da, sv or en (Danish, Swedish or English). Empty: %(language)s, the municipality's "
        "language",
        language=language_name(language),
    )


def column_help(columns, required, *, language: str) -> list[dict]:
    """The upload page's help: each column's header, name, whether required, what to write
    (`language`: the municipality's, which an empty owner_language is)."""
    helps = HELP | {"owner_language": _language_help(language)}
    return [
        {"key": k, "label": LABELS[k], "required": k in required, "help": helps.get(k)}
        for k in columns
    ]
