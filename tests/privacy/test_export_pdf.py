"""The access export's PDF reads in the citizen's language: labels, names, local dates."""

import io
import json
import re

import pytest
from pypdf import PdfReader

from portal.audit.services import Actor, record
from portal.citizens.models import Citizen
from portal.directory.models import CareGroup, District, Provider
from portal.extensions import db as sa_db
from portal.letters.models import Letter
from portal.privacy import catalog, export, readable
from portal.privacy.pdf import export_pdf
from tests.factories import NOW
from tests.privacy.support import make_everything

# NOW is 09:00 UTC: 10:00 in Copenhagen, the test municipality's time zone.
EXPECTED = {
    "da": {
        "labels": ["Fødselsdato", "Sprog", "Hjemmeplejeleverandør", "Oprettet", "Brevet lavet"],
        "values": ["23. november 2026 10.00", "Booket", "dansk", "Informationsbrev", "Lavet"]
        + ["Borgerens oplysninger åbnet", "Sagsbehandling", "Af Kim Koordinator"],
        "made": "Udarbejdet 23. november 2026",
    },
    "sv": {
        "labels": ["Födelsedatum", "Språk", "Hemtjänstutförare", "Skapad", "Brevet skapat"],
        "values": ["23 november 2026 10:00", "Bokad", "danska", "Informationsbrev", "Skapat"]
        + ["Brukarens uppgifter öppnade", "Handläggning", "Av Kim Koordinator"],
        "made": "23 november 2026",
    },
}
RAW = [
    "user:7",
    "case_handling",
    "citizen.viewed",
    "External id",
    "District id",
    "Provider id",
    "Care group id",
    "Sha256",
    "Filename",
    "L.pdf",
]


def _text(pdf: bytes) -> str:
    reader = PdfReader(io.BytesIO(pdf))
    root = reader.trailer["/Root"]
    assert "/StructTreeRoot" in root and root["/MarkInfo"]["/Marked"]  # still PDF/UA
    return " ".join(p.extract_text() for p in reader.pages)


@pytest.mark.parametrize("lang", ["da", "sv"])
def test_the_pdf_shows_labels_names_and_local_dates_in_the_citizens_language(
    db, keyring, app, lang
):
    citizen, ids = make_everything(db)
    citizen.status = "booked"
    citizen.created_at = NOW
    who = Actor("user", 7, "Kim Koordinator")
    purpose = {"purpose": "case_handling"}
    record(
        db,
        who,
        "citizen.viewed",
        now=NOW,
        object_type="citizen",
        object_id=citizen.id,
        data=purpose,
    )
    letter = db.get(Letter, ids["letter"])
    letter.status, letter.rendered_at = "done", NOW
    letter.filename, letter.sha256 = "L.pdf", "ab" * 32
    db.flush()
    with app.test_request_context():
        data = export.build(db, keyring, citizen, now=NOW, lang=lang)
        words = " ".join(_text(export_pdf(data)).split())
    expected = EXPECTED[lang]
    for text in expected["labels"] + expected["values"] + [expected["made"]]:
        assert text in words, text
    district = db.get(District, citizen.district_id).name
    history = next(s for s in data["sections"] if s["key"] == "provider_assignment")
    group = db.get(CareGroup, history["rows"][0]["care_group_id"])
    assert district in words and group.name in words and group.provider.name in words
    for raw in RAW:
        assert raw not in words, raw
    assert not re.search(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}", words)
    assert "+00:00" not in words and "2026-11-23" not in words
    assert "+4520123456" not in words and "20 12 34 56" in words  # the phone as people write it


def test_the_json_keeps_its_keys_and_stored_values(db, keyring, app):
    citizen, _ = make_everything(db)
    data = export.build(db, keyring, citizen, now=NOW, lang="da")
    person = data["sections"][0]["rows"][0]
    assert {"external_id", "district_id", "status", "created_at", "language"} <= set(person)
    assert person["district_id"] == citizen.district_id
    assert person["created_at"] == citizen.created_at.isoformat()
    assert data["generated_at"] == NOW.isoformat()
    letter = next(s for s in data["sections"] if s["key"] == "letter")["rows"][0]
    assert {"sha256", "filename", "kind", "status"} <= set(letter)
    assert letter["kind"] == "information"
    json.dumps(data)


def test_every_exported_column_has_a_label_or_is_left_to_the_json(app):
    tables = catalog.citizen_tables(sa_db.metadata) + [
        sa_db.metadata.tables[name] for name in ("citizen", "property")
    ]  # a building's entrances are shown as "Entrance: label: consent state"
    columns = {
        c.name for t in tables for c in t.columns if not c.name.endswith(export.HIDDEN_SUFFIXES)
    }
    columns |= {"national_id", "at", "actor", "on_behalf_of", "action", "purpose", "data"}
    columns.discard("national_id_enc")
    unlabelled = sorted(
        c for c in columns if c not in readable.LABELS and c not in readable.TECHNICAL
    )
    assert not unlabelled, f"label these columns in portal/privacy/readable.py: {unlabelled}"
    assert not set(readable.LABELS) & readable.TECHNICAL
    assert Citizen and Provider  # the models the names come from


@pytest.mark.parametrize(
    ("code", "words"),
    [
        ("moved_out", "Er flyttet ud af distriktet"),
        ("address_missing", "Adressen er ikke fuldstændig."),
        ("weasyprint crashed", "weasyprint crashed"),  # an unexpected failure, as recorded
    ],
)
def test_why_a_letter_was_not_sent_is_in_words(app, code, words):
    """A letter a batch did not send showed its reason as the stored code ("moved_out")."""
    from portal.i18n import force_locale

    with app.test_request_context(), force_locale("da"):
        assert readable.text("letter", "error", code, {}) == words
