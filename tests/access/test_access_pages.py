"""Portal pages: create staff, enrolment code, block with a confirm step (htmx and plain),
unlock a PIN, register a lock unit, a lock's history, battery jobs."""

import re

import pytest
from sqlalchemy import select

from portal.access.models import Device, LockUnit, Staff
from portal.keys import Phone, es256, public_key_to_pem
from portal.locksmith.models import Job
from tests.access.support import NOW, citizen_in, make_lock, make_staff, make_visits, make_world
from tests.factories import make_property, make_user
from tests.helpers import sign_in_staff

HX = {"HX-Request": "true"}


@pytest.fixture
def admin_client(client, db):
    w = make_world(db)
    admin = make_user(db, "provider_admin", provider_id=w.municipal.id)
    db.commit()
    sign_in_staff(client, admin)
    client.world = w
    return client


@pytest.fixture
def coordinator_client(client, db):
    w = make_world(db)
    user = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, user)
    client.world = w
    return client


def test_create_staff_shows_the_pin_once_and_keeps_input_on_errors(admin_client, db):
    w = admin_client.world
    empty = admin_client.post(
        "/provider/staff/new", data={"first_name": "Ida", "staff_number": "bad number!"}
    )
    page = empty.get_data(as_text=True)
    assert empty.status_code == 200 and "Ida" in page and 'aria-invalid="true"' in page
    assert "<title>" in page and page.count("error-summary") >= 1
    done = admin_client.post(
        "/provider/staff/new",
        data={
            "first_name": "Ida",
            "last_name": "Holm",
            "staff_number": "dk-77",
            "care_groups": [w.team_north.id, w.night.id],
        },
    )
    text = done.get_data(as_text=True)
    pin = re.search(r"<strong[^>]*>(\d{6})</strong>", text).group(1)
    member = db.scalar(select(Staff).where(Staff.staff_number == "DK-77"))
    assert member and {g.id for g in member.care_groups} == {w.team_north.id, w.night.id}
    assert pin not in admin_client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    dup = admin_client.post(
        "/provider/staff/new",
        data={
            "first_name": "A",
            "last_name": "B",
            "staff_number": "DK-77",
            "care_groups": [w.team_north.id],
        },
    )
    assert dup.status_code == 200 and 'id="staff_number-error"' in dup.get_data(as_text=True)


def test_coordinators_may_not_mix_providers(coordinator_client, db):
    w = coordinator_client.world
    mixed = coordinator_client.post(
        "/provider/staff/new",
        data={
            "first_name": "A",
            "last_name": "B",
            "staff_number": "M-1",
            "care_groups": [w.team_north.id, w.private_team.id],
        },
    )
    assert (
        mixed.status_code == 200
        and db.scalar(select(Staff).where(Staff.staff_number == "M-1")) is None
    )


def test_enrolment_code_fragment_and_page_and_it_enrols(admin_client, db):
    member = make_staff(db, [admin_client.world.team_north])
    url = f"/provider/staff/{member.id}/enrolment-code"
    fragment = admin_client.post(url, headers=HX).get_data(as_text=True)
    assert "<html" not in fragment and 'data-testid="enrolment-code"' in fragment
    page = admin_client.post(url).get_data(as_text=True)
    assert "<html" in page
    code = re.search(r'data-testid="enrolment-code">([A-Z0-9-]+)<', page).group(1)
    key = public_key_to_pem(Phone.generate().public_key)
    assert (
        admin_client.post(
            "/api/v1/enrolments", json={"enrolment_code": code, "public_key": key}
        ).status_code
        == 201
    )
    older = re.search(r'data-testid="enrolment-code">([A-Z0-9-]+)<', fragment).group(1)
    key2 = public_key_to_pem(Phone.generate().public_key)
    assert (
        admin_client.post(
            "/api/v1/enrolments", json={"enrolment_code": older, "public_key": key2}
        ).status_code
        == 403
    )


def _device(db, member):
    phone = Phone.generate()
    from portal.keys import thumbprint

    device = Device(
        public_id=f"dev_{member.id}_x",
        staff_id=member.id,
        public_key_pem=public_key_to_pem(phone.public_key),
        thumbprint=thumbprint(phone.public_key).hex(),
        enrolled_at=NOW,
    )
    db.add(device)
    db.commit()
    return device


def test_block_a_device_with_htmx_confirm_step(admin_client, db):
    member = make_staff(db, [admin_client.world.team_north])
    device = _device(db, member)
    url = f"/provider/devices/{device.id}/block"
    confirm = admin_client.get(url, headers=HX)
    assert confirm.status_code == 200 and "<html" not in confirm.get_data(as_text=True)
    assert "Vary" in confirm.headers and device.active
    done = admin_client.post(url, headers=HX)
    assert done.status_code == 204 and done.headers["HX-Redirect"].endswith(
        f"/provider/staff/{member.id}"
    )
    db.refresh(device)
    assert device.status == "blocked" and device.blocked_bulletin_seq >= 1
    page = admin_client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    assert f'data-bulletin-seq="{device.blocked_bulletin_seq}"' in page


def test_block_staff_with_a_plain_form(admin_client, db):
    member = make_staff(db, [admin_client.world.team_north])
    url = f"/provider/staff/{member.id}/block"
    page = admin_client.get(url)
    assert page.status_code == 200 and "<html" in page.get_data(as_text=True)
    done = admin_client.post(url)
    assert done.status_code == 303
    db.refresh(member)
    assert member.status == "blocked" and member.blocked_at and member.blocked_bulletin_seq
    detail = admin_client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    assert str(member.blocked_bulletin_seq) in detail
    assert "enrolment-code" not in detail  # a blocked member gets no new phone


