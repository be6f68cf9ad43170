"""The readable export shows the appointment's kind, who opens the door, the lock's kind and
its state in words, through the labels the features use on their own pages; they were shown as
stored ("install", "home_care", "door", "fitted")."""

import pytest
from flask_babel import force_locale

from portal.access.models import LockUnit
from portal.booking.models import Appointment
from portal.privacy import export, readable
from tests.factories import NOW
from tests.privacy.support import make_everything

FIELDS = {
    "appointment": ("kind", "opener"),
    "lock_unit": ("kind", "state"),
}
CODES = {
    ("appointment", "kind"): ("install", "remove", "relocate", "battery", "entrance"),
    ("appointment", "opener"): ("self", "relative", "home_care"),
    ("lock_unit", "kind"): ("door", "entrance"),
    ("lock_unit", "state"): (
        "in_stock", "fitted", "removed", "defective", "in_repair", "scrapped",
    ),
}  # fmt: skip
EXPECTED = {
    "da": {
        ("appointment", "Type"): "Montering",
        ("appointment", "Hvem åbner døren"): "Hjemmeplejen",
        ("lock_unit", "Type"): "Hoveddør",
        ("lock_unit", "Tilstand"): "Monteret",
    },
    "sv": {
        ("appointment", "Typ"): "Montering",
        ("appointment", "Vem öppnar dörren"): "Hemtjänsten",
        ("lock_unit", "Typ"): "Ytterdörr",
        ("lock_unit", "Läge"): "Monterad",
    },
}


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_export_shows_these_codes_in_words(db, keyring, app, lang):
    citizen, ids = make_everything(db)
    appointment = db.get(Appointment, ids["appointment"])
    appointment.kind, appointment.opener = "install", "home_care"
    unit = db.get(LockUnit, ids["lock_unit"])
    unit.kind, unit.state = "door", "fitted"
    db.flush()
    with app.test_request_context(), force_locale(lang):
        data = export.build(db, keyring, citizen, now=NOW, lang=lang)
        known = readable.names(db)
        shown = {}
        for section in data["sections"]:
            if section["key"] in FIELDS:
                row = section["rows"][0]
                for label, text in readable.fields(section["key"], row, known):
                    shown[(section["key"], label)] = text
    for where, text in EXPECTED[lang].items():
        assert shown.get(where) == text, (where, shown.get(where))


@pytest.mark.parametrize("lang", ["da", "sv"])
@pytest.mark.parametrize("field", list(CODES))
def test_no_stored_code_is_shown_raw(app, lang, field):
    section, column = field
    with app.test_request_context(), force_locale(lang):
        for code in CODES[field]:
            text = readable.text(section, column, code, {})
            assert text and text != code and "_" not in text, (field, code, text)
