"""The partner pages over HTTP: coordinators approve and suspend, owners open entrances and
block companies, partner admins manage their couriers and phones; each sees only their own."""

from sqlalchemy import select

from portal.access.models import Device, Staff
from portal.access.staff import create_enrolment_code, enrol_device
from portal.audit.services import SYSTEM
from portal.consent.models import PartnerCompany
from portal.keys import Phone, public_key_to_pem
from tests.factories import NOW, make_citizen, make_property, make_user
from tests.helpers import sign_in_staff
from tests.partners.support import make_building
from tests.web.support import english_client

XSS = '<script>alert(1)</script>=cmd|" /C calc"!A0'


def _client(app, user):
    client = english_client(app)
    sign_in_staff(client, user)
    return client


def test_a_coordinator_approves_suspends_and_makes_an_admin(app, db, clock):
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = _client(app, coordinator)
    assert client.get("/coordinator/partners/new").status_code == 200
    made = client.post(
        "/coordinator/partners/new",
        data={"name": XSS, "org_number": "1234 5678", "categories": ["post", "parcels"]},
    )
    assert made.status_code == 303
    company = db.scalar(select(PartnerCompany))
    assert company.name == XSS and company.categories == ["parcels", "post"]
    page = client.get(made.location).get_data(as_text=True)
    assert "<script>alert(1)" not in page and "&lt;script&gt;" in page
    listing = client.get("/coordinator/partners").get_data(as_text=True)
    assert "Parcels, Post" in listing
    saved = client.post(
        f"/coordinator/partners/{company.id}/categories", data={"categories": ["post"]}
    )
    assert saved.status_code == 303
    db.refresh(company)
    assert company.categories == ["post"]
    assert (
        client.post(
            f"/coordinator/partners/{company.id}/suspend", data={"action": "suspend"}
        ).status_code
        == 303
    )
    db.refresh(company)
    assert not company.active
    client.post(f"/coordinator/partners/{company.id}/suspend", data={"action": "reinstate"})
    db.refresh(company)
    assert company.active
    admin = client.post(
        f"/coordinator/partners/{company.id}/admins",
        data={"admin_name": "Ada", "admin_email": "ada@post.example"},
    )
    body = admin.get_data(as_text=True)
    assert admin.status_code == 200 and 'data-testid="admin-password"' in body
    again = client.post(
        f"/coordinator/partners/{company.id}/admins",
        data={"admin_name": "Ada", "admin_email": "ada@post.example"},
    )
    assert "Another account signs in with this email" in again.get_data(as_text=True)


def test_bad_input_on_the_coordinator_pages(app, db, clock):
    client = _client(app, make_user(db, "coordinator"))
    db.commit()
    missing = client.post("/coordinator/partners/new", data={"org_number": "abc", "email": "nope"})
    text = missing.get_data(as_text=True)
    assert missing.status_code == 200
    for message in (
        "Enter the company&#39;s name",
        "Use only digits, spaces and dashes",
        "Enter an email address",
    ):
        assert message in text
    assert 'value="abc"' in text  # the form comes back filled in
    long = client.post("/coordinator/partners/new", data={"name": "x" * 201})
    assert "Error" in long.get_data(as_text=True)
    unknown = client.post(
        "/coordinator/partners/new", data={"name": "A", "categories": ["laundry"]}
    )
    assert unknown.status_code == 200 and db.scalar(select(PartnerCompany)) is None
    for path in ("/coordinator/partners/999999", "/coordinator/partners/99999999999"):
        assert client.get(path).status_code == 404
    assert client.post("/coordinator/partners/999999/suspend").status_code == 404


