"""A reviewer's findings on the change requests: an approved change blocked new requests with
"withdraw it or wait until it is decided" (it was decided, and could not be withdrawn); the
list of requests as a table pushed off a phone's screen; "the file must be a PDF" when no
file was chosen; the coordinator's page said the citizen "decided" a withdrawn request, showed
"From: Citizen (Automatic)" for the demo's request and decision times with seconds."""

import html
import io
import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.changes import services
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
    services.approve(
        db, req, effective_on=date.fromisoformat(on), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    db.commit()
    return req


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
