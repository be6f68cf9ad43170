"""The change pages speak to whoever is signed in: the citizen as "you" ("I am moving", "My home
care is ending"), a relative asking on the citizen's behalf about the citizen by name, in
Danish, Swedish and English (a reviewer found relatives offered "I am moving")."""

import pytest

from tests.booking.test_relative_wording import NAME, RELATIVE, main_text
from tests.changes.support import fitted_citizen, make_town
from tests.conftest import isolated_client
from tests.helpers import sign_in_citizen

# Page -> what a relative reads there; the citizen's own wording must not show, and back.
RELATIVE_WORDS = {
    "en": {
        "start": [
            "Changes to the home care of Karen Jensen",
            "Karen Jensen wants to change home-care provider",
            "Karen Jensen is moving",
            "Karen Jensen has died, no longer wants the electronic lock, or the home care is ending",
            "No changes have been asked for on behalf of Karen Jensen.",
        ],
        "provider": [
            "Which home-care provider does Karen Jensen want?",
            "No electronic lock is fitted at the door of Karen Jensen yet.",
        ],
        "reason": [
            "Karen Jensen no longer wants the electronic lock",
            "The home care of Karen Jensen is ending",
            "Karen Jensen has died",
        ],
        "inside": ["Is Karen Jensen moving within the municipality?"],
        "address": ["What is the new address of Karen Jensen?"],
        "outside": ["choose that Karen Jensen is moving away from the municipality."],
        "date": ["When is Karen Jensen moving?"],
        "check": ["The municipality reads the request and answers on the page of Karen Jensen."],
        "receipt": [
            "The request for Karen Jensen has been sent",
            "reads the request for Karen Jensen, normally within five working days.",
        ],
        "requests": ["Requests for Karen Jensen", "Changes to the home care of Karen Jensen"],
    },
    "da": {
        "start": [
            "Ændringer i hjemmeplejen hos Karen Jensen",
            "Karen Jensen vil skifte hjemmeplejeleverandør",
            "Karen Jensen flytter",
            "Karen Jensen er død, ønsker ikke længere den elektroniske lås, eller hjemmeplejen ophører",
            "Der er ikke bedt om nogen ændringer for Karen Jensen.",
        ],
        "provider": [
            "Hvilken hjemmeplejeleverandør ønsker Karen Jensen?",
            "Der er endnu ikke monteret en elektronisk lås på døren hos Karen Jensen.",
        ],
        "reason": [
            "Karen Jensen ønsker ikke længere den elektroniske lås",
            "Hjemmeplejen hos Karen Jensen ophører",
            "Karen Jensen er død",
        ],
        "inside": ["Flytter Karen Jensen inden for kommunen?"],
        "address": ["Hvad er den nye adresse for Karen Jensen?"],
        "outside": ["vælg at Karen Jensen flytter væk fra kommunen."],
        "date": ["Hvornår flytter Karen Jensen?"],
        "check": ["Kommunen læser anmodningen og svarer på siden for Karen Jensen."],
        "receipt": [
            "Anmodningen for Karen Jensen er sendt",
            "læser anmodningen for Karen Jensen, normalt inden for fem arbejdsdage.",
        ],
        "requests": ["Anmodninger for Karen Jensen", "Ændringer i hjemmeplejen hos Karen Jensen"],
    },
    "sv": {
        "start": [
            "Ändringar i hemtjänsten för Karen Jensen",
            "Karen Jensen vill byta hemtjänstutförare",
            "Karen Jensen flyttar",
            "Karen Jensen har avlidit, vill inte längre ha det elektroniska låset, eller hemtjänsten upphör",
            "Inga ändringar har begärts för Karen Jensen.",
        ],
        "provider": [
            "Vilken hemtjänstutförare vill Karen Jensen ha?",
            "Det finns ännu inget elektroniskt lås monterat på dörren hos Karen Jensen.",
        ],
        "reason": [
            "Karen Jensen vill inte längre ha det elektroniska låset",
            "Hemtjänsten för Karen Jensen upphör",
            "Karen Jensen har avlidit",
        ],
        "inside": ["Flyttar Karen Jensen inom kommunen?"],
        "address": ["Vad är den nya adressen för Karen Jensen?"],
        "outside": ["välj att Karen Jensen flyttar från kommunen."],
        "date": ["När flyttar Karen Jensen?"],
        "check": ["Kommunen läser ärendet och svarar på sidan för Karen Jensen."],
        "receipt": [
            "Ärendet för Karen Jensen har skickats",
            "läser ärendet för Karen Jensen, normalt inom fem arbetsdagar.",
        ],
        "requests": ["Ärenden för Karen Jensen", "Ändringar i hemtjänsten för Karen Jensen"],
    },
}
CITIZEN_WORDS = {
    "en": {
        "start": [
            "Changes to your home care",
            "I want to change home-care provider",
            "I am moving",
            "I no longer want the electronic lock, or my care is ending",
            "You have not asked for any changes.",
        ],
        "provider": [
            "Which home-care provider do you want?",
            "No electronic lock is fitted at your door yet.",
        ],
        "reason": ["I no longer want the electronic lock", "My home care is ending"],
        "inside": ["Are you moving within the municipality?"],
        "address": ["What is your new address?"],
        "outside": ["choose that you are moving away from the municipality."],
        "date": ["When are you moving?"],
        "check": ["The municipality reads your request and answers on your page."],
        "receipt": ["Your request has been sent", "reads your request, normally within five"],
        "requests": ["Your requests", "Changes to your home care"],
    },
    "da": {
        "start": [
            "Ændringer i din hjemmepleje",
            "Jeg vil skifte hjemmeplejeleverandør",
            "Jeg flytter",
            "Jeg ønsker ikke længere den elektroniske lås, eller min pleje ophører",
            "Du har ikke bedt om nogen ændringer.",
        ],
        "provider": [
            "Hvilken hjemmeplejeleverandør ønsker du?",
            "Der er endnu ikke monteret en elektronisk lås på din dør.",
        ],
        "reason": ["Jeg ønsker ikke længere den elektroniske lås", "Min hjemmepleje ophører"],
        "inside": ["Flytter du inden for kommunen?"],
        "address": ["Hvad er din nye adresse?"],
        "outside": ["vælg at du flytter væk fra kommunen."],
        "date": ["Hvornår flytter du?"],
        "check": ["Kommunen læser din anmodning og svarer på din side."],
        "receipt": ["Din anmodning er sendt", "læser din anmodning, normalt inden for fem"],
        "requests": ["Dine anmodninger", "Ændringer i din hjemmepleje"],
    },
    "sv": {
        "start": [
            "Ändringar i din hemtjänst",
            "Jag vill byta hemtjänstutförare",
            "Jag flyttar",
            "Jag vill inte längre ha det elektroniska låset, eller min hemtjänst upphör",
            "Du har inte begärt några ändringar.",
        ],
        "provider": [
            "Vilken hemtjänstutförare vill du ha?",
            "Det finns ännu inget elektroniskt lås monterat på din dörr.",
        ],
        "reason": ["Jag vill inte längre ha det elektroniska låset", "Min hemtjänst upphör"],
        "inside": ["Flyttar du inom kommunen?"],
        "address": ["Vad är din nya adress?"],
        "outside": ["välj att du flyttar från kommunen."],
        "date": ["När flyttar du?"],
        "check": ["Kommunen läser ditt ärende och svarar på din sida."],
        "receipt": ["Ditt ärende har skickats", "läser ditt ärende, normalt inom fem"],
        "requests": ["Dina ärenden", "Ändringar i din hemtjänst"],
    },
}
MOVE = "/citizen/changes/move/"


