"""Addresses and names typed into the change forms (the coordinator's registration, the
citizen's own move): a line break, tab or bidirectional override is refused next to the field
in the page's language, what was typed comes back, and nothing is written."""

import html

import pytest
from sqlalchemy import select

from portal.changes.models import ChangeRequest
from tests.changes.support import fitted_citizen, make_town
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

BAD = {
    "line break": "Nyvej\n1",
    "tab": "Nyvej\t1",
    "right-to-left override U+202E": "Nyvej 1 \u202ekcab",
    "line separator U+2028": "Nyvej\u20281",
}
MESSAGES = {
    "en": "Write it on one line, without line breaks, tabs or hidden control characters",
    "da": "Skriv det på én linje uden linjeskift, tabulatorer eller skjulte kontroltegn",
    "sv": "Skriv det på en rad utan radbrytningar, tabbar eller dolda styrtecken",
}


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _speaking(app, lang):
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE=lang)
    return client


@pytest.fixture
def coordinator(app, db, town):
    """An English-speaking coordinator's client and a fitted citizen's registration address."""
    citizen = fitted_citizen(db, town)
    user = make_user(db, "coordinator")
    db.commit()
    client = _speaking(app, "en")
    sign_in_staff(client, user)
    return client, f"/coordinator/citizens/{citizen.id}/changes"


def _move(address="Nyvej 1", city="Nordby"):
    return {
        "source": "care_system",
        "effective_on": "2026-12-10",
        "inside": "yes",
        "address": address,
        "postcode": "4100",
        "city": city,
    }


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
@pytest.mark.parametrize("lang", MESSAGES)
def test_the_coordinators_move_refuses_a_control_character_and_keeps_the_answers(
    app, db, town, lang, text
):
    citizen = fitted_citizen(db, town)
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = _speaking(app, lang)
    sign_in_staff(client, coordinator)
    url = f"/coordinator/citizens/{citizen.id}/changes/move"
    page = client.post(url, data=_move(address=text, city="Nordby <b>Øst</b>"))
    body = page.get_data(as_text=True)
    assert page.status_code == 200
    assert html.escape(MESSAGES[lang], quote=True) in body
    assert 'href="#address"' in body  # the error summary points at the field
    # What was typed comes back, the bad address too (escaped, so it can be mended).
    assert html.escape(text, quote=True) in body
    assert "Nordby &lt;b&gt;Øst&lt;/b&gt;" in body and "<b>Øst</b>" not in body
    assert db.scalar(select(ChangeRequest.id)) is None


def test_the_coordinators_forms_check_every_one_line_text(db, coordinator):
    client, changes = coordinator
    url = changes + "/move"
    city = client.post(url, data=_move(city="Nord\tby")).get_data(as_text=True)
    assert 'href="#city"' in city and MESSAGES["en"] in city
    too_long = client.post(url, data=_move(address="x" * 201)).get_data(as_text=True)
    assert "Write at most 200 characters" in too_long and MESSAGES["en"] not in too_long
    leave = changes + "/leave"
    death = {
        "source": "phone",
        "reason": "deceased",
        "effective_on": "2026-11-25",
        "estate_contact": "Ole Olsen\u202e 20304050",
    }
    page = client.post(leave, data=death).get_data(as_text=True)
    assert 'href="#estate_contact"' in page and MESSAGES["en"] in page
    # NUL is dropped by every portal form before it is checked (no keyboard types it).
    done = client.post(leave, data={**death, "estate_contact": "Ole Olsen\x00 20304050"})
    assert done.status_code == 303
    assert db.scalar(select(ChangeRequest.estate_contact)) == "Ole Olsen 20304050"


def test_a_plain_address_with_markup_is_stored_as_typed(db, coordinator):
    client, changes = coordinator
    done = client.post(changes + "/move", data=_move(address="Åvej 3 <b>st. tv.</b>"))
    assert done.status_code == 303
    assert db.scalar(select(ChangeRequest.new_address)) == "Åvej 3 <b>st. tv.</b>"


@pytest.mark.parametrize("text", BAD.values(), ids=BAD.keys())
def test_the_citizens_own_move_refuses_a_control_character(app, db, town, text):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _speaking(app, "da")
    sign_in_citizen(client, citizen)
    client.get("/citizen/changes/move/inside?start=new")
    assert client.post("/citizen/changes/move/inside", data={"inside": "yes"}).status_code == 303
    typed = {"address": text, "postcode": "4100", "city": "Nordby"}
    page = client.post("/citizen/changes/move/address", data=typed)
    body = page.get_data(as_text=True)
    assert page.status_code == 200 and MESSAGES["da"] in body
    assert html.escape(text, quote=True) in body and 'value="Nordby"' in body
