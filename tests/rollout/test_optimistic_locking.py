"""Two coordinators edit the same availability or campaign at once: no lost update.

Each edit form carries the version it was read at; a save at an older version is refused with
a message, the user's input kept and the saved state shown; two saves racing past the check
are stopped by the versioned UPDATE (StaleDataError)."""

import re

import pytest
from sqlalchemy import func, select, update

from portal.audit.models import AuditRecord
from portal.booking import planning
from portal.booking.models import Availability
from portal.rollout import services as rollout
from portal.rollout.models import Campaign
from portal.unit_of_work import STALE, ChangedElsewhere
from tests.booking.support import TZ, make_world
from tests.conftest import isolated_client
from tests.factories import make_user
from tests.helpers import sign_in_staff

CHANGED_DA = "En anden har ændret"


def _two_coordinators(app, db):
    clients = []
    for _ in range(2):
        user = make_user(db, "coordinator")
        db.commit()
        client = isolated_client(app)
        sign_in_staff(client, user)
        clients.append(client)
    return clients


def _form(html: str) -> dict:
    version = re.search(r'name="version"[^>]*value="(\d+)"|value="(\d+)"[^>]*name="version"', html)
    return {"version": next(g for g in version.groups() if g)}


def _data(world, availability, version, day_end):
    return {
        "locksmith": str(availability.locksmith_id),
        "campaign": str(world.campaign.id),
        "weekdays": list("01234"),
        "day_start": "08:00",
        "day_end": day_end,
        "starts_on": world.campaign.starts_on.isoformat(),
        "ends_on": world.campaign.ends_on.isoformat(),
        "version": version,
    }


def test_the_second_save_of_an_availability_is_refused_and_keeps_the_input(app, db):
    world = make_world(db)
    availability = db.scalar(select(Availability))
    url = f"/coordinator/availability/{availability.id}"
    anna, bo = _two_coordinators(app, db)
    seen_a = _form(anna.get(url).get_data(as_text=True))
    seen_b = _form(bo.get(url).get_data(as_text=True))
    assert seen_a == seen_b == {"version": "1"}
    assert anna.post(url, data=_data(world, availability, "1", "13:00")).status_code == 303
    response = bo.post(url, data=_data(world, availability, "1", "14:15"))
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert CHANGED_DA in html and "Fejl:" in html
    assert 'value="14:15"' in html  # what Bo typed is still in the form
    saved_part = html.split("Gemt af en anden")[1].split("Dine ændringer")[0]
    assert "08.00–13.00" in saved_part  # Anna's saved hours, shown beside Bo's form
    assert _form(html) == {"version": "2"}
    db.expire_all()
    saved = db.get(Availability, availability.id)
    assert saved.day_end.strftime("%H:%M") == "13:00" and saved.version == 2
    # Having seen Anna's change, Bo saves again on purpose: now his hours win.
    assert bo.post(url, data=_data(world, availability, "2", "14:15")).status_code == 303
    db.expire_all()
    assert db.get(Availability, availability.id).day_end.strftime("%H:%M") == "14:15"


@pytest.mark.parametrize("version", ["", "abc", "-1", "0", "99999999999", "1.0", "７"])
def test_an_availability_save_without_a_readable_version_is_not_saved(app, db, version):
    world = make_world(db)
    availability = db.scalar(select(Availability))
    (anna, _bo) = _two_coordinators(app, db)
    url = f"/coordinator/availability/{availability.id}"
    response = anna.post(url, data=_data(world, availability, version, "13:00"))
    assert response.status_code == 200 and CHANGED_DA in response.get_data(as_text=True)
    db.expire_all()
    assert db.get(Availability, availability.id).day_end.strftime("%H:%M") != "13:00"


def test_the_service_refuses_an_old_version(db):
    world = make_world(db)
    availability = db.scalar(select(Availability))
    with pytest.raises(ChangedElsewhere):
        _save_at(db, world, availability, availability.version + 1)


def test_two_saves_racing_past_the_check_stop_at_the_versioned_update(db):
    world = make_world(db)
    availability = db.scalar(select(Availability))
    assert availability.version == 1
    # Another request saves between this one's check and its write (Core: the ORM copy in
    # this session still says version 1).
    db.execute(
        update(Availability.__table__)
        .where(Availability.__table__.c.id == availability.id)
        .values(version=2)
    )
    with pytest.raises(STALE):
        _save_at(db, world, availability, 1)
    db.rollback()


