"""Whom the change pages speak to (review findings 4, 5, 6, 12): the refusal beside the offer to
report a death does not contradict it; a relative reads "has died" on the home link; the
coordinator's question goes to the relative who sent the request, by name, and the home card
says the municipality waits for their answer and links to where they give it; the providers'
subjects of a switch say they no longer give the care, not that the citizen moves out."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.changes import cancelling, decisions, services
from portal.changes.models import ChangeRequest
from portal.notify.models import OutboxMessage
from tests.changes.support import COORDINATOR, CPH, NOW, fitted_citizen, make_town, on, policy
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import isolated_client

RELATIVE = {"name": "Rita Relativ", "phone": "20 30 40 50", "relation": "child"}


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _main(page) -> str:
    text = page.get_data(as_text=True).split("<main", 1)[1].split("</main>", 1)[0]
    return " ".join(re.sub(r"<[^>]+>", " ", text).split())


def _client(app, language="en"):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    return client


def _switch(app, db, town, citizen):
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-19", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    db.commit()
    return req


@pytest.mark.parametrize(
    ("language", "unless", "plain"),
    [
        (
            "en",
            "before asking for something else, unless you are reporting a death.",
            "before asking for something else.",
        ),
        (
            "da",
            "før du beder om noget andet, medmindre du melder et dødsfald.",
            "før du beder om noget andet.",
        ),
        (
            "sv",
            "innan du ber om något annat, utom när du anmäler ett dödsfall.",
            "innan du ber om något annat.",
        ),
    ],
)
def test_the_refusal_beside_the_death_offer_does_not_contradict_it(
    app, db, town, language, unless, plain
):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _switch(app, db, town, citizen)
    relative = _client(app, language)
    sign_in_citizen(relative, citizen, relative=RELATIVE)
    for url in ("/citizen/changes/", "/citizen/"):
        text = _main(relative.get(url))
        assert switch.reference in text and unless in text and plain not in text, (url, text)
    own = _client(app, language)
    sign_in_citizen(own, citizen)
    for url in ("/citizen/changes/", "/citizen/"):
        text = _main(own.get(url))
        assert plain in text and unless not in text, (url, text)


@pytest.mark.parametrize(
    ("language", "link", "option"),
    [
        (
            "da",
            "Skift leverandør, meld flytning, meld at {name} er død, eller stop den "
            "elektroniske lås",
            "{name} er død, ønsker ikke længere den elektroniske lås, eller hjemmeplejen ophører",
        ),
        (
            "sv",
            "Byt utförare, anmäl flytt, anmäl att {name} har avlidit, eller avsluta det "
            "elektroniska låset",
            "{name} har avlidit, vill inte längre ha det elektroniska låset, eller hemtjänsten "
            "upphör",
        ),
    ],
)
def test_a_relative_sees_where_to_report_a_death_when_nothing_waits(
    app, db, town, language, link, option
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _client(app, language)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    assert link.format(name=citizen.name) in _main(client.get("/citizen/"))
    assert option.format(name=citizen.name) in _main(client.get("/citizen/changes/"))


def _relative_end_of_care(client):
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "care_ended"})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-12-10"})
    assert client.post("/citizen/changes/leave/check").status_code == 303


@pytest.mark.parametrize(
    ("language", "ask", "label", "sent", "waiting", "answer"),
    [
        (
            "en",
            "Ask Rita Relativ (relative of {name}) a question",
            "Question to Rita Relativ (relative of {name})",
            "The question has been sent to Rita Relativ (relative of {name}).",
            "The municipality has asked you a question about the request for {name} and is "
            "waiting for your answer.",
            "Answer the question on request {ref}",
        ),
        (
            "da",
            "Stil Rita Relativ (pårørende til {name}) et spørgsmål",
            "Spørgsmål til Rita Relativ (pårørende til {name})",
            "Spørgsmålet er sendt til Rita Relativ (pårørende til {name}).",
            "Kommunen har stillet dig et spørgsmål om anmodningen for {name} og venter på dit "
            "svar.",
            "Besvar spørgsmålet i anmodning {ref}",
        ),
    ],
)
def test_a_question_goes_to_the_relative_who_sent_the_request(
    app, db, town, language, ask, label, sent, waiting, answer
):
    citizen = fitted_citizen(db, town)
    db.commit()
    relative = _client(app, language)
    sign_in_citizen(relative, citizen, relative=RELATIVE)
    _relative_end_of_care(relative)
    req = db.scalar(select(ChangeRequest))
    staff = _client(app, language)
    sign_in_staff(staff, make_user(db, "coordinator"))
    db.commit()
    page = _main(staff.get(f"/coordinator/changes/{req.id}"))
    assert ask.format(name=citizen.name) in page and label.format(name=citizen.name) in page
    asked = staff.post(f"/coordinator/changes/{req.id}/ask", data={"question": "Hvornår?"})
    assert asked.status_code == 303
    assert sent.format(name=citizen.name) in _main(staff.get(asked.location))
    home = relative.get("/citizen/")
    text = _main(home)
    assert waiting.format(name=citizen.name) in text, text
    assert answer.format(ref=req.reference) in text
    assert f'href="/citizen/changes/r/{req.reference}"' in home.get_data(as_text=True)


def test_the_citizen_reads_that_the_municipality_waits_for_their_answer(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    req = _switch(app, db, town, citizen)
    decisions.ask(db, req, "Hvorfor?", now=NOW, actor=COORDINATOR)
    db.commit()
    client = _client(app)
    sign_in_citizen(client, citizen)
    text = _main(client.get("/citizen/"))
    assert "The municipality has asked you a question and is waiting for your answer." in text
    assert f"Answer the question on request {req.reference}" in text
    staff = _client(app)
    sign_in_staff(staff, make_user(db, "coordinator"))
    db.commit()
    assert f"Question to {citizen.name}" in _main(staff.get(f"/coordinator/changes/{req.id}"))


@pytest.mark.parametrize(
    ("locale", "leaving", "cancelled"),
    [
        ("da", "Borger forlader jeres hjemmepleje den ", "forlader ikke jeres hjemmepleje den "),
        ("sv", "Brukare lämnar er hemtjänst den ", "lämnar inte er hemtjänst den "),
    ],
)
def test_the_losing_providers_subjects_say_they_no_longer_give_the_care(
    app, db, town, monkeypatch, locale, leaving, cancelled
):
    monkeypatch.setitem(app.config, "BABEL_DEFAULT_LOCALE", locale)
    citizen = fitted_citizen(db, town)
    db.commit()
    req = _switch(app, db, town, citizen)
    p = policy(app)
    decisions.approve(
        db, req, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=p
    )
    cancelling.cancel(db, req, "Fejl", now=NOW, actor=COORDINATOR, tz=CPH)
    db.commit()
    subjects = list(db.scalars(select(OutboxMessage.subject)))
    assert any(s.startswith(leaving) and s.endswith(citizen.name) for s in subjects), subjects
    assert any(cancelled in s for s in subjects), subjects
    assert not any("flytt" in s.lower() for s in subjects), subjects
