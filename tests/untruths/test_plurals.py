"""A number is never followed by a plural noun that ignores it: "1 rækker", "Importér 1 borgere"."""

import io
import re
from pathlib import Path

from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.factories import make_user
from tests.helpers import sign_in_staff

PORTAL = Path(__file__).resolve().parents[2] / "portal"
# English plural nouns the portal puts after a number; a "%(x)s <noun>" in a plain gettext
# call (not ngettext) reads "1 pages" in English and "1 sider" in Danish.
NOUNS = (
    "rows|letters|pages|citizens|minutes|hours|times|characters|jobs|days|visits|slots|"
    "errors|bookings|phones|units|members|weeks|seconds"
)
PLAIN_CALL = re.compile(r'(?<![n\w])(?:_|_l|gettext|lazy_gettext)\(\s*"([^"]*)"')
NUMBER_NOUN = re.compile(rf"%\(\w+\)[sd] (?:{NOUNS})\b")


def test_no_plain_gettext_puts_a_number_before_a_plural_noun():
    found = []
    for path in list(PORTAL.rglob("*.py")) + list(PORTAL.rglob("*.html")):
        if "translations" in path.parts or path.name == "wtforms_i18n.py":  # WTForms' own
            continue
        for message in PLAIN_CALL.findall(path.read_text(encoding="utf-8")):
            if NUMBER_NOUN.search(message):
                found.append(f"{path.relative_to(PORTAL)}: {message}")
    assert not found, "use ngettext for:\n" + "\n".join(found)


def test_one_bad_row_and_one_citizen_read_in_the_singular(db, client):
    make_reference_data(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    raw = csv_bytes([row(1), row(2, phone="12")], delimiter=";")
    response = client.post(
        "/coordinator/import",
        data={"file": (io.BytesIO(raw), "export.csv")},
        content_type="multipart/form-data",
    )
    html = client.get(response.location).get_data(as_text=True)
    assert "række har fejl og springes over" in html and "rækker har fejl" not in html
    assert "Importér 1 borger<" in html or "Importér 1 borger\n" in html


def test_the_character_limit_hint_reads_in_the_singular_and_plural(app):
    from flask import render_template_string

    template = (
        '{% import "_macros/forms.html" as forms %}'
        "{{ ngettext('You can enter up to %(num)s character',"
        " 'You can enter up to %(num)s characters', n) }}"
    )
    with app.test_request_context(headers={"Accept-Language": "sv"}):
        assert render_template_string(template, n=1) == "Du kan skriva upp till 1 tecken"
    with app.test_request_context(headers={"Accept-Language": "en"}):
        assert render_template_string(template, n=1).endswith("1 character")
        assert render_template_string(template, n=5).endswith("5 characters")
