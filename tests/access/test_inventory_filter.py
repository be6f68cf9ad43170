"""The lock inventory's filter: a mistake lists nothing and says so, with and without htmx."""

import pytest

from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.locksmith.change_support import fitted

HX = {"HX-Request": "true"}
TOO_LONG = "9" * 65
BAD = [f"q={TOO_LONG}", "state=lost", "kind=garage", "state=%3Cb%3E&q=" + "x" * 80]


@pytest.fixture
def listing(db, client):
    """A coordinator's client (the page in English) and a fitted unit's serial."""
    _citizen, unit = fitted(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    client.get("/language/en")
    return client, unit.serial


@pytest.mark.parametrize("query", BAD)
@pytest.mark.parametrize("htmx", [False, True])
def test_a_filter_with_a_mistake_lists_nothing_and_says_why(listing, query, htmx):
    client, serial = listing
    response = client.get(f"/coordinator/inventory?{query}", headers=HX if htmx else {})
    html = response.get_data(as_text=True)
    # Leaving the bad value out listed every unit, the fitted one too, with no word why.
    assert response.status_code == 200 and serial not in html
    assert "No units are listed until the filter is corrected." in html
    summary = html[html.index("error-summary") :]
    assert "Write at most 64 characters" in summary or "Choose one of the options" in summary
    filters = html[html.index('id="inventory-filters"') :]
    assert 'aria-invalid="true"' in filters
    if htmx:
        assert "<html" not in html and 'id="inventory-filters" hx-swap-oob="true"' in html
    else:
        assert "hx-swap-oob" not in html and "<title>Error:" in html


@pytest.mark.parametrize("htmx", [False, True])
def test_the_typed_search_is_kept_with_its_message(listing, htmx):
    client, _serial = listing
    html = client.get(f"/coordinator/inventory?q={TOO_LONG}", headers=HX if htmx else {}).get_data(
        as_text=True
    )
    assert f'value="{TOO_LONG}"' in html and 'href="#q"' in html and 'id="q-error"' in html


@pytest.mark.parametrize("htmx", [False, True])
def test_a_good_filter_lists_and_clears_the_messages(listing, htmx):
    client, serial = listing
    html = client.get(
        f"/coordinator/inventory?state=fitted&kind=door&q={serial}", headers=HX if htmx else {}
    ).get_data(as_text=True)
    assert serial in html and "1 unit found" in html
    assert "error-summary" not in html and 'aria-invalid="true"' not in html
    assert ('id="inventory-filters" hx-swap-oob="true"' in html) is htmx


@pytest.mark.parametrize(
    ("lang", "said", "listed"),
    [
        ("da", "Skriv højst 64 tegn", "Der vises ingen enheder, før filteret er rettet."),
        ("sv", "Skriv högst 64 tecken", "Inga enheter visas förrän filtret är rättat."),
    ],
)
def test_the_messages_in_danish_and_swedish(listing, lang, said, listed):
    client, _serial = listing
    client.get(f"/language/{lang}")
    html = client.get(f"/coordinator/inventory?q={TOO_LONG}", headers=HX).get_data(as_text=True)
    assert said in html and listed in html


@pytest.mark.parametrize(
    ("lang", "said"), [("da", "Vælg en af mulighederne"), ("sv", "Välj ett av alternativen")]
)
def test_an_unknown_state_is_named_in_danish_and_swedish(listing, lang, said):
    client, _serial = listing
    client.get(f"/language/{lang}")
    html = client.get("/coordinator/inventory?state=lost").get_data(as_text=True)
    assert said in html
