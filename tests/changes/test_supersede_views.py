"""The pages of a report that supersedes an approved change: the citizen's and relative's change
page offers a move, an end of care or a death while a switch waits, says before sending what
happens to the switch, and the receipt says what happened; the coordinator reads it before
approving. Bad answers and other people's requests are refused."""

import re
from datetime import date

import pytest
from sqlalchemy import select

from portal.changes import decisions, services
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


def _waiting_switch(app, db, town, citizen):
    p = policy(app)
    req = services.submit(
        db,
        citizen,
        "switch",
        services.Details(effective_on=date(2026, 12, 19), provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=p,
    )
    decisions.approve(
        db,
        req,
        effective_on=date(2026, 12, 19),
        now=NOW,
        actor=COORDINATOR,
        policy=p,
    )
    db.commit()
    return req


def _english(app):
    client = isolated_client(app)
    client.environ_base["HTTP_ACCEPT_LANGUAGE"] = "en"
    return client


def _relative(app, citizen):
    client = _english(app)
    sign_in_citizen(client, citizen, relative=RELATIVE)
    return client


def test_a_relative_reports_a_death_while_a_switch_waits(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _waiting_switch(app, db, town, citizen)
    client = _relative(app, citizen)
    home = _main(client.get("/citizen/"))
    assert f"Report that {citizen.name} is moving, has died or that the home care is ending" in home
    start = _main(client.get("/citizen/changes/"))
    assert "Has something happened that cannot wait?" in start
    assert f"that {citizen.name} has died: at once, when you send it" in start
    # An ordinary wish still waits: back to the start page.
    assert client.get("/citizen/changes/switch/provider?start=new").status_code == 303
    page = client.get("/citizen/changes/leave/reason?start=new")
    assert page.status_code == 200
    text = _main(page)
    assert f"{citizen.name} has died" in text and "no longer wants" not in text
    # An opt-out is not offered now, nor a made-up answer.
    for forged in ("opted_out", "moved_away", "<b>", ""):
        bad = client.post("/citizen/changes/leave/reason", data={"reason": forged})
        assert bad.status_code == 200 and "Error" in bad.get_data(as_text=True), forged
    r = client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    assert r.location.endswith("/citizen/changes/leave/detail")
    empty = client.post("/citizen/changes/leave/detail", data={"estate_contact": ""})
    assert "Enter a contact person for the estate" in empty.get_data(as_text=True)
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole, 20 30 40 50"})
    client.post("/citizen/changes/leave/date", data={"effective_on": "2026-11-24"})
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"When you send this, the approved change {switch.reference}" in check
    assert "is cancelled at once" in check
    r = client.post("/citizen/changes/leave/check")
    assert r.status_code == 303
    receipt = _main(client.get(r.location))
    assert "The approved change has been cancelled" in receipt
    assert f"Request {switch.reference} (Change of home-care provider" in receipt
    db.expire_all()
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    withdrawing = _main(client.get(r.location.split("?")[0] + "/withdraw"))
    assert f"Request {switch.reference} was cancelled when this request was sent" in withdrawing
    old = _main(client.get(f"/citizen/changes/r/{switch.reference}"))
    assert "Replaced by a later request" in old
    assert "The municipality cancelled the approved change" not in old
    # Nobody withdrew the switch: it was cancelled, and "what happens next" says so.
    assert "The change was cancelled before it took effect" in old
    assert "was withdrawn" not in old
    # The death report withdrawn: its page does not claim that nothing has changed.
    report = r.location.split("?")[0]
    assert client.post(report + "/withdraw", data={"confirm": "yes"}).status_code == 303
    withdrawn = _main(client.get(report))
    assert "The request was withdrawn." in withdrawn
    assert f"Request {switch.reference}, which it cancelled when it was sent, stays" in withdrawn
    assert "Nothing has been changed" not in withdrawn


def test_the_citizen_reports_a_move_and_the_coordinator_sees_the_switch_go(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    switch = _waiting_switch(app, db, town, citizen)
    client = _english(app)
    sign_in_citizen(client, citizen)
    start = _main(client.get("/citizen/changes/"))
    assert "a move: when the municipality approves it" in start and "has died" not in start
    # A citizen cannot report their own death.
    client.get("/citizen/changes/leave/reason?start=new")
    bad = client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    assert "Choose one of the answers shown" in bad.get_data(as_text=True)
    client.get("/citizen/changes/move/inside?start=new")
    client.post("/citizen/changes/move/inside", data={"inside": "yes"})
    client.post(
        "/citizen/changes/move/address",
        data={"address": "Nyvej 2", "postcode": "4100", "city": "Nordby"},
    )
    client.post("/citizen/changes/move/date", data={"effective_on": "2026-12-10"})
    check = _main(client.get("/citizen/changes/move/check"))
    assert "If the municipality approves this request" in check
    r = client.post("/citizen/changes/move/check")
    receipt = _main(client.get(r.location))
    assert "An approved change is waiting" in receipt
    move = db.scalar(select(ChangeRequest).where(ChangeRequest.kind == "move"))
    assert move.supersedes_id == switch.id

    staff = _english(app)
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(staff, coordinator)
    detail = _main(staff.get(f"/coordinator/changes/{move.id}"))
    assert "If you approve this request" in detail and switch.reference in detail
    bad = staff.post(f"/coordinator/changes/{move.id}/approve", data={"effective_on": "x"})
    assert bad.status_code == 200
    db.expire_all()
    assert db.get(ChangeRequest, switch.id).status == "approved"
    r = staff.post(
        f"/coordinator/changes/{move.id}/approve",
        data={"effective_on": "2026-12-10", "provider": ""},
        follow_redirects=True,
    )
    text = _main(r)
    assert f"Request {switch.reference} has been cancelled, because this request replaces" in text
    db.expire_all()
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    assert "Replaced by a later request" in _main(staff.get(f"/coordinator/changes/{switch.id}"))


def test_another_citizens_relative_cannot_see_or_decide_it(app, db, town):
    citizen = fitted_citizen(db, town)
    other = fitted_citizen(db, town)
    db.commit()
    switch = _waiting_switch(app, db, town, citizen)
    mine = _relative(app, citizen)
    mine.get("/citizen/changes/leave/reason?start=new")
    mine.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    mine.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole"})
    mine.post("/citizen/changes/leave/date", data={"effective_on": "2026-11-24"})
    death_url = mine.post("/citizen/changes/leave/check").location
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.kind == "leave"))

    stranger = _relative(app, other)
    assert stranger.get(death_url).status_code == 404
    assert stranger.get(f"/citizen/changes/r/{switch.reference}").status_code == 404
    # The stranger's own citizen has nothing waiting: no death report replaces anything there.
    assert "Has something happened" not in _main(stranger.get("/citizen/changes/"))
    for url in (f"/coordinator/changes/{death.id}", f"/coordinator/changes/{switch.id}"):
        assert stranger.get(url).status_code in (302, 303, 403)
    refused = stranger.post(
        f"/coordinator/changes/{death.id}/approve", data={"effective_on": "2026-11-24"}
    )
    assert refused.status_code in (302, 303, 403)
    db.expire_all()
    assert db.get(ChangeRequest, death.id).status == "pending"


def test_the_date_a_relative_gives_for_a_death_is_when_home_care_stops_not_the_date_of_death(
    app, db, town
):
    citizen = fitted_citizen(db, town)
    db.commit()
    client = _relative(app, citizen)
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole, 20 30 40 50"})
    page = _main(client.get("/citizen/changes/leave/date"))
    assert "From which date should home care and the keys stop?" in page
    assert "Usually today. This is not the date of death" in page
    past = _main(client.post("/citizen/changes/leave/date", data={"effective_on": "2026-11-20"}))
    assert "This is not the date of death" in past  # the refusal keeps the explanation
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "care_ended"})
    ended = _main(client.get("/citizen/changes/leave/date"))
    assert f"From which date does the home care of {citizen.name} end?" in ended
    assert "date of death" not in ended