def test_coordinator_unlocks_a_locked_pin(coordinator_client, db):
    member = make_staff(db, [coordinator_client.world.team_north])
    member.pin_locked, member.pin_locked_at, member.failed_pins = True, NOW, 5
    db.commit()
    assert "unlock-pin" in coordinator_client.get(f"/provider/staff/{member.id}").get_data(
        as_text=True
    )
    assert coordinator_client.post(f"/provider/staff/{member.id}/unlock-pin").status_code == 303
    db.refresh(member)
    assert not member.pin_locked and member.failed_pins == 0


def test_register_a_lock_unit_by_form(coordinator_client, db):
    w = coordinator_client.world
    citizen = citizen_in(db, w)
    building = make_property(db, district=w.north)
    db.commit()
    key = public_key_to_pem(es256.generate_private_key().public_key())
    bad = coordinator_client.post(
        "/coordinator/locks/new",
        data={
            "serial": "S-1",
            "kind": "door",
            "citizen": citizen.external_id,
            "public_key": "not a key",
        },
    )
    assert (
        bad.status_code == 200
        and "S-1" in bad.get_data(as_text=True)
        and 'aria-invalid="true"' in bad.get_data(as_text=True)
    )
    nobody = coordinator_client.post(
        "/coordinator/locks/new",
        data={"serial": "S-1", "kind": "door", "citizen": "nobody", "public_key": key},
    )
    assert nobody.status_code == 200 and db.scalar(select(LockUnit)) is None
    ok = coordinator_client.post(
        "/coordinator/locks/new",
        data={"serial": "S-1", "kind": "door", "citizen": citizen.external_id, "public_key": key},
    )
    assert ok.status_code == 303
    unit = db.scalar(select(LockUnit).where(LockUnit.serial == "S-1"))
    assert unit.citizen_id == citizen.id and unit.lock_id > 1000
    dup = coordinator_client.post(
        "/coordinator/locks/new",
        data={"serial": "S-1", "kind": "door", "citizen": citizen.external_id, "public_key": key},
    )
    assert dup.status_code == 200
    gate = coordinator_client.post(
        "/coordinator/locks/new",
        data={
            "serial": "G-1",
            "kind": "entrance",
            "entrance": str(building.entrances[0].id),
            "public_key": key,
        },
    )
    assert gate.status_code == 303
    assert coordinator_client.get("/coordinator/locks").status_code == 200


def test_lock_history_battery_and_battery_jobs(coordinator_client, db):
    w = coordinator_client.world
    unit, key = make_lock(db, citizen_in(db, w))
    member = make_staff(db, [w.team_north])
    make_visits(db, unit, key, member, count=2, battery=11)
    detail = coordinator_client.get(f"/coordinator/locks/{unit.id}").get_data(as_text=True)
    assert "11 %" in detail and member.name in detail
    assert "Jobs waiting at this lock" in detail or "Opgaver ved denne lås" in detail
    job = db.scalar(select(Job))
    assert job.kind == "battery" and f"/coordinator/jobs/{job.id}" in detail
    listed = coordinator_client.get("/coordinator/jobs?kind=battery").get_data(as_text=True)
    assert unit.citizen.address in listed
    assert coordinator_client.get("/coordinator/locks/999999").status_code == 404


@pytest.mark.parametrize(
    ("lang", "named", "question"),
    [
        ("da", "Telefon tilmeldt", "Spær denne telefon, som tilhører"),
        ("sv", "Telefon registrerad", "Spärra den här telefonen som tillhör"),
    ],
)
def test_a_phone_named_by_nobody_is_called_by_its_enrolment_day(
    admin_client, db, lang, named, question
):
    """Not by the start of its key id alone ("62f9b7f1f20d", which no admin can find a phone
    by); the key id stays beside the name. A phone named at enrolment keeps its name."""
    member = make_staff(db, [admin_client.world.team_north])
    device = _device(db, member)
    admin_client.get(f"/language/{lang}")
    page = admin_client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    key = device.thumbprint[:12]
    assert page.count(f"{named} ") >= 2 and f"<code>{key}</code>" in page  # row and button
    assert f'<th scope="row">{key}' not in page and f">{key}</p>" not in page
    confirm = admin_client.get(f"/provider/devices/{device.id}/block", headers=HX)
    text = confirm.get_data(as_text=True)
    assert f"{question} {member.name}?" in text and named in text and key in text
    device.label, device.model = "Bil 3", "Nokia G22"
    db.commit()
    page = admin_client.get(f"/provider/staff/{member.id}").get_data(as_text=True)
    assert "Bil 3 – Nokia G22" in page and named not in page


def test_blocking_what_is_blocked_already_says_so_instead_of_asking_again(admin_client, db):
    member = make_staff(db, [admin_client.world.team_north])
    device = _device(db, member)
    for url in (f"/provider/devices/{device.id}/block", f"/provider/staff/{member.id}/block"):
        assert admin_client.post(url).status_code == 303
        seq = db.scalar(select(Staff.blocked_bulletin_seq).where(Staff.id == member.id))
        again = admin_client.get(url)
        assert again.status_code == 303 and again.headers["Location"].endswith(
            f"/provider/staff/{member.id}"
        )
        page = admin_client.get(again.headers["Location"]).get_data(as_text=True)
        assert "spærret siden" in page  # the flash: blocked since when, in the page's Danish
        hx = admin_client.get(url, headers=HX)
        assert hx.status_code == 204 and hx.headers["HX-Redirect"].endswith(
            f"/provider/staff/{member.id}"
        )
        assert admin_client.post(url).status_code == 303  # a second POST changes nothing
        db.expire_all()
        assert db.scalar(select(Staff.blocked_bulletin_seq).where(Staff.id == member.id)) == seq