def test_an_owner_opens_an_entrance_blocks_a_company_and_reads_passages(app, db, clock):
    b = make_building(db, window=None)
    owner = make_user(db, "owner", owner_organisation_id=b.prop.owner_id)
    db.commit()
    client = _client(app, owner)
    page = client.get("/owner/partners").get_data(as_text=True)
    assert "Postbud A/S" in page and b.entrance.label in page and "Closed to partners." in page
    url = f"/owner/partners/entrances/{b.entrance.id}"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"post_days": ["0"], "post_from": "9:00", "post_to": "8:00"})
    assert "The end must be later than the start" in bad.get_data(as_text=True)
    assert 'value="9:00"' in bad.get_data(as_text=True)
    nonsense = client.post(url, data={"post_days": ["0"], "post_from": "25:00", "post_to": XSS})
    text = nonsense.get_data(as_text=True)
    assert "Enter a time such as 07:00" in text and "<script>alert" not in text
    wrong_day = client.post(url, data={"post_days": ["9"], "post_from": "8:00", "post_to": "9:00"})
    assert "Choose weekdays from the list" in wrong_day.get_data(as_text=True)
    ok = client.post(url, data={"post_days": ["0", "2"], "post_from": "7.30", "post_to": "12:00"})
    assert ok.status_code == 303
    page = client.get("/owner/partners").get_data(as_text=True)
    assert "Post: Monday 07:30–12:00" in page and "Post: Wednesday 07:30–12:00" in page
    blocked = client.post(
        f"/owner/partners/companies/{b.company.id}/block", data={"action": "block"}
    )
    assert blocked.status_code == 303
    assert "Blocked by you" in client.get("/owner/partners").get_data(as_text=True)
    client.post(f"/owner/partners/companies/{b.company.id}/block", data={"action": "unblock"})
    assert "Blocked by you" not in client.get("/owner/partners").get_data(as_text=True)
    closed = client.post(f"/owner/partners/entrances/{b.entrance.id}/close")
    assert closed.status_code == 303
    assert "Closed to partners." in client.get("/owner/partners").get_data(as_text=True)
    passages = client.get("/owner/partners/passages")
    assert passages.status_code == 200


def test_who_passed_names_couriers_and_leaves_home_care_out(app, db, clock):
    """Home care's openings are not the owner's business, not even as "home care" at a time:
    with one citizen behind a gate their times are that citizen's care schedule."""
    from datetime import timedelta

    from tests.access.support import make_lock, make_visits

    b = make_building(db)
    make_visits(db, b.gate[0], b.gate[1], b.courier, start=NOW)
    second_unit, second_key = make_lock(db, entrance=b.entrance)
    make_visits(db, second_unit, second_key, b.home_care, start=NOW + timedelta(hours=2))
    owner = make_user(db, "owner", owner_organisation_id=b.prop.owner_id)
    stranger = make_user(db, "owner", owner_organisation_id=make_property(db).owner_id)
    db.commit()
    page = _client(app, owner).get("/owner/partners/passages").get_data(as_text=True)
    assert "Postbud A/S: Per Post" in page
    assert "<td>Home care" not in page and page.count("<tr>") == 2  # the header and the courier
    assert b.home_care.last_name not in page.replace("Per Post", "")
    other = _client(app, stranger).get("/owner/partners/passages").get_data(as_text=True)
    assert "Postbud" not in other and b.prop.address not in other


def test_a_new_owner_does_not_read_the_passages_from_before_the_sale(app, db, clock):
    from datetime import timedelta

    from tests.access.support import make_visits

    b = make_building(db)
    make_visits(db, b.gate[0], b.gate[1], b.courier, start=NOW - timedelta(days=3))
    b.prop.owner_since = NOW - timedelta(days=1)  # bought after that opening
    owner = make_user(db, "owner", owner_organisation_id=b.prop.owner_id)
    db.commit()
    page = _client(app, owner).get("/owner/partners/passages").get_data(as_text=True)
    assert "Per Post" not in page


def test_an_owner_never_sees_another_organisations_entrance(app, db, clock):
    b = make_building(db)
    stranger = make_user(db, "owner", owner_organisation_id=make_property(db).owner_id)
    lonely = make_user(db, "owner")
    db.commit()
    for user in (stranger, lonely):
        client = _client(app, user)
        assert client.get(f"/owner/partners/entrances/{b.entrance.id}").status_code == 404
        assert client.post(f"/owner/partners/entrances/{b.entrance.id}/close").status_code == 404
        assert b.prop.address not in client.get("/owner/partners").get_data(as_text=True)
    assert (
        _client(app, lonely).post(f"/owner/partners/companies/{b.company.id}/block").status_code
        == 404
    )
    assert _client(app, stranger).get("/owner/partners/entrances/99999999999").status_code == 404


def _admin_of(db, company):
    return make_user(db, "partner_admin", partner_company_id=company.id)


