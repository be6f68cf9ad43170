"""The language switch on a page that answers a form sent to an address only a form may use
(POST only: a key handed out, a key moved) comes back to the page above it, which a browser can
load, not to the form's address (a "405" dead end); on an ordinary page it comes back as
before, query and all."""

import re
from urllib.parse import unquote

from portal.audit.services import SYSTEM
from portal.changes import keycabinet
from tests.changes.test_keycabinet_handback import _admin, _key
from tests.factories import NOW
from tests.helpers import sign_in_staff
from tests.web.support import english_client


def _switch_links(page: str) -> set[str]:
    return set(re.findall(r'href="(/language/[a-z]{2}\?next=[^"]*)"', page))


def _next_of(link: str) -> str:
    return unquote(link.split("next=", 1)[1])


def test_after_a_refused_hand_out_the_language_switch_leads_back_to_the_key(app, db, clock):
    key = _key(db)
    admin = _admin(db, key)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, admin)
    answer = client.post(f"/key-cabinets/keys/{key.id}/hand_out", data={"person": "..."})
    page = answer.get_data(as_text=True)
    assert answer.status_code == 200 and "Write the name in letters" in page
    links = _switch_links(page)
    assert links and {_next_of(link) for link in links} == {f"/key-cabinets/keys/{key.id}"}
    switched = client.get(sorted(links)[0], follow_redirects=True)
    assert switched.status_code == 200 and switched.request.path == f"/key-cabinets/keys/{key.id}"


def test_after_a_refused_move_too(app, db, clock):
    key = _key(db)
    keycabinet.act(db, key, "hand_out", person="Agnes Petersen", now=NOW, actor=SYSTEM)
    admin = _admin(db, key)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, admin)
    page = client.post(f"/key-cabinets/keys/{key.id}/move", data={}).get_data(as_text=True)
    assert {_next_of(link) for link in _switch_links(page)} <= {f"/key-cabinets/keys/{key.id}"}


def test_an_ordinary_page_comes_back_to_itself_with_its_query(app, db, clock):
    key = _key(db)
    admin = _admin(db, key)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, admin)
    page = client.get(f"/key-cabinets/keys/{key.id}?x=1").get_data(as_text=True)
    assert {_next_of(link) for link in _switch_links(page)} == {f"/key-cabinets/keys/{key.id}?x=1"}
