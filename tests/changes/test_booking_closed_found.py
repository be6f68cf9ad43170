"""Once care is ending the coordinator still finds the citizen: the phone booking's search lists
them (page and live search) without a choice to book, saying why in words that name the request,
with a link to it; the follow-up list says the same instead of "Book a new time" (en, da, sv)."""

import html
import re
from datetime import timedelta

from portal.booking import services as booking
from portal.changes import decisions, services
from portal.citizens import lifecycle
from portal.locksmith.services import job_of_appointment
from tests.booking.support import make_world
from tests.changes.support import CITIZEN, COORDINATOR, NOW, on, policy
from tests.changes.test_booking_closed_board import LANGUAGES, WORDS, _coordinator, report_death

HTMX = {"HX-Request": "true"}
FOUND = {
    "en": ("Found, but no time can be booked: care is ending", "Open request {ref}"),
    "da": ("Fundet, men der kan ikke bookes en tid: plejen slutter", "Åbn anmodning {ref}"),
    "sv": ("Hittades, men ingen tid kan bokas: omsorgen upphör", "Öppna ärende {ref}"),
}


def _text(markup: str) -> str:
    return html.unescape(" ".join(re.sub(r"<[^>]+>", " ", markup).split()))


def _matches(markup: str) -> str:
    found = re.search(r'<div id="matches">.*', markup, re.S)
    assert found, "no #matches in the answer"
    return found.group(0)


@LANGUAGES
def test_the_phone_search_finds_a_citizen_whose_care_is_ending(app, db, clock, language):
    world = make_world(db, citizens=2, now=NOW)
    ending, other = world.citizens
    req = report_death(app, db, ending)
    client = _coordinator(app, db, language)
    words = WORDS[language].format(name=ending.name, ref=req.reference)
    url = f"/coordinator/slots/{world.slots(db)[1].id}/book"
    for query, headers in (("", {}), (ending.name, {}), (ending.name, HTMX)):
        answer = client.get(url, query_string={"q": query}, headers=headers)
        assert answer.status_code == 200
        found = _matches(answer.get_data(as_text=True))
        assert ending.name in found and words in _text(found), (query, headers)
        assert f'href="/coordinator/changes/{req.id}"' in found
        heading, link = FOUND[language]
        assert heading in _text(found) and link.format(ref=req.reference) in _text(found)
        assert f'value="{ending.id}"' not in found  # not offered to book
    page = client.get(url).get_data(as_text=True)
    assert f'name="citizen" value="{other.id}"' in page  # the others are still offered


def test_only_citizens_whose_care_is_ending_match(app, db, clock):
    """A search that finds only them says why, not "no citizen matches"; an approved end of
    care names its date."""
    world = make_world(db, citizens=2, now=NOW)
    ending = world.citizens[0]
    ending.name = "Zelda Zacharias"
    details = on("2026-12-18", reason="care_ended")
    req = services.submit(
        db, ending, "leave", details, source="citizen", now=NOW, actor=CITIZEN, policy=policy(app)
    )
    decisions.approve(
        db, req, effective_on=details.effective_on, now=NOW, actor=COORDINATOR, policy=policy(app)
    )
    db.commit()
    client = _coordinator(app, db, "en")
    url = f"/coordinator/slots/{world.slots(db)[1].id}/book"
    markup = _matches(client.get(url, query_string={"q": ending.name}).get_data(as_text=True))
    found = _text(markup)
    assert (
        f"No time can be booked or moved for {ending.name}: care is ending on 18 December 2026 "
        f"(request {req.reference})." in found
    ), found
    assert "No citizen without a booking matches" not in found, found
    assert 'name="citizen"' not in markup  # nobody else matches, and she is not offered


def failed_fitting(db, world, citizen, slot: int):
    """The citizen's fitting in slot `slot` failed (on the follow-up list); committed."""
    booked = booking.book_slot(
        db, citizen.id, world.slots(db)[slot].id, now=NOW, cutoff=timedelta(0)
    )
    booked.status = "failed"
    lifecycle.fitting_failed(citizen)
    job = job_of_appointment(db, booked.id)
    job.status, job.reason = "failed", "not_home"
    job.reported_at, job.reported_by = NOW, world.locksmiths[0].id
    db.commit()
    return job


def _row(markup: str, job_id: int) -> str:
    found = re.search(rf'<tr id="follow-up-{job_id}"[^>]*>(.*?)</tr>', markup, re.S)
    assert found, f"job {job_id} is not in the follow-up list"
    return found.group(1)


@LANGUAGES
def test_the_follow_up_list_says_why_instead_of_book_a_new_time(app, db, clock, language):
    world = make_world(db, citizens=2, now=NOW)
    ending, other = world.citizens
    job = failed_fitting(db, world, ending, 0)
    other_job = failed_fitting(db, world, other, 1)
    req = report_death(app, db, ending)
    client = _coordinator(app, db, language)
    page = client.get("/coordinator/follow-up").get_data(as_text=True)
    row = _row(page, job.id)
    assert WORDS[language].format(name=ending.name, ref=req.reference) in _text(row)
    assert f'href="/coordinator/changes/{req.id}"' in row
    assert FOUND[language][1].format(ref=req.reference) in _text(row)
    assert "/coordinator/schedule" not in row  # no "Book a new time"
    assert f"citizen={other.id}" in _row(page, other_job.id)  # still offered for the other
