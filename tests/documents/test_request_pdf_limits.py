"""Every PDF a page asks for is rendered in a worker process under PDF_RENDER_TIMEOUT (as
letters are): a consent receipt, an access export or a key receipt that runs past it is
stopped, the page says so in words (da, sv, en), nothing is saved, and the next PDF works."""

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.consent.models import ConsentDecision, Entrance
from portal.documents import pool
from tests.changes.test_keycabinet_handback import _hand_back, _key
from tests.consent.owner_support import Org
from tests.consent.test_owner_views import grant_data
from tests.documents import slow
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.privacy.support import make_everything

WORDS = {
    "en": "Making this PDF took longer than 1 second, so it was stopped.",
    "da": "Det tog mere end 1 sekund at lave denne PDF, så den blev stoppet.",
    "sv": "Det tog mer än 1 sekund att skapa den här PDF-filen, så den stoppades.",
}
NOTHING_SAVED = {"en": "Nothing was saved.", "da": "Intet blev gemt.", "sv": "Inget sparades."}


@pytest.fixture
def slow_pdfs(app, monkeypatch):
    """A one-second limit and a renderer that never finishes; `slow_pdfs.undo()` brings the
    real renderer back, with a limit a real PDF meets even on a busy machine."""
    monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 1)
    real = pool.render_bytes
    monkeypatch.setattr(pool, "render_bytes", slow.render_bytes)

    class Undo:
        @staticmethod
        def undo():
            monkeypatch.setattr(pool, "render_bytes", real)
            monkeypatch.setitem(app.config, "PDF_RENDER_TIMEOUT", 120)

    return Undo


def _says(response, lang: str, saved: bool) -> None:
    page = " ".join(response.get_data(as_text=True).split())
    assert response.status_code == 500
    assert WORDS[lang] in page
    assert (NOTHING_SAVED[lang] in page) is not saved


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
def test_a_consent_receipt_past_the_limit_records_no_decision(
    app, client, db, keyring, clock, slow_pdfs, lang
):
    org = Org(db, keyring)
    db.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    sign_in_staff(client, org.user)
    entrance = org.first.entrances[0]
    url = f"/owner/entrances/{entrance.id}/grant"
    _says(client.post(url, data=grant_data(entrance, lang=lang)), lang, saved=False)
    db.expire_all()
    assert db.scalars(select(ConsentDecision)).all() == []
    assert db.get(Entrance, entrance.id).consent_status == "requested"
    slow_pdfs.undo()
    assert client.post(url, data=grant_data(entrance, lang=lang)).status_code == 303
    assert db.scalars(select(ConsentDecision)).one().receipt_pdf.startswith(b"%PDF")


def test_an_access_export_past_the_limit_is_not_logged_as_downloaded(client, db, slow_pdfs):
    citizen, _ = make_everything(db)
    coordinator = make_user(db, "coordinator")
    db.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "da"
    sign_in_staff(client, coordinator)
    url = f"/coordinator/citizens/{citizen.id}/data-export.pdf"
    _says(client.post(url), "da", saved=False)
    exported = select(AuditRecord).where(AuditRecord.action == "privacy.exported")
    assert db.scalars(exported).all() == []
    slow_pdfs.undo()
    response = client.post(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")
    assert len(db.scalars(exported).all()) == 1


def test_a_key_receipt_past_the_limit_says_so(client, db, clock, slow_pdfs):
    key = _key(db)
    _hand_back(db, key)
    coordinator = make_user(db, "coordinator")
    db.commit()
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "sv"
    sign_in_staff(client, coordinator)
    url = f"/key-cabinets/keys/{key.id}/receipt.pdf"
    _says(client.get(url), "sv", saved=True)  # a download: there was nothing to save
    slow_pdfs.undo()
    response = client.get(url)
    assert response.status_code == 200 and response.data.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("settings", "seconds"),
    [
        ({}, 30),
        ({"PDF_RENDER_TIMEOUT": 5}, 5),
        ({"PDF_RENDER_TIMEOUT": None}, None),
        ({"LETTER_RENDER_TIMEOUT": 7}, 7),  # the old name, set where the new one is not
        ({"LETTER_RENDER_TIMEOUT": None}, None),
        ({"PDF_RENDER_TIMEOUT": 5, "LETTER_RENDER_TIMEOUT": 7}, 5),  # the new name wins
    ],
)
def test_the_limit_is_one_setting_and_the_old_name_still_counts(settings, seconds):
    assert pool.render_timeout(settings) == seconds
