"""Campaign pages: create, availability with affected bookings, progress, lists."""

from datetime import timedelta

from sqlalchemy import select

from portal.booking import services
from portal.booking.models import Availability, Slot
from portal.citizens import lifecycle
from portal.locksmith.services import job_of_appointment
from portal.rollout.models import Campaign
from tests.booking.support import TZ, make_world
from tests.factories import NOW, make_citizen, make_district, make_user
from tests.helpers import sign_in_staff


def _coordinator(db, client):
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    return user


def test_create_a_campaign_then_add_availability(db, client, clock):
    district = make_district(db, name="Nordby")
    smith = make_user(db, "locksmith")
    _coordinator(db, client)
    start = NOW.astimezone(TZ).date() + timedelta(days=7)  # a Monday, 30 November 2026
    response = client.post(
        "/coordinator/campaigns/new",
        data={
            "name": "Nordby forår",
            "district": str(district.id),
            "starts_on": start.isoformat(),
            "ends_on": (start + timedelta(days=13)).isoformat(),
            "day_start": "08:00",
            "day_end": "12:00",
            "weekdays": ["0", "1", "2", "3", "4"],
            "slot_minutes": "20",
            "buffer_minutes": "10",
            "open_now": "y",
        },
    )
    assert response.status_code == 303
    campaign = db.scalar(select(Campaign))
    assert campaign.status == "running" and campaign.weekdays == "01234"
    url = f"/coordinator/campaigns/{campaign.id}/availability/new"
    form = client.get(url).get_data(as_text=True)
    assert 'value="08:00"' in form
    response = client.post(
        url,
        data={
            "locksmith": str(smith.id),
            "campaign": str(campaign.id),
            "weekdays": ["0", "2"],
            "day_start": "09:00",
            "day_end": "11:00",
            "starts_on": "",
            "ends_on": "",
        },
    )
    assert response.status_code == 303
    slots = db.scalars(select(Slot)).all()
    assert slots and {s.local_date.weekday() for s in slots} <= {0, 2}
    page = client.get(f"/coordinator/campaigns/{campaign.id}").get_data(as_text=True)
    # Weekday names as Danish writes them in a list (lower case), times as "09.00".
    assert smith.name in page and "mandag og onsdag" in page and "09.00–11.00" in page


def test_shortening_hours_lists_affected_bookings_for_rebooking(db, client, clock):
    world = make_world(db)
    _coordinator(db, client)
    late = world.slots(db)[-1]
    booked = services.book_slot(db, world.citizens[0].id, late.id, now=NOW)
    availability = db.scalar(select(Availability))
    response = client.post(
        f"/coordinator/availability/{availability.id}",
        data={
            "locksmith": str(availability.locksmith_id),
            "campaign": str(world.campaign.id),
            "weekdays": list("01234"),
            "day_start": "08:00",
            "day_end": "10:00",
            "starts_on": world.campaign.starts_on.isoformat(),
            "ends_on": world.campaign.ends_on.isoformat(),
            "version": str(availability.version),
        },
    )
    assert response.status_code == 303
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "skal have en ny tid" in page and world.citizens[0].name in page
    assert f"/coordinator/appointments/{booked.id}/move" in page
    board = client.get(
        f"/coordinator/schedule?campaign={world.campaign.id}&day={late.local_date.isoformat()}"
    ).get_data(as_text=True)
    assert "Skal have ny tid" in board


def test_overlapping_availability_is_explained_on_the_form(db, client, clock):
    world = make_world(db)
    _coordinator(db, client)
    response = client.post(
        f"/coordinator/campaigns/{world.campaign.id}/availability/new",
        data={
            "locksmith": str(world.locksmiths[0].id),
            "campaign": str(world.campaign.id),
            "weekdays": ["0"],
            "day_start": "08:00",
            "day_end": "09:00",
        },
    )
    assert response.status_code == 200
    assert "arbejder allerede i" in response.get_data(as_text=True)


