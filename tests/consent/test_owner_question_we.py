"""An owner's questions belong to the organisation (a colleague may have asked): the Danish and
Swedish pages speak to it in the plural, as the rest of the owner's pages do ("I"/"Ni"),
not to the one person reading ("Du")."""

import pytest

from tests.consent.owner_support import Org
from tests.helpers import sign_in_staff
from tests.web.support import english_client

ASKED = {"en": "You asked on", "da": "I spurgte", "sv": "Ni frågade"}
SINGULAR = {"da": "Du spurgte", "sv": "Du frågade"}


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
def test_the_organisations_questions_are_ours_not_mine(app, db, keyring, clock, lang):
    org = Org(db, keyring)
    entrance = org.first.entrances[0]
    db.commit()
    client = english_client(app)
    sign_in_staff(client, org.user)
    client.get(f"/language/{lang}")
    sent = client.post(
        "/owner/questions",
        data={"question-entrance": str(entrance.id), "question-text": "Hvem betaler?"},
    )
    assert sent.status_code == 303
    for url in ("/owner/", f"/owner/entrances/{entrance.id}"):
        page = client.get(url).get_data(as_text=True)
        assert ASKED[lang] in page, url
        if lang in SINGULAR:
            assert SINGULAR[lang] not in page, url
