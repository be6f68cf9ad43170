"""A reviewer's findings on the change requests: an approved change blocked new requests with
"withdraw it or wait until it is decided" (it was decided, and could not be withdrawn); the
list of requests as a table pushed off a phone's screen; "the file must be a PDF" when no
file was chosen; the coordinator's page said the citizen "decided" a withdrawn request, showed
"From: Citizen (Automatic)" for the demo's request and decision times with seconds."""

import html
import io
import re
from datetime import date
from types import SimpleNamespace

import pytest
from sqlalchemy import select

from portal.changes import decisions, demo
from portal.changes.models import ChangeRequest
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, policy
from tests.factories import NOW, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}
TEL = 'href="tel:+4570102030"'


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _speaking(app, lang):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = lang
    return client


def _words(page: str) -> str:
    text = re.sub(r"<[^>]+>", " ", page.split("<main", 1)[1].split("</main>", 1)[0])
    return re.sub(r" (?=[.,])", "", " ".join(html.unescape(text).split()))


def _ask_switch(client, town, day="2026-12-01"):
    client.get("/citizen/changes/switch/provider?start=new")
    client.post("/citizen/changes/switch/provider", data={"provider": str(town.omsorg.id)})
    client.post("/citizen/changes/switch/date", data={"effective_on": day})
    r = client.post("/citizen/changes/switch/check")
    assert r.status_code == 303 and "/citizen/changes/r/" in r.location
    return r.location.split("?")[0]


