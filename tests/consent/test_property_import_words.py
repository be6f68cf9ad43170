"""The property import speaks the coordinator's language: each column by its name (with the
file's header), the values a coded column allows, the words a Danish or Swedish coordinator
types for them, every problem of a row at once, and a receipt that keeps the skipped rows."""

import io
import re

import pytest
from flask_babel import force_locale
from sqlalchemy import select

from portal.consent.import_rows import check_row
from portal.consent.models import Entrance
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)

HEAD = "address;postcode;city;owner;owner_email;entrance;kind;door_phone;power_source\n"


def _upload(client, raw: str):
    return client.post(
        "/coordinator/properties/import",
        data={"file": (io.BytesIO(raw.encode()), "ejendomme.csv")},
    )


def _errors(html: str) -> str:
    body = re.search(r"<tbody>(.*?)</tbody>", html, re.S).group(1)
    return re.sub(r"\s+", " ", body).replace("&#39;", "'")


def _row(**values):
    row = {"address": "Skolegade 1", "postcode": "4100", "city": "Demoby", "owner": "Bolig"}
    return row | {"entrance": "A"} | values


WORDS = [
    ("door_phone", "nej", "none"),
    ("door_phone", "Lyd", "audio"),
    ("door_phone", "ljud", "audio"),
    ("door_phone", "video", "video"),
    ("door_phone", "ved ikke", "unknown"),
    ("door_phone", "vet ej", "unknown"),
    ("door_phone", "Dørtelefon med lyd", "audio"),
    ("kind", "trappe", "street_door"),
    ("kind", "opgang", "street_door"),
    ("kind", "Gadedør", "street_door"),
    ("kind", "entrédörr", "street_door"),
    ("kind", "trapphus", "street_door"),
    ("kind", "låge", "gate"),
    ("kind", "grind", "gate"),
    ("kind", "gårddør", "courtyard_door"),
    ("kind", "gårdsdörr", "courtyard_door"),
    ("kind", "street door", "street_door"),
    ("power_source", "batteri", "battery"),
    ("power_source", "el-slutblik", "mains_12_24v"),
    ("power_source", "elslutbleck", "mains_12_24v"),
    ("power_source", "12/24 V", "mains_12_24v"),
]


def test_the_words_a_coordinator_types_are_accepted(app):
    """Danish and Swedish words, any case, besides the codes (one test: some were taken before)."""
    read = {}
    with app.test_request_context():
        for column, written, _code in WORDS:
            errors = []
            row = check_row(2, _row(**{column: written}), {}, errors, "DK", language="da")
            read[column, written] = None if errors else row[column]
    assert read == {(column, written): code for column, written, code in WORDS}


def test_every_problem_of_a_row_is_reported_at_once(app):
    errors = []
    raw = _row(postcode="", owner="", owner_email="nej", kind="trappe", door_phone="ja")
    with app.test_request_context():
        assert check_row(2, raw | {"power_source": "sol"}, {}, errors, "DK", language="da") is None
    assert [e.column for e in errors] == [
        "postcode",
        "owner",
        "owner_email",
        "door_phone",
        "power_source",
    ]


def test_the_preview_names_columns_and_allowed_values_in_danish(coordinator):  # noqa: F811
    coordinator.get("/language/da")
    raw = HEAD + "Skolegade 1;;Demoby;Bolig;nej;A;bro;ja;sol\n"
    errors = _errors(coordinator.get(_upload(coordinator, raw).location).text)
    assert "<strong>Postnummer (postcode)</strong>: Mangler" in errors
    assert "<strong>Ejerens e-mail (owner_email)</strong>: Ikke en gyldig e-mailadresse" in errors
    assert (
        "<strong>Type indgang (kind)</strong>: Ukendt værdi: bro. Skriv gadedør (eller opgang), "
        "port (eller låge) eller gårddør; også street_door, gate, courtyard_door." in errors
    )
    assert (
        "<strong>Dørtelefon (door_phone)</strong>: Skriv, hvilken slags dørtelefon det er: "
        "nej, lyd, video eller ved ikke" in errors
    )
    assert "<strong>Strøm til enheden (power_source)</strong>: Ukendt værdi: sol." in errors
    assert "eller batteri" in errors
    assert "door_phone:" not in errors and "<strong>kind</strong>" not in errors


