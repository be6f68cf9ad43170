"""The name of whoever received a key handed back for good: a person's name by the portal's one
name rule (portal.web.text.PersonName: one line, at least one letter). Hostile input is refused
with a message beside the field and comes back as typed, escaped."""

import pytest
from markupsafe import escape

from portal.audit.services import SYSTEM
from portal.changes import keycabinet
from portal.changes.keycabinet_models import CabinetKey
from tests.changes.test_keycabinet_handback import TODAY, _admin, _hand_back, _key
from tests.factories import NOW
from tests.helpers import sign_in_staff
from tests.web.support import english_client

NAME = "Write the name in letters, not only punctuation, symbols or spaces"
CONTROL = "Write it on one line, without line breaks, tabs or hidden control characters"
MISSING = "Enter the name of the person"


@pytest.mark.parametrize("person", ["...", "-- ''", "🙂🎉", "\u200b\u200b", "<>&\"'", "  .  "])
def test_the_service_refuses_a_name_without_a_letter(db, clock, person):
    key = _key(db)
    with pytest.raises(keycabinet.PersonMissing):
        _hand_back(db, key, person=person)
    assert key.status == "in_cabinet"


@pytest.mark.parametrize("person", ["Åse Ødegård", "李明", "O'Neil-Smith", "Ib"])
def test_names_in_any_script_with_punctuation_are_names(db, clock, person):
    key = _key(db)
    _hand_back(db, key, person=person)
    assert key.status == "returned"


@pytest.mark.parametrize(
    ("person", "message"),
    [
        ("...", NAME),
        ("-- ''", NAME),
        ("🙂 🎉", NAME),
        ("\u200b\u200b", NAME),  # zero-width spaces: nothing to read
        ("<>&\"'/", NAME),
        ("   ", MISSING),
        ("Kim\tMadsen", CONTROL),
        ("Kim\nMadsen", CONTROL),
        ("Kim\u202eMadsen", CONTROL),  # a bidirectional override reads otherwise than stored
        ("\x07\x1b", CONTROL),
        ("K" * 201, "Write at most 200 characters"),
    ],
)
def test_the_page_refuses_hostile_names_and_keeps_what_was_typed(app, db, clock, person, message):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    admin = _admin(db, key)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, admin)
    url = f"/key-cabinets/keys/{key.id}/hand-back"
    form = {"recipient": "relative", "person": person, "received_on": TODAY.isoformat()}
    answer = client.post(url, data=form)
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200
    assert page.count('class="form-group form-error"') == 1
    assert f'href="#person">{escape(message)}' in page  # the summary links to the field
    assert f'value="{escape(person)}"' in page  # what was typed, escaped
    assert "<title>Error:" in page
    db.expire_all()
    assert db.get(CabinetKey, key.id).status == "handed_out"


def test_a_name_with_markup_is_kept_as_text_and_never_markup(app, db, clock):
    key = _key(db)
    admin = _admin(db, key)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, admin)
    person = "<b>Kim</b> <script>alert(1)</script>"
    done = client.post(
        f"/key-cabinets/keys/{key.id}/hand-back",
        data={"recipient": "estate", "person": person, "received_on": TODAY.isoformat()},
    )
    assert done.status_code == 303
    page = client.get(done.location).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "<b>Kim</b>" not in page
    assert str(escape(person)) in page
