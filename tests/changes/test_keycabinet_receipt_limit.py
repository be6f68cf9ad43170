"""The key hand-back receipt is a PDF made in the request, so it counts against the same
per-principal budget as letters and previews (`portal.web.limits.render_limit`): past it the
429 page in the reader's language, and no PDF is made."""

import pytest

from portal.changes import keycabinet_handback_views as views
from tests.changes.test_keycabinet_handback import _admin, _hand_back, _key
from tests.factories import make_user
from tests.helpers import sign_in_staff

TOO_MANY = {
    "en": ("Too many attempts", "Please wait a few minutes and try again, or call us."),
    "da": ("For mange forsøg", "Vent et par minutter, og prøv igen, eller ring til os."),
    "sv": ("För många försök", "Vänta några minuter och försök igen, eller ring oss."),
}


@pytest.fixture
def made(monkeypatch, app):
    """Count the PDFs laid out (a stand-in renderer: the limit is what is tested)."""
    calls = []
    monkeypatch.setattr(views, "render_within", lambda *a, **k: calls.append(1) or b"%PDF-1.7\n")
    monkeypatch.setitem(app.config, "LETTER_RENDER_LIMIT", "2 per minute")
    return calls


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_the_receipt_is_rate_limited_with_the_429_page(db, client, clock, made, lang):
    key = _key(db)
    _hand_back(db, key)
    admin = _admin(db, key)
    db.commit()
    sign_in_staff(client, admin)
    client.get(f"/language/{lang}")
    url = f"/key-cabinets/keys/{key.id}/receipt.pdf"
    answers = [client.get(url) for _ in range(3)]
    assert [a.status_code for a in answers] == [200, 200, 429]
    assert len(made) == 2  # the third was refused before anything was laid out
    page = answers[2].get_data(as_text=True)
    title, advice = TOO_MANY[lang]
    assert answers[2].mimetype == "text/html" and title in page and advice in page
    assert f'lang="{lang}"' in page


def test_receipts_and_letters_share_one_budget_per_principal(db, client, clock, made):
    key = _key(db)
    _hand_back(db, key)
    coordinator, admin = make_user(db, "coordinator"), _admin(db, key)
    db.commit()
    sign_in_staff(client, coordinator)
    url = f"/key-cabinets/keys/{key.id}/receipt.pdf"
    assert [client.get(url).status_code for _ in range(2)] == [200, 200]
    letter = f"/coordinator/letters/preview/{key.citizen_id}.pdf"
    assert client.get(letter).status_code == 429  # the letters' budget is the same one
    client.post("/sign-out")
    sign_in_staff(client, admin)  # another principal has a budget of their own
    assert client.get(url).status_code == 200