def test_a_campaign_status_change_at_an_old_version_changes_nothing(app, db):
    world = make_world(db)
    url = f"/coordinator/campaigns/{world.campaign.id}"
    anna, bo = _two_coordinators(app, db)
    assert _form(anna.get(url).get_data(as_text=True)) == {"version": "1"}
    assert _form(bo.get(url).get_data(as_text=True)) == {"version": "1"}
    closed = anna.post(f"{url}/status", data={"status": "closed", "version": "1"})
    assert closed.status_code == 303
    late = bo.post(f"{url}/status", data={"status": "draft", "version": "1"})
    assert late.status_code == 303
    page = bo.get(late.headers["Location"]).get_data(as_text=True)
    assert CHANGED_DA in page and "Lukket" in page
    db.expire_all()
    assert db.get(Campaign, world.campaign.id).status == "closed"
    changes = select(func.count()).where(AuditRecord.action == "campaign_status")
    assert db.scalar(changes) == 1
    # Without a version (an old page) nothing changes either.
    assert bo.post(f"{url}/status", data={"status": "running"}).status_code == 303
    db.expire_all()
    assert db.get(Campaign, world.campaign.id).status == "closed"
    # At the current version the change goes through.
    ok = bo.post(f"{url}/status", data={"status": "running", "version": "2"})
    assert ok.status_code == 303
    db.expire_all()
    assert db.get(Campaign, world.campaign.id).status == "running"


def test_set_status_service_checks_the_version(db):
    world = make_world(db)
    with pytest.raises(ChangedElsewhere):
        rollout.set_status(
            db, world.campaign.id, "closed", now=world_now(), actor=rollout_actor(),
            expected_version=7,
        )  # fmt: skip
    assert rollout.set_status(
        db, world.campaign.id, "closed", now=world_now(), actor=rollout_actor(),
        expected_version=1,
    ).status == "closed"  # fmt: skip


def _save_at(db, world, availability, version):
    window = planning.Window(
        world.campaign.starts_on, world.campaign.ends_on, "01234", *_hours("08:00", "11:00")
    )
    return planning.save_availability(
        db,
        campaign_id=world.campaign.id,
        locksmith_id=availability.locksmith_id,
        window=window,
        now=world_now(),
        actor=rollout_actor(),
        country="DK",
        tz=TZ,
        availability_id=availability.id,
        expected_version=version,
    )


def _hours(start: str, end: str):
    from datetime import time

    return time.fromisoformat(start), time.fromisoformat(end)


def world_now():
    from portal import clock

    return clock.now()


def rollout_actor():
    from portal.audit.services import SYSTEM

    return SYSTEM


def test_removing_an_availability_changed_since_the_page_was_read_asks_again(app, db):
    """Bo opens "remove?" while Anna changes the hours: Bo's confirmation was for the old
    hours, so nothing is removed; he sees the new hours and may confirm again."""
    world = make_world(db)
    availability = db.scalar(select(Availability))
    aid = availability.id
    edit, remove = (
        f"/coordinator/availability/{availability.id}",
        f"/coordinator/availability/{availability.id}/remove",
    )
    anna, bo = _two_coordinators(app, db)
    seen = _form(bo.get(remove).get_data(as_text=True))
    assert seen == {"version": "1"}
    assert anna.post(edit, data=_data(world, availability, "1", "13:00")).status_code == 303
    response = bo.post(remove, data=seen)
    html = response.get_data(as_text=True)
    assert response.status_code == 200
    assert CHANGED_DA in html and "Fejl:" in html and "08.00–13.00" in html
    assert _form(html) == {"version": "2"}
    db.expire_all()
    assert db.get(Availability, availability.id) is not None
    assert bo.post(remove, data={}).status_code == 200  # no version: never removed blind
    for bad in ("x", "-1", "1.5", "9" * 5000, "<script>"):
        assert bo.post(remove, data={"version": bad}).status_code == 200, bad[:10]
    assert db.get(Availability, availability.id) is not None
    assert bo.post(f"/coordinator/availability/{aid + 999}/remove", data=seen).status_code == 404
    assert bo.post(remove, data=_form(html)).status_code == 303
    db.expunge_all()
    assert db.get(Availability, aid) is None


def test_the_planning_service_refuses_a_removal_at_an_old_version(db):
    make_world(db)
    availability = db.scalar(select(Availability))
    with pytest.raises(ChangedElsewhere):
        planning.remove_availability(
            db, availability.id, now=availability.created_at, actor=None, expected_version=7
        )
