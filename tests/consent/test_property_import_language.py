"""An owner's empty language in the property import is the municipality's own language
(BABEL_DEFAULT_LOCALE), not Danish everywhere: a Swedish municipality's owners get Swedish
letters and emails unless the file says otherwise, and the upload help says so."""

import io

import pytest
from sqlalchemy import select

from portal.audit.services import SYSTEM
from portal.citizens.uploads import store_upload
from portal.consent import importer
from portal.consent.models import OwnerOrganisation
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.factories import NOW, make_user

HEAD = "address;postcode;city;owner;owner_language;entrance\n"
ROWS = "Storgatan 1;14730;Tumba;Bostad Syd;;A\nStorgatan 2;14730;Tumba;Hyresvärd;en;A\n"


def _languages(db) -> dict[str, str]:
    rows = db.execute(select(OwnerOrganisation.name, OwnerOrganisation.language))
    return dict(rows.all())


@pytest.mark.parametrize("language", ["sv", "da"])
def test_an_empty_owner_language_is_the_municipalitys(app, db, language):
    with app.test_request_context():
        plan = importer.preview(db, (HEAD + ROWS).encode(), country="SE", language=language)
    assert not plan.errors
    assert [r["owner_language"] for r in plan.new_properties] == [language, "en"]


def test_a_swedish_municipalitys_import_makes_swedish_owners(app, coordinator, db, monkeypatch):  # noqa: F811
    monkeypatch.setitem(app.config, "COUNTRY", "SE")
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "sv")
    upload = coordinator.post(
        "/coordinator/properties/import",
        data={"file": (io.BytesIO((HEAD + ROWS).encode()), "fastigheter.csv")},
    )
    assert upload.status_code == 303
    assert coordinator.post(upload.location).status_code == 303
    assert _languages(db) == {"Bostad Syd": "sv", "Hyresvärd": "en"}


def test_confirming_writes_the_language_it_was_given(app, db):
    user = make_user(db, "coordinator")
    raw = (HEAD + ROWS).encode()
    with app.test_request_context():
        batch = store_upload(db, "f.csv", raw, user.id, NOW, kind=importer.KIND)
        importer.commit_import(db, batch, now=NOW, actor=SYSTEM, country="SE", language="sv")
    assert _languages(db) == {"Bostad Syd": "sv", "Hyresvärd": "en"}


HELP = {
    "en": "Empty: Swedish, the municipality's language",
    "da": "Tom: svensk, kommunens sprog",
    "sv": "Tomt: svenska, kommunens språk",
}


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_the_upload_help_names_the_municipalitys_language(app, coordinator, monkeypatch, lang):  # noqa: F811
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", "sv")
    coordinator.get(f"/language/{lang}")
    page = coordinator.get("/coordinator/properties/import").get_data(as_text=True)
    assert HELP[lang] in page.replace("&#39;", "'")
    assert "Empty: da" not in page
