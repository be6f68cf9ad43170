"""The locksmith's pages after the browser review: one checklist message, a note that says when
it is required, phone numbers as tel: links, and buttons whose names have no stray space."""

import re

from portal.booking.models import Appointment
from tests.booking.support import make_world
from tests.helpers import sign_in_staff
from tests.locksmith.test_views import CHECKS, _pem, _today_job

CHECK_DA = "Sæt flueben ved alle punkter på tjeklisten"


def test_an_unticked_checklist_is_reported_once_on_the_fieldset(db, client):
    world = make_world(db)
    job = _today_job(db, world)
    sign_in_staff(client, world.locksmiths[0])
    url = f"/locksmith/jobs/{job.id}/complete"
    body = client.post(url, data={"serial": "SN-9", "public_key": _pem()}).get_data(as_text=True)
    # Once in the error summary, once next to the checklist: never once per box.
    assert body.count(CHECK_DA) == 2
    main = body.split('<form method="post" action="/locksmith', 1)[1]
    assert main.count(CHECK_DA) == 1 and 'id="checklist-error"' in main
    fieldset = re.search(r"<fieldset([^>]*)>", main).group(1)
    assert "checklist-error" in fieldset
    assert 'aria-invalid="true"' not in main
    assert 'href="#turns_both_ways"' in body
    # Some boxes ticked: the summary leads to the first one left empty.
    some = {"turns_both_ways": "y", "battery_read": "y"}
    again = client.post(url, data={"serial": "SN-9", "public_key": _pem(), **some})
    body = again.get_data(as_text=True)
    assert body.count(CHECK_DA) == 2 and 'href="#door_closes"' in body
    assert re.search(r'id="turns_both_ways"[^>]*checked', body)
    # Another field wrong and the checklist complete: no checklist message at all.
    bad = client.post(url, data={"serial": "", "public_key": _pem(), **CHECKS})
    assert CHECK_DA not in bad.get_data(as_text=True)
    db.expire_all()
    assert db.get(Appointment, job.appointment_id).status == "booked"


def test_the_note_says_when_it_is_required_and_other_needs_it(db, client):
    world = make_world(db)
    job = _today_job(db, world)
    sign_in_staff(client, world.locksmiths[0])
    url = f"/locksmith/jobs/{job.id}/fail"
    page = client.get(url).get_data(as_text=True)
    label = re.search(r'<label class="form-label" for="note">(.*?)</label>', page, re.S).group(1)
    assert "skal udfyldes" in label and "anden årsag" in label and "valgfri" not in label
    need_note = client.post(url, data={"reason": "other", "note": "  "}).get_data(as_text=True)
    assert need_note.count("Skriv en kort bemærkning") == 2  # summary and field
    assert 'id="note-error"' in need_note
    db.expire_all()
    assert db.get(Appointment, job.appointment_id).status == "booked"
    assert (
        client.post(url, data={"reason": "other", "note": "Døren er for tynd"}).status_code == 303
    )


def test_my_day_phone_is_a_link_and_buttons_name_the_citizen_cleanly(db, client):
    world = make_world(db)
    job = _today_job(db, world)
    sign_in_staff(client, world.locksmiths[0])
    page = client.get("/locksmith/").get_data(as_text=True)
    assert '<a href="tel:+4520123456">20 12 34 56</a>' in page
    name = world.citizens[0].name
    assert f'aria-label="Afslut opgaven: {name}"' in page
    assert f'aria-label="Kunne ikke montere: {name}"' in page
    assert '<span class="sr-only">:' not in page
    assert f"/locksmith/jobs/{job.id}/complete" in page
