"""The question box on an entrance says "ask before you decide" only while the owner can
still give consent (asked, declined or withdrawn); once consent is given it says when we
answer instead."""

import pytest

from tests.consent.owner_support import Org
from tests.helpers import sign_in_staff
from tests.web.support import english_client

BEFORE = {
    "en": "Ask before you decide. We answer here.",
    "da": "Spørg, før I beslutter jer. Vi svarer her.",
    "sv": "Fråga innan ni bestämmer er. Vi svarar här.",
}
AFTER = {
    "en": "We answer here, usually within two working days.",
    "da": "Vi svarer her, normalt inden for to hverdage.",
    "sv": "Vi svarar här, oftast inom två arbetsdagar.",
}


@pytest.mark.parametrize("lang", ["en", "da", "sv"])
@pytest.mark.parametrize("status", ["declined", "withdrawn"])
def test_a_granted_entrance_does_not_ask_the_owner_to_decide(app, db, keyring, clock, lang, status):
    org = Org(db, keyring)
    undecided, decided = org.first.entrances
    decided.consent_status = "granted"
    undecided.consent_status = status  # consent may still be given
    db.commit()
    client = english_client(app)
    sign_in_staff(client, org.user)
    client.get(f"/language/{lang}")
    page = client.get(f"/owner/entrances/{decided.id}").get_data(as_text=True)
    assert BEFORE[lang] not in page and AFTER[lang] in page
    page = client.get(f"/owner/entrances/{undecided.id}").get_data(as_text=True)
    assert BEFORE[lang] in page and AFTER[lang] not in page
