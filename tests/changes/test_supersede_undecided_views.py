"""The pages of a death reported while a request is not decided yet: the relative's change page
and check page say before sending that the undecided request is cancelled (and the approved
change an undecided move report waits beside), the receipt says it was; the coordinator's refusal
form says the cancelled requests do not come back; a cancelled request is tagged "Cancelled"
everywhere requests are listed."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.changes import cancelling, decisions, services
from portal.changes.models import ChangeRequest
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, policy
from tests.factories import NOW, make_user
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


def _relative(app, citizen, language="en"):
    client = _client(app, language)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    return client


def _coordinator(app, db, language="en"):
    client = _client(app, language)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return client


def _submit(app, db, citizen, kind, details):
    req = services.submit(
        db,
        citizen,
        kind,
        details,
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    db.commit()
    return req


def _pending_switch(app, db, town, citizen):
    return _submit(
        app,
        db,
        citizen,
        "switch",
        services.Details(effective_on=date(2026, 12, 19), provider_id=town.omsorg.id),
    )


def _report_death(client, contact="Ole Olsen"):
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": contact})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-11-24"})


def test_a_relative_reports_a_death_while_a_switch_is_undecided(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _pending_switch(app, db, town, citizen)
    client = _relative(app, citizen)
    assert f"Report that {citizen.name} has died" in _main(client.get("/citizen/"))
    start = _main(client.get("/citizen/changes/"))
    assert f"Has {citizen.name} died?" in start
    assert f"request {switch.reference}, which has not been decided yet, is cancelled" in start
    # Nothing but a death may be reported beside it.
    assert client.get("/citizen/changes/move/inside?start=new").status_code == 303
    page = _main(client.get("/citizen/changes/leave/reason?start=new"))
    assert f"{citizen.name} has died" in page and "home care of" not in page
    refused = client.post("/citizen/changes/leave/reason", data={"reason": "care_ended"})
    assert "Choose one of the answers shown" in refused.get_data(as_text=True)
    _report_death(client)
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"request {switch.reference} (Change of home-care provider" in check
    assert "which has not been decided yet, is cancelled at once" in check
    sent = client.post("/citizen/changes/leave/check")
    assert sent.status_code == 303
    receipt = _main(client.get(sent.location))
    assert "A request has been cancelled" in receipt
    assert f"Request {switch.reference} (Change of home-care provider" in receipt
    assert "had not been decided yet" in receipt
    db.expire_all()
    switch = db.get(ChangeRequest, switch.id)
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.kind == "leave"))
    assert switch.status == "cancelled" and cancelling.replaced_by(switch).id == death.id
    assert "Rita Relativ" in switch.decided_by  # on the relative's behalf
    old = _main(client.get(f"/citizen/changes/r/{switch.reference}"))
    assert "Replaced by a later request" in old and "Status: Cancelled" in old


def test_a_citizen_cannot_report_past_an_undecided_switch(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _pending_switch(app, db, town, citizen)
    client = _client(app)
    sign_in_citizen(client, citizen)
    start = _main(client.get("/citizen/changes/"))
    assert switch.reference in start and "died" not in start
    assert client.get("/citizen/changes/leave/reason?start=new").status_code == 303


def test_a_death_beside_a_move_report_and_an_approved_switch(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _pending_switch(app, db, town, citizen)
    decisions.approve(
        db, switch, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    move = _submit(
        app,
        db,
        citizen,
        "move",
        services.Details(
            effective_on=date(2026, 12, 10),
            inside=True,
            address="Nyvej 2",
            postcode="4100",
            city="Nordby",
        ),
    )
    client = _relative(app, citizen)
    start = _main(client.get("/citizen/changes/"))
    assert f"The approved change {switch.reference} is cancelled at once too" in start
    _report_death(client)
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"request {move.reference} (Moving home" in check
    assert f"the approved change {switch.reference} (Change of home-care provider" in check
    sent = client.post("/citizen/changes/leave/check")
    assert sent.status_code == 303
    receipt = _main(client.get(sent.location))
    assert "A request has been cancelled" in receipt
    assert "The approved change has been cancelled" in receipt
    db.expire_all()
    assert db.get(ChangeRequest, move.id).status == "cancelled"
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.kind == "leave"))
    withdrawing = _main(client.get(f"/citizen/changes/r/{death.reference}/withdraw"))
    refusing = _main(_coordinator(app, db).get(f"/coordinator/changes/{death.id}"))
    for page in (withdrawing, refusing):
        for gone in (move, switch):
            assert (
                f"Request {gone.reference} was cancelled when this request was sent, and it does "
                "not come back if this request is withdrawn or refused." in page
            )


def test_the_refusal_form_says_the_cancelled_switch_does_not_come_back(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _pending_switch(app, db, town, citizen)
    decisions.approve(
        db, switch, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    db.commit()
    _report_death(client := _relative(app, citizen))
    client.post("/citizen/changes/leave/check")
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.kind == "leave"))
    for language, words in (
        ("da", f"Anmodning {switch.reference} blev annulleret, da denne anmodning blev sendt"),
        ("sv", f"Ärende {switch.reference} avbröts när det här ärendet skickades"),
        ("en", f"Request {switch.reference} was cancelled when this request was sent"),
    ):
        page = _coordinator(app, db, language).get(f"/coordinator/changes/{death.id}")
        html = page.get_data(as_text=True)
        refuse_form = html.split(f'action="/coordinator/changes/{death.id}/refuse"')[0]
        assert words in refuse_form.rsplit("<h2>", 1)[1], language


@pytest.mark.parametrize(
    ("language", "tag"), [("da", "Annulleret"), ("sv", "Avbrutet"), ("en", "Cancelled")]
)
def test_a_cancelled_request_is_tagged_cancelled_on_every_list(app, db, town, language, tag):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _pending_switch(app, db, town, citizen)
    decisions.approve(
        db, switch, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    cancelling.cancel(
        db, switch, "Changed their mind", now=NOW, actor=COORDINATOR, tz="Europe/Copenhagen"
    )
    db.commit()
    staff = _coordinator(app, db, language)
    withdrawn = {"da": "Trukket tilbage", "sv": "Indragen", "en": "Withdrawn"}[language]
    for url in (
        f"/coordinator/changes/{switch.id}",
        "/coordinator/changes?status=all",
        "/coordinator/changes?status=cancelled",
        f"/coordinator/citizens/{citizen.id}",
    ):
        page = staff.get(url)
        assert page.status_code == 200, url
        row = _main(page).split(switch.reference, 1)[1]  # past the status filter's choices
        assert tag in row and withdrawn not in row, url
    mine = _relative(app, citizen, language)
    for url in ("/citizen/changes/", f"/citizen/changes/r/{switch.reference}", "/citizen/"):
        text = _main(mine.get(url))
        assert tag in text and withdrawn not in text, url


def _ending(app, db, citizen, kind, day):
    if kind == "leave":
        details = services.Details(effective_on=date.fromisoformat(day), reason="care_ended")
    else:
        details = services.Details(
            effective_on=date.fromisoformat(day),
            inside=False,
            address="Fjernvej 1",
            postcode="9999",
            city="Fjern",
        )
    return _submit(app, db, citizen, kind, details)


@pytest.mark.parametrize("kind", ["leave", "move"], ids=["care_ended", "move_away"])
def test_a_relative_reports_a_death_while_an_ending_report_is_undecided(app, db, town, kind):
    citizen = fitted_citizen(db, town)
    db.commit()
    ending = _ending(app, db, citizen, kind, "2026-12-05")
    client = _relative(app, citizen)
    start = _main(client.get("/citizen/changes/"))
    assert f"Has {citizen.name} died?" in start
    assert f"request {ending.reference}, which has not been decided yet, is cancelled" in start
    assert f"Request {ending.reference} ends the care from 5 December 2026" in start
    _report_death(client)  # from 24 November 2026, before the report's date
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"request {ending.reference} (" in check
    assert "which has not been decided yet, is cancelled at once" in check
    assert (
        f"Request {ending.reference} says that the care ends from 5 December 2026. Home care and "
        "the keys stop from the date you gave, 24 November 2026, instead." in check
    )
    sent = client.post("/citizen/changes/leave/check")
    assert sent.status_code == 303
    receipt = _main(client.get(sent.location))
    assert "A request has been cancelled" in receipt and "had not been decided yet" in receipt
    # The relative's date is earlier: the reason is not that a death does not make the care
    # last longer (review finding 3).
    stop = (
        f"Request {ending.reference} had asked for the care to end from 5 December 2026. This "
        "request stops home care and the keys earlier, from 24 November 2026."
    )
    assert stop in receipt
    db.expire_all()
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.reason == "deceased"))
    assert db.get(ChangeRequest, ending.id).status == "cancelled"
    assert death.supersedes_id == ending.id
    coordinator = _main(_coordinator(app, db).get(f"/coordinator/changes/{death.id}"))
    assert stop in coordinator and "A request has been cancelled" in coordinator
    old = _main(client.get(f"/citizen/changes/r/{ending.reference}"))
    assert "Replaced by a later request" in old and "Status: Cancelled" in old


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            "before the date you gave. A death does not make the care last longer, so home "
            "care and the keys stop from 28 November 2026.",
        ),
        (
            "da",
            "før den dato, du har angivet. Et dødsfald gør ikke plejen længere, så "
            "hjemmeplejen og nøglerne stopper fra 28. november 2026.",
        ),
        (
            "sv",
            "före det datum du angav. Ett dödsfall gör inte omsorgen längre, så hemtjänsten "
            "och nycklarna upphör från 28 november 2026.",
        ),
    ],
)
def test_a_death_after_an_earlier_end_of_care_stops_the_care_on_its_date(
    app, db, town, language, words
):
    citizen = fitted_citizen(db, town)
    switch = _pending_switch(app, db, town, citizen)
    decisions.approve(
        db, switch, effective_on=date(2026, 12, 19), now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    db.commit()
    ending = _ending(app, db, citizen, "leave", "2026-11-28")
    assert ending.supersedes_id == switch.id
    client = _relative(app, citizen, language)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole Olsen"})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-12-15"})
    check = _main(client.get("/citizen/changes/leave/check"))
    assert ending.reference in check and switch.reference in check
    assert words in check, language
    assert client.post("/citizen/changes/leave/check").status_code == 303
    db.expire_all()
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.reason == "deceased"))
    assert death.effective_on == date(2026, 11, 28)
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    assert db.get(ChangeRequest, ending.id).status == "cancelled"


@pytest.mark.parametrize(
    ("language", "words"),
    [
        (
            "en",
            "also says that the care ends from 5 December 2026. Home care and the keys stop from that date.",
        ),
        (
            "da",
            "siger også, at plejen slutter fra 5. december 2026. Hjemmeplejen og nøglerne stopper fra den dato.",
        ),
        (
            "sv",
            "säger också att omsorgen upphör från 5 december 2026. Hemtjänsten och nycklarna upphör från det datumet.",
        ),
    ],
)
def test_a_death_on_the_same_date_as_the_ending_report_says_so(app, db, town, language, words):
    """The relative gives the date the waiting report already asked for: not 'instead'."""
    citizen = fitted_citizen(db, town)
    db.commit()
    ending = _ending(app, db, citizen, "leave", "2026-12-05")
    client = _relative(app, citizen, language)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole Olsen"})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-12-05"})
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"{ending.reference} {words}" in check, language
    assert "instead" not in check and "i stedet" not in check and "i stället" not in check