def test_remove_availability_keeps_bookings(db, client, clock):
    world = make_world(db)
    _coordinator(db, client)
    booked = services.book_slot(
        db, world.citizens[0].id, world.slots(db)[0].id, now=NOW, cutoff=timedelta(0)
    )
    availability = db.scalar(select(Availability))
    confirm = client.get(f"/coordinator/availability/{availability.id}/remove")
    assert "Ja, fjern dem" in confirm.get_data(as_text=True)
    # The page says before the removal how many bookings will need a new time
    assert "1 kommende booking bliver bevaret" in confirm.get_data(as_text=True)
    removed = client.post(
        f"/coordinator/availability/{availability.id}/remove",
        data={"version": str(availability.version)},
        follow_redirects=True,
    )
    assert removed.status_code == 200
    db.expire_all()
    assert booked.status == "booked"
    page = removed.get_data(as_text=True)
    assert world.citizens[0].name in page
    # A removal is reported as one, not as "saved", and the booking is said to be in the
    # removed hours (not "outside the new hours")
    assert "Arbejdstiderne er fjernet" in page and "er gemt" not in page
    assert "lå i de fjernede arbejdstider" in page


def test_remove_availability_without_bookings_to_come_says_nobody_needs_a_new_time(
    db, client, clock
):
    make_world(db)
    _coordinator(db, client)
    availability = db.scalar(select(Availability))
    page = client.get(f"/coordinator/availability/{availability.id}/remove").get_data(as_text=True)
    assert "ingen skal have en ny tid" in page and "kommende booking bliver" not in page


def test_progress_chart_and_table(db, client, clock):
    world = make_world(db, citizens=4)
    _coordinator(db, client)
    lifecycle.letter_sent(world.citizens[1])
    lifecycle.fitted(world.citizens[2])
    lifecycle.fitting_failed(world.citizens[3])
    db.commit()
    page = client.get("/coordinator/campaigns").get_data(as_text=True)
    assert (
        "<svg" in page
        and 'role="img"' in page
        and "style=" not in page.split("<svg")[1].split("</svg>")[0]
    )
    assert world.district.name in page and "<table" in page
    from portal.rollout.services import progress

    row = next(r for r in progress(db) if r.district.id == world.district.id)
    assert (row.total, row.letters_sent, row.fitted, row.failed, row.not_booked) == (4, 3, 1, 1, 2)


def test_not_booked_list_has_phone_numbers_and_pages(app, db, client, clock):
    world = make_world(db, citizens=3)
    _coordinator(db, client)
    for _ in range(30):
        make_citizen(db, district=world.district)
    db.commit()
    services.book_slot(
        db, world.citizens[0].id, world.slots(db)[0].id, now=NOW, cutoff=timedelta(0)
    )
    page = client.get(f"/coordinator/campaigns/{world.campaign.id}/not-booked").get_data(
        as_text=True
    )
    assert "32 borgere" in page and "tel:+4520123456" in page and "20 12 34 56" in page
    assert world.citizens[0].name not in page or page.count(world.citizens[0].name) == 0
    second = client.get(f"/coordinator/campaigns/{world.campaign.id}/not-booked?page=2")
    assert second.status_code == 200


def test_follow_up_lists_failed_jobs_until_rebooked(db, client, clock):
    world = make_world(db, citizens=1)
    _coordinator(db, client)
    citizen = world.citizens[0]
    booked = services.book_slot(db, citizen.id, world.slots(db)[0].id, now=NOW, cutoff=timedelta(0))
    booked.status = "failed"
    lifecycle.fitting_failed(citizen)
    job = job_of_appointment(db, booked.id)
    job.status, job.reason, job.note = "failed", "other", "Døren er for tynd"
    job.reported_at, job.reported_by = NOW, world.locksmiths[0].id
    db.commit()
    page = client.get("/coordinator/follow-up").get_data(as_text=True)
    assert citizen.name in page and "Døren er for tynd" in page and "Anden årsag" in page
    assert f"/coordinator/schedule?campaign={booked.slot.campaign_id}" in page  # rebook there
    services.book_slot(db, citizen.id, world.slots(db)[1].id, now=NOW, cutoff=timedelta(0))
    db.commit()
    assert citizen.name not in client.get("/coordinator/follow-up").get_data(as_text=True)
