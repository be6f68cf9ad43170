"""The pages of a death reported while an approved end of care (or move away) waits for its
date: the relative's home card and change page offer the report instead of only "phone the
municipality", the check page says the approved change is cancelled at once and when the care
stops, the receipt says it was, and the coordinator's page says that nothing stops the care
until the death is approved, and by when, in English, Danish and Swedish."""

from datetime import date

import pytest
from sqlalchemy import select

from portal.changes import decisions, services
from portal.changes.models import ChangeRequest
from tests.changes.support import COORDINATOR, fitted_citizen, make_town, policy
from tests.changes.test_supersede_undecided_views import _coordinator, _main, _relative
from tests.factories import NOW
from tests.helpers import sign_in_citizen
from tests.web.support import isolated_client

ENDS = date(2026, 12, 5)


@pytest.fixture
def town(db, clock):
    made = make_town(db)
    db.commit()
    return made


def _approved(app, db, citizen, kind, **details):
    p = policy(app)
    req = services.submit(
        db,
        citizen,
        kind,
        services.Details(effective_on=ENDS, **details),
        source="citizen",
        now=NOW,
        actor=COORDINATOR,
        policy=p,
    )
    decisions.approve(db, req, effective_on=ENDS, now=NOW, actor=COORDINATOR, policy=p)
    db.commit()
    return req


def _report_death(client, day="2026-12-15"):
    client.get("/citizen/changes/leave/reason?start=new")
    client.post("/citizen/changes/leave/reason", data={"reason": "deceased"})
    client.post("/citizen/changes/leave/detail", data={"estate_contact": "Ole Olsen"})
    client.post("/citizen/changes/leave/date", data={"effective_on": day})


def test_a_relative_reports_a_death_past_an_approved_end_of_care(app, db, town):
    citizen = fitted_citizen(db, town)
    db.commit()
    ending = _approved(app, db, citizen, "leave", reason="care_ended")
    ref, name = ending.reference, citizen.name
    client = _relative(app, citizen)
    home = _main(client.get("/citizen/"))
    assert f"If {name} has died, report it here" in home
    assert f"Report that {name} has died" in home and "is moving" not in home
    start = _main(client.get("/citizen/changes/"))
    assert f"Has {name} died?" in start
    assert f"the approved change {ref} is cancelled at once" in start
    assert f"Request {ref} ends the care from 5 December 2026" in start
    assert "that home care is ending: when the municipality approves it" not in start
    # Only a death replaces it: another end of care is not offered.
    refused = client.post("/citizen/changes/leave/reason", data={"reason": "care_ended"})
    assert "Choose one of the answers shown" in refused.get_data(as_text=True)
    _report_death(client)
    check = _main(client.get("/citizen/changes/leave/check"))
    assert f"When you send this, the approved change {ref} (" in check
    assert (
        f"Request {ref} already says that the care ends from 5 December 2026, before the date "
        "you gave. A death does not make the care last longer, so home care and the keys stop "
        "from 5 December 2026." in check
    )
    sent = client.post("/citizen/changes/leave/check")
    assert sent.status_code == 303
    receipt = _main(client.get(sent.location))
    assert "The approved change has been cancelled" in receipt
    assert "this request stops home care and the keys from 5 December 2026" in receipt
    db.expire_all()
    assert db.get(ChangeRequest, ending.id).status == "cancelled"
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.reason == "deceased"))
    assert death.effective_on == ENDS
    old = _main(client.get(f"/citizen/changes/r/{ref}"))
    assert "Replaced by a later request" in old


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "nothing stops home care and the keys until you approve this report"),
        ("da", "så intet stopper hjemmeplejen og nøglerne, før du godkender denne anmodning"),
        (
            "sv",
            "så ingenting stoppar hemtjänsten och nycklarna förrän du godkänner det här ärendet",
        ),
    ],
)
def test_the_coordinator_is_told_the_care_goes_on_until_the_death_is_approved(
    app, db, town, language, words
):
    citizen = fitted_citizen(db, town)
    db.commit()
    ending = _approved(app, db, citizen, "leave", reason="care_ended")
    _report_death(client := _relative(app, citizen))
    assert client.post("/citizen/changes/leave/check").status_code == 303
    death = db.scalar(select(ChangeRequest).where(ChangeRequest.reason == "deceased"))
    page = _main(_coordinator(app, db, language).get(f"/coordinator/changes/{death.id}"))
    assert ending.reference in page and words in page, page
    day = {"en": "5 December 2026", "da": "5. december 2026", "sv": "5 december 2026"}
    assert page.count(day[language]) >= 3  # the warning, the stop sentence and the date hint


@pytest.mark.parametrize(
    ("language", "words"),
    [
        ("en", "If {name} has died, report it here"),
        ("da", "Hvis {name} er død, kan du melde det her"),
        ("sv", "Om {name} har avlidit kan du meddela det här"),
    ],
)
def test_a_relative_with_an_approved_move_away_is_offered_the_death(app, db, town, language, words):
    citizen = fitted_citizen(db, town)
    db.commit()
    away = _approved(
        app, db, citizen, "move", inside=False, address="Fjernvej 1", postcode="9999", city="F"
    )
    client = _relative(app, citizen, language)
    start = _main(client.get("/citizen/changes/"))
    assert words.format(name=citizen.name) in start and away.reference in start
    # The citizen themself is not offered it: only a relative reports a death.
    mine = isolated_client(app)
    mine.environ_base["HTTP_ACCEPT_LANGUAGE"] = language
    sign_in_citizen(mine, citizen)
    html = mine.get("/citizen/changes/").get_data(as_text=True)
    assert words.format(name=citizen.name) not in html and "/leave/reason" not in html