def test_the_preview_names_columns_and_allowed_values_in_swedish(coordinator):  # noqa: F811
    coordinator.get("/language/sv")
    raw = HEAD + "Skolegade 1;4100;Demoby;;x;A;bro;ja;\n"
    errors = _errors(coordinator.get(_upload(coordinator, raw).location).text)
    assert "<strong>Ägare (owner)</strong>: Saknas" in errors
    assert "<strong>Typ av entré (kind)</strong>: Okänt värde: bro. Skriv entrédörr" in errors
    assert "Skriv vilken sorts porttelefon det är: nej, ljud, video eller vet ej" in errors
    assert "<strong>Ägarens e-post (owner_email)</strong>" in errors


@pytest.mark.parametrize(
    ("lang", "expected"),
    [
        (
            "da",
            [
                "door_phone</strong> (Dørtelefon): nej, lyd, video eller ved ikke",
                "gadedør (eller opgang)",
            ],
        ),
        (
            "sv",
            [
                "door_phone</strong> (Porttelefon): nej, ljud, video eller vet ej",
                "port (eller grind)",
            ],
        ),
        ("en", ["door_phone</strong> (Door phone): no, audio, video or don&#39;t know"]),
    ],
)
def test_the_upload_page_lists_each_columns_allowed_values(coordinator, lang, expected):  # noqa: F811
    coordinator.get(f"/language/{lang}")
    html = coordinator.get("/coordinator/properties/import").text
    for text in expected:
        assert text in html
    assert "power_source</strong> (" in html and "mains_12_24v, battery" in html
    assert "electric_strike</strong> (" in html


def test_every_word_the_help_lists_is_accepted(app):
    """The help's words in each language (before "; also") are ones the import takes."""
    from portal.consent.import_columns import ALLOWED, word_key, words

    with app.test_request_context():
        for lang in ("en", "da", "sv"):
            with force_locale(lang):
                for column in ("kind", "door_phone", "power_source"):
                    listed = str(ALLOWED[column]).split(";")[0]
                    listed = re.sub(r"\([^)]*\)", "", listed)
                    for word in re.split(r",| or | eller ", listed):
                        assert word_key(word) in words(column), (lang, column, word)


def test_the_receipt_keeps_the_skipped_rows_and_why(coordinator, db):  # noqa: F811
    coordinator.get("/language/da")
    raw = HEAD + "Skolegade 1;4100;Demoby;Bolig;;A;gadedør;lyd;\n"
    raw += "Skolegade 2;;Demoby;Bolig;;A;bro;;\n"
    preview = _upload(coordinator, raw).location
    done = coordinator.post(preview)
    receipt = coordinator.get(done.location).text
    assert "1 række sprunget over på grund af fejl" in receipt
    skipped = _errors(receipt)
    assert skipped.startswith("<tr><td>3</td>")
    assert "<strong>Postnummer (postcode)</strong>: Mangler" in skipped
    assert "<strong>Type indgang (kind)</strong>: Ukendt værdi: bro. Skriv gadedør" in skipped
    coordinator.get("/language/sv")  # read later in another language: its words, not the file's
    again = _errors(coordinator.get(done.location).text)
    assert "<strong>Typ av entré (kind)</strong>: Okänt värde: bro. Skriv entrédörr" in again
    assert db.scalars(select(Entrance.door_phone)).all() == ["audio"]


def test_what_changes_names_the_columns_too(coordinator):  # noqa: F811
    coordinator.get("/language/da")
    first = HEAD + "Skolegade 1;4100;Demoby;Bolig;;A;gadedør;lyd;\n"
    coordinator.post(_upload(coordinator, first).location)
    again = HEAD + "Skolegade 1;4100;Demoby;Bolig;;A;gadedør;video;batteri\n"
    html = coordinator.get(_upload(coordinator, again).location).text
    changes = _errors(html.split("<h2>Hvad der ændres</h2>")[1])
    assert "Dørtelefon (door_phone), Strøm til enheden (power_source)" in changes
