"""Authorisation: provider admins see only their own provider; citizens only their own visits."""

import pytest

from portal.access.models import Device
from tests.access.support import NOW, citizen_in, make_lock, make_staff, make_visits, make_world
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff


@pytest.fixture
def two_providers(db):
    w = make_world(db)
    mine = make_staff(db, [w.team_north], number="MINE-1")
    mine.first_name = "Margrethe"
    theirs = make_staff(db, [w.private_team], number="THEIRS-1")
    theirs.first_name = "Bodil"
    device = Device(
        public_id="dev_theirs",
        staff_id=theirs.id,
        public_key_pem="-",
        thumbprint="ab" * 32,
        enrolled_at=NOW,
    )
    db.add(device)
    a, b = citizen_in(db, w), citizen_in(db, w, provider=w.private)
    unit_a, key_a = make_lock(db, a)
    unit_b, key_b = make_lock(db, b)
    make_visits(db, unit_a, key_a, mine)
    make_visits(db, unit_b, key_b, theirs)
    admin = make_user(db, "provider_admin", provider_id=w.municipal.id)
    db.commit()
    return {
        "w": w,
        "mine": mine,
        "theirs": theirs,
        "device": device,
        "admin": admin,
        "a": a,
        "b": b,
        "unit_a": unit_a,
    }


def test_a_provider_admin_sees_only_their_own_staff(client, two_providers):
    t = two_providers
    sign_in_staff(client, t["admin"])
    page = client.get("/provider/staff").get_data(as_text=True)
    assert "MINE-1" in page and "THEIRS-1" not in page
    assert (
        client.get(f"/provider/staff?provider={t['w'].private.id}")
        .get_data(as_text=True)
        .count("THEIRS-1")
        == 0
    )
    assert client.get(f"/provider/staff/{t['mine'].id}").status_code == 200
    assert client.get(f"/provider/staff/{t['theirs'].id}").status_code == 404
    assert client.get(f"/provider/devices/{t['device'].id}/block").status_code == 404
    assert client.post(f"/provider/devices/{t['device'].id}/block").status_code == 404
    assert client.post(f"/provider/staff/{t['theirs'].id}/block").status_code == 404
    assert client.post(f"/provider/staff/{t['theirs'].id}/enrolment-code").status_code == 404


def test_a_provider_admin_sees_only_their_own_visits(client, two_providers):
    t = two_providers
    sign_in_staff(client, t["admin"])
    page = client.get("/provider/visits").get_data(as_text=True)
    assert "MINE-1" in page and "THEIRS-1" not in page and "Bodil" not in page
    forced = client.get(f"/provider/visits?provider={t['w'].private.id}").get_data(as_text=True)
    assert "THEIRS-1" not in forced and "Bodil" not in forced


def test_a_provider_admin_cannot_create_staff_in_another_providers_group(client, db, two_providers):
    t = two_providers
    sign_in_staff(client, t["admin"])
    response = client.post(
        "/provider/staff/new",
        data={
            "first_name": "X",
            "last_name": "Y",
            "staff_number": "X-1",
            "care_groups": [t["w"].private_team.id],
        },
    )
    assert response.status_code == 200 and "X-1" not in client.get("/provider/staff").get_data(
        as_text=True
    )


def test_a_citizen_sees_only_their_own_visit_log(client, two_providers):
    t = two_providers
    sign_in_citizen(client, t["a"])
    page = client.get("/citizen/").get_data(as_text=True)
    assert "Margrethe" in page and "Bodil" not in page
    assert client.get("/provider/visits").status_code == 403
    assert client.get(f"/coordinator/citizens/{t['b'].id}").status_code in (403, 404)


def test_pages_refuse_other_roles(client, db, two_providers):
    t = two_providers
    for role in ("locksmith", "owner"):
        user = make_user(db, role)
        db.commit()
        sign_in_staff(client, user)
        for url in (
            "/provider/staff",
            "/provider/visits",
            "/coordinator/locks",
            "/coordinator/jobs",
            f"/provider/staff/{t['mine'].id}",
            f"/coordinator/locks/{t['unit_a'].id}",
        ):
            assert client.get(url).status_code == 403, (role, url)
        client.post("/sign-out")
    sign_in_staff(client, t["admin"])
    assert client.get("/coordinator/locks").status_code == 403
    assert client.post(f"/provider/staff/{t['mine'].id}/unlock-pin").status_code == 403


def test_anonymous_visitors_are_sent_to_sign_in(client, two_providers):
    response = client.get("/provider/staff")
    assert response.status_code in (302, 303) and "/sign-in/staff" in response.headers["Location"]


def test_a_coordinator_sees_everyone(client, db, two_providers):
    t = two_providers
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    page = client.get("/provider/staff").get_data(as_text=True)
    assert "MINE-1" in page and "THEIRS-1" in page
    detail = client.get(f"/coordinator/citizens/{t['a'].id}").get_data(as_text=True)
    assert "Margrethe" in detail and str(t["unit_a"].lock_id) in detail