@pytest.fixture
def citizen(db, clock):
    town = make_town(db)
    made = fitted_citizen(db, town, lock=False, name=NAME)
    db.commit()
    return made


def _pages(client) -> dict[str, str]:
    """The start page, the first questions of each request, a move up to its receipt, and the
    citizen's page with the request listed, as the signed-in person reads them."""
    pages = {"start": main_text(client.get("/citizen/changes/"))}
    pages["provider"] = main_text(client.get("/citizen/changes/switch/provider?start=new"))
    pages["reason"] = main_text(client.get("/citizen/changes/leave/reason?start=new"))
    pages["inside"] = main_text(client.get(MOVE + "inside?start=new"))
    assert client.post(MOVE + "inside", data={"inside": "yes"}).status_code == 303
    pages["address"] = main_text(client.get(MOVE + "address"))
    nowhere = {"address": "Nyvej 1", "postcode": "9999", "city": "Andeby"}
    pages["outside"] = main_text(client.post(MOVE + "address", data=nowhere))
    assert client.post(MOVE + "inside", data={"inside": "no"}).status_code == 303
    assert client.post(MOVE + "address", data=nowhere).status_code == 303
    pages["date"] = main_text(client.get(MOVE + "date"))
    assert client.post(MOVE + "date", data={"effective_on": "2026-12-10"}).status_code == 303
    pages["check"] = main_text(client.get(MOVE + "check"))
    sent = client.post(MOVE + "check")
    assert sent.status_code == 303, sent.get_data(as_text=True)[:500]
    pages["receipt"] = main_text(client.get(sent.location))
    pages["requests"] = main_text(client.get("/citizen/changes/")) + main_text(
        client.get("/citizen/")
    )
    return pages