def test_a_partner_admin_manages_couriers_and_blocks_a_phone(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    db.commit()
    client = _client(app, admin)
    listing = client.get("/partner/staff").get_data(as_text=True)
    assert "Per Post" in listing and b.home_care.staff_number not in listing
    made = client.post(
        "/partner/staff/new", data={"first_name": "Ib", "last_name": "Bud", "staff_number": "pb-7"}
    )
    assert made.status_code == 200 and "PB-7" in made.get_data(as_text=True)
    member = db.scalar(select(Staff).where(Staff.staff_number == "PB-7"))
    assert member.partner_company_id == b.company.id and member.provider_id is None
    dup = client.post(
        "/partner/staff/new", data={"first_name": "I", "last_name": "B", "staff_number": "PB-7"}
    )
    assert "Another staff member has this number" in dup.get_data(as_text=True)
    code = client.post(f"/partner/staff/{member.id}/enrolment-code")
    assert 'data-testid="enrolment-code"' in code.get_data(as_text=True)
    plain, _ = create_enrolment_code(db, member, now=NOW, actor=SYSTEM)
    device = enrol_device(db, plain, public_key_to_pem(Phone.generate().public_key), now=NOW)
    db.commit()
    assert client.get(f"/partner/devices/{device.id}/block").status_code == 200
    blocked = client.post(f"/partner/devices/{device.id}/block")
    assert blocked.status_code == 303
    db.refresh(device)
    assert not device.active and device.blocked_bulletin_seq
    assert client.post(f"/partner/staff/{member.id}/block").status_code == 303
    db.refresh(member)
    assert not member.active


def test_a_partner_admin_sees_only_their_own_company_and_never_citizens(app, db, clock):
    b = make_building(db)
    other = PartnerCompany(name="Anden Post", created_at=NOW)
    db.add(other)
    db.flush()
    admin = _admin_of(db, other)
    unlinked = make_user(db, "partner_admin")
    citizen = make_citizen(db)
    db.commit()
    client = _client(app, admin)
    device = Device(
        public_id="dev_x",
        staff_id=b.courier.id,
        public_key_pem="x",
        thumbprint="ab" * 32,
        enrolled_at=NOW,
    )
    db.add(device)
    db.commit()
    for path in (
        f"/partner/staff/{b.courier.id}",
        f"/partner/staff/{b.home_care.id}",
        f"/partner/devices/{device.id}/block",
        "/partner/staff/99999999999",
    ):
        assert client.get(path).status_code == 404, path
    assert client.post(f"/partner/staff/{b.courier.id}/block").status_code == 404
    assert client.post(f"/partner/staff/{b.courier.id}/enrolment-code").status_code == 404
    assert "Per Post" not in client.get("/partner/staff").get_data(as_text=True)
    for path in (
        "/coordinator/citizens",
        f"/coordinator/citizens/{citizen.id}",
        "/provider/staff",
        "/provider/visits",
        f"/provider/staff/{b.courier.id}",
        "/owner/partners",
        "/owner/partners/passages",
        "/coordinator/partners",
        "/locksmith/",
    ):
        assert client.get(path).status_code == 403, path
    lonely = _client(app, unlinked)
    assert lonely.get("/partner/staff").status_code == 200
    assert lonely.get("/partner/staff/new").status_code == 404


def test_a_provider_admin_and_a_coordinator_do_not_manage_couriers_on_the_provider_pages(
    app, db, clock
):
    b = make_building(db)
    coordinator = make_user(db, "coordinator")
    provider_admin = make_user(db, "provider_admin", provider_id=b.world.municipal.id)
    db.commit()
    for user in (coordinator, provider_admin):
        client = _client(app, user)
        assert client.get(f"/provider/staff/{b.courier.id}").status_code == 404
        assert "Per Post" not in client.get("/provider/staff").get_data(as_text=True)
        assert client.get(f"/partner/staff/{b.courier.id}").status_code == 403


def test_a_coordinator_sees_the_couriers_and_unlocks_a_pin(app, db, clock):
    b = make_building(db)
    b.courier.pin_locked, b.courier.failed_pins = True, 5
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = _client(app, coordinator)
    page = client.get(f"/coordinator/partners/{b.company.id}").get_data(as_text=True)
    assert "Per Post" in page and "PIN locked" in page
    done = client.post(f"/coordinator/partners/couriers/{b.courier.id}/unlock-pin")
    assert done.status_code == 303
    db.refresh(b.courier)
    assert not b.courier.pin_locked and b.courier.failed_pins == 0
    assert (
        client.post(f"/coordinator/partners/couriers/{b.home_care.id}/unlock-pin").status_code
        == 404
    )
    assert client.post("/coordinator/partners/couriers/99999999999/unlock-pin").status_code == 404
    admin = _client(app, _admin_of(db, b.company))
    db.commit()
    assert (
        admin.post(f"/coordinator/partners/couriers/{b.courier.id}/unlock-pin").status_code == 403
    )
