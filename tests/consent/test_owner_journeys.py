"""Defects a reviewer found on the owner's side: a signed-out owner reaches the owner's sign-in
(not the staff one) and comes back to the page asked for; the task list's counter counts only
entrances waiting for the owner's answer; a question names the entrance's building; on a phone
each entrance is a card with its own link (the page's layout itself: tests/browser)."""

import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pytest

from portal.consent.models import ConsentQuestion
from tests.consent.owner_support import Org
from tests.factories import NOW, PASSWORD, make_property
from tests.helpers import sign_in_staff
from tests.web.support import english_client


@pytest.fixture
def org(db, keyring, clock):
    org = Org(db, keyring)
    db.commit()
    return org


@pytest.fixture
def owner(app, org):
    client = english_client(app)
    sign_in_staff(client, org.user)
    return client


def _owner_pages(org):
    entrance = org.first.entrances[0]
    return ["/owner/", f"/owner/entrances/{entrance.id}", "/owner/decisions/1/receipt.pdf"]


def test_a_signed_out_owner_is_sent_to_the_owner_sign_in_with_next(app, org):
    client = english_client(app)
    for path in _owner_pages(org):
        response = client.get(path)
        assert response.status_code == 302, path
        target = urlsplit(response.location)
        assert target.path == "/sign-in/owner", path
        assert parse_qs(target.query)["next"] == [path]
    page = client.get(client.get("/owner/").location).get_data(as_text=True)
    assert "Sign in as property owner" in page and "Staff sign-in" not in page
    assert client.get("/owner/invitation").status_code == 200  # the letter's code stays public


def test_after_the_owner_sign_in_the_owner_lands_on_the_page_asked_for(app, org):
    client = english_client(app)
    entrance = org.first.entrances[1]
    asked = f"/owner/entrances/{entrance.id}"
    sign_in = client.get(asked).location
    assert urlsplit(sign_in).path == "/sign-in/owner"
    response = client.post(sign_in, data={"email": org.user.email, "password": PASSWORD})
    assert response.status_code == 303 and response.location == asked
    assert client.get(asked).status_code == 200


def test_htmx_on_an_owner_page_without_a_session_gets_hx_redirect_to_the_owner_sign_in(app, org):
    client = english_client(app)
    entrance = org.first.entrances[0]
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/owner/?tab=1"}
    response = client.get(f"/owner/entrances/{entrance.id}", headers=headers)
    assert response.status_code == 204 and "HX-Request" in response.vary
    assert response.headers["HX-Redirect"] == "/sign-in/owner?next=/owner/?tab%3D1"


def test_an_owner_whose_session_expired_is_sent_to_the_owner_sign_in(app, org, owner, clock):
    with owner.session_transaction() as session:
        session["seen"] = int((NOW - timedelta(hours=9)).timestamp())
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/owner/"}
    response = owner.get("/owner/", headers=headers)
    assert response.headers["HX-Redirect"] == "/sign-in/owner?next=/owner/"
    page = owner.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "signed out because you were away" in page


def test_the_counter_counts_only_entrances_waiting_for_the_owners_answer(app, db, org, owner):
    make_property(db, owner=org.org, entrances=2, address="Ikke Spurgt Vej 1")  # not asked
    db.commit()
    page = owner.get("/owner/").get_data(as_text=True)
    assert "3 entrances wait for your answer." in page  # the request's three, not five
    # One row per entrance (a card on a phone: the same markup restyled).
    assert page.count(">Waiting for your answer<") == 3
    assert page.count(">Not asked yet<") == 2


def test_nothing_asked_yet_means_nobody_waits_for_the_owner(app, db, org, owner):
    for e in org.entrances:
        e.consent_status = "not_requested"
    db.commit()
    page = owner.get("/owner/").get_data(as_text=True)
    assert "No entrance waits for your answer." in page and "wait for your answer." not in page
    assert ">Decide<" in page  # the owner may still decide for them


def test_a_question_names_the_building_of_its_entrance(app, db, org, owner):
    # Both buildings have an "Opgang 1": the label alone would not say which.
    first, second = org.first.entrances[0], org.second.entrances[0]
    assert first.label == second.label
    data = {"question-entrance": str(second.id), "question-text": "Hvem betaler strøm?"}
    assert owner.post("/owner/questions", data=data).status_code == 303
    assert db.query(ConsentQuestion).one().entrance_id == second.id
    for path in ("/owner/", f"/owner/entrances/{second.id}"):
        page = owner.get(path).get_data(as_text=True)
        asked = re.search(r"You asked on [^<]*</strong>", page)
        assert f"({second.label}, {org.second.address}):" in asked.group(0), path


def test_on_a_phone_each_entrance_is_a_card_with_its_own_link(app, org, owner):
    # One table per building; CSS turns each row into a card on a phone, so each entrance's
    # link is in the page once, whatever the width.
    page = owner.get("/owner/").get_data(as_text=True)
    tables = page.split('<table class="table table--zebra table--cards">')[1:]
    assert len(tables) == 2  # one table per building
    assert "data-card" not in page
    for prop, html in zip((org.first, org.second), tables, strict=True):
        html = html.split("</table>")[0]
        assert f'<caption class="sr-only">Entrances at {prop.address}</caption>' in html
        rows = html.split("<tr data-row>")[1:]
        assert len(rows) == len(prop.entrances)
        for e, row in zip(prop.entrances, rows, strict=True):
            assert page.count(f'href="/owner/entrances/{e.id}"') == 1
            assert f'href="/owner/entrances/{e.id}">Decide' in row
            assert f"{e.label}, {prop.address}</span></a>" in row
            assert 'data-title="Status"' in row and 'class="table-cards-actions"' in row