@pytest.mark.parametrize("lang", ["da", "sv", "en"])
@pytest.mark.parametrize("as_relative", [True, False], ids=["relative", "citizen"])
def test_the_change_pages_name_the_citizen_to_a_relative_only(app, db, citizen, lang, as_relative):
    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE=lang)
    sign_in_citizen(client, citizen, relative=RELATIVE if as_relative else None)
    pages = _pages(client)
    wanted, unwanted = (
        (RELATIVE_WORDS, CITIZEN_WORDS) if as_relative else (CITIZEN_WORDS, RELATIVE_WORDS)
    )
    for page, text in pages.items():
        for words in wanted[lang][page]:
            assert words in text, (page, words, text)
        for words in unwanted[lang][page]:
            assert words not in text, (page, words, text)


# What happens next once the municipality has decided, as a relative and as the citizen read it.
NEXT = {
    "switch": (
        "gives the home care of Karen Jensen. No electronic lock is fitted at the door of "
        "Karen Jensen yet",
        "gives your home care. No electronic lock is fitted at your door yet",
    ),
    "move": (
        "The new address of Karen Jensen is registered. If Karen Jensen has a lock, a locksmith "
        "contacts Karen Jensen",
        "Your new address is registered. If you have a lock, a locksmith contacts you",
    ),
    "leave": (
        "home care no longer opens the door of Karen Jensen with the electronic lock.",
        "home care no longer opens your door with the electronic lock.",
    ),
    "withdrawn": (
        "The request was withdrawn. Nothing has been changed.",
        "You withdrew the request. Nothing has been changed.",
    ),
}


@pytest.mark.parametrize("as_relative", [True, False], ids=["relative", "citizen"])
def test_what_happens_next_names_the_citizen_to_a_relative(app, db, citizen, as_relative):
    from portal.changes.models import ChangeRequest

    client = isolated_client(app)
    client.environ_base.update(HTTP_ACCEPT_LANGUAGE="en")
    sign_in_citizen(client, citizen, relative=RELATIVE if as_relative else None)
    _pages(client)  # a move, sent
    req = db.query(ChangeRequest).one()
    receipt = f"/citizen/changes/r/{req.reference}"
    for kind, status, inside in [
        ("switch", "approved", None),
        ("move", "approved", True),
        ("leave", "approved", None),
        ("move", "withdrawn", None),
    ]:
        req.kind, req.status, req.inside = kind, status, inside
        req.reason = "care_ended" if kind == "leave" else None
        db.commit()
        text = main_text(client.get(receipt))
        wanted, unwanted = NEXT["withdrawn" if status == "withdrawn" else kind]
        if not as_relative:
            wanted, unwanted = unwanted, wanted
        assert wanted in text and unwanted not in text, (kind, status, text)