def _approve(app, db, on="2026-12-19"):
    req = db.scalar(select(ChangeRequest))
    decisions.approve(
        db, req, effective_on=date.fromisoformat(on), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    db.commit()
    return req


@pytest.mark.parametrize(
    ("lang", "relative", "expected"),
    [
        (
            "en",
            False,
            "Your request {ref} has been approved and takes effect on 19 December 2026. You can "
            "ask for something else after that. For any other change before then, phone the "
            "municipality on +45 70 10 20 30.",
        ),
        (
            "da",
            True,
            "Anmodningen {ref} for {name} er godkendt og træder i kraft den 19. december 2026. "
            "Du kan bede om noget andet derefter. Skal noget andet ændres inden da, så ring til "
            "kommunen på +45 70 10 20 30.",
        ),
        (
            "sv",
            False,
            "Ditt ärende {ref} har godkänts och gäller från den 19 december 2026. Du kan be om "
            "något annat efter det. Ska något annat ändras före dess, ring kommunen på "
            "+45 70 10 20 30.",
        ),
    ],
)
def test_an_approved_change_says_when_something_else_can_be_asked_and_whom_to_phone(
    app, db, town, lang, relative, expected
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _speaking(app, lang)
    sign_in_citizen(client, citizen, relative=RELATIVE if relative else None)
    receipt = _ask_switch(client, town)
    req = _approve(app, db)
    message = expected.format(ref=req.reference, name=citizen.name)
    page = client.get("/citizen/changes/").get_data(as_text=True)
    assert message in _words(page)
    assert TEL in page
    for wait in ("already a request in progress", "allerede en anmodning", "redan en begäran"):
        assert wait not in page
    # Starting another wish anyway lands on the same explanation (a move, an end of care or a
    # death may still be reported: tests/changes/test_supersede_views.py).
    moved = client.get("/citizen/changes/switch/provider?start=new", follow_redirects=True)
    assert _words(moved.get_data(as_text=True)).count(message) == 1  # not again as a flash
    # The request's own page says why there is no "withdraw" and whom to phone.
    own = client.get(receipt).get_data(as_text=True)
    assert TEL in own.split("<main", 1)[1].split("</main>", 1)[0]
    assert "/withdraw" not in own


def test_a_request_still_waiting_keeps_the_withdraw_or_wait_message(client, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    _ask_switch(client, town)
    page = client.get("/citizen/changes/").get_data(as_text=True)
    assert "Withdraw it or wait until it is decided" in page
    assert "has been approved" not in page


def test_the_requests_are_one_table_whose_rows_are_cards_on_a_phone(client, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    sign_in_citizen(client, citizen)
    _ask_switch(client, town)
    ref = db.scalar(select(ChangeRequest.reference))
    page = client.get("/citizen/changes/").get_data(as_text=True)
    # One table (restyled into a card per row on a phone by CSS), no second copy of the rows.
    assert page.count("<table") == 1 and page.count(f">{ref}</a>") == 1
    table = page.split('<table class="table table--zebra table--cards">', 1)[1]
    table = table.split("</table>", 1)[0]
    rows = table.split("<tr data-row>")[1:]
    assert len(rows) == 1 and f'<th scope="row"><a href="/citizen/changes/r/{ref}">' in rows[0]
    for label in ("Request", "Date", "Status"):  # the card's labels beside the values
        assert f'data-title="{label}"' in rows[0]
    for fact in ("1 December 2026", "Received"):
        assert fact in rows[0]
    assert "table--responsive-scroll" not in page and "data-card" not in page


@pytest.mark.parametrize(
    ("lang", "choose", "wrong"),
    [
        ("en", "Choose a file to attach.", "The file must be a PDF, JPEG or PNG."),
        ("da", "Vælg en fil, der skal vedhæftes.", "Filen skal være en PDF, JPEG eller PNG."),
        ("sv", "Välj en fil att bifoga.", "Filen måste vara en PDF, JPEG eller PNG."),
    ],
)
def test_attaching_without_a_file_asks_for_one(app, db, town, lang, choose, wrong):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _speaking(app, lang)
    sign_in_citizen(client, citizen)
    receipt = _ask_switch(client, town)
    for data in ({}, {"document": (io.BytesIO(b""), "")}):
        page = client.post(
            receipt + "/documents", data=data, content_type="multipart/form-data"
        ).get_data(as_text=True)
        assert choose in page and wrong not in page, data
    page = client.post(
        receipt + "/documents",
        data={"document": (io.BytesIO(b"plain text"), "note.txt")},
        content_type="multipart/form-data",
    ).get_data(as_text=True)
    assert wrong in page and choose not in page
    req = db.scalar(select(ChangeRequest))
    assert req.documents == []
    # The coordinator's form says the same.
    client.post("/sign-out")
    sign_in_staff(client, make_user(db, "coordinator"))
    page = client.post(
        f"/coordinator/changes/{req.id}/documents", data={}, content_type="multipart/form-data"
    ).get_data(as_text=True)
    assert choose in page and wrong not in page


@pytest.mark.parametrize(
    ("lang", "relative", "expected"),
    [
        ("en", False, "Withdrawn by the citizen on 23 Nov 2026 at 10:00"),
        ("da", False, "Trukket tilbage af borgeren den 23. nov. 2026 kl. 10.00"),
        (
            "sv",
            True,
            "Drogs tillbaka av Rita Relativ på uppdrag av {name} den 23 nov. 2026 kl. 10:00",
        ),
    ],
)
def test_a_withdrawn_request_says_who_withdrew_it_to_the_minute(
    app, db, town, lang, relative, expected
):
    citizen = fitted_citizen(db, town)
    db.commit()
    asker = _speaking(app, "en")
    sign_in_citizen(asker, citizen, relative=RELATIVE if relative else None)
    receipt = _ask_switch(asker, town)
    assert asker.post(receipt + "/withdraw", data={"confirm": "yes"}).status_code == 303
    req = db.scalar(select(ChangeRequest))
    coordinator = _speaking(app, lang)
    sign_in_staff(coordinator, make_user(db, "coordinator"))
    page = _words(coordinator.get(f"/coordinator/changes/{req.id}").get_data(as_text=True))
    assert expected.format(name=citizen.name) in page
    for decided in ("Decided by", "Afgjort af", "Beslutat av"):
        assert decided not in page
    assert "10:00:00" not in page and "10.00.00" not in page


@pytest.mark.parametrize(
    ("relative", "expected"),
    [(False, "From Citizen ({name})"), (True, "From Relative (Rita Relativ on behalf of {name})")],
)
def test_the_coordinator_sees_who_asked(app, db, town, relative, expected):
    citizen = fitted_citizen(db, town)
    db.commit()
    asker = _speaking(app, "en")
    sign_in_citizen(asker, citizen, relative=RELATIVE if relative else None)
    _ask_switch(asker, town)
    req = db.scalar(select(ChangeRequest))
    coordinator = _speaking(app, "en")
    sign_in_staff(coordinator, make_user(db, "coordinator"))
    page = _words(coordinator.get(f"/coordinator/changes/{req.id}").get_data(as_text=True))
    assert expected.format(name=citizen.name) in page
    assert "Automatic" not in page
    assert "Received 23 Nov 2026 at 10:00 " in page


def test_the_demo_request_is_asked_by_its_citizen_not_by_automatic(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    ctx = SimpleNamespace(
        session=db, now=NOW, config=app.config, made={"citizens": [citizen]}, lines=[]
    )
    demo.seed(ctx)
    db.commit()
    req = db.scalar(select(ChangeRequest))
    assert req.source == "citizen" and req.requested_by == f"citizen:{citizen.id}"
    coordinator = _speaking(app, "da")
    sign_in_staff(coordinator, make_user(db, "coordinator"))
    page = _words(coordinator.get(f"/coordinator/changes/{req.id}").get_data(as_text=True))
    assert f"Fra Borger ({citizen.name})" in page and "Automatisk" not in page
