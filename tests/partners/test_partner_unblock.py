"""A partner admin unblocks their own company's courier from a confirmed page, with the provider
pages' words and service; anyone else gets a 404 (another company's admin) or a 403 / sign-in."""

import re

from sqlalchemy import select

from portal.access.models import Device
from portal.access.staff import create_enrolment_code, enrol_device
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.consent.models import PartnerCompany
from portal.keys import Phone, public_key_to_pem
from tests.access.support import make_staff
from tests.factories import NOW, PASSWORD, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.partners.support import make_building
from tests.web.support import csrf_token_of, english_client

HX = {"HX-Request": "true"}


def _client(app, user):
    client = english_client(app)
    sign_in_staff(client, user)
    return client


def _text(response):
    return response.get_data(as_text=True)


def _admin_of(db, company):
    return make_user(db, "partner_admin", partner_company_id=company.id)


def _blocked(client, db, member):
    assert client.post(f"/partner/staff/{member.id}/block").status_code == 303
    db.refresh(member)
    assert not member.active
    return member


def _words(html: str) -> list[str]:
    """The paragraphs of the confirmation step, without its form."""
    block = html.split('class="confirm-block', 1)[1].split("<form", 1)[0]
    return [re.sub(r"\s+", " ", p).strip() for p in re.findall(r"<p>(.*?)</p>", block, re.S)]


def test_a_partner_admin_unblocks_their_courier_with_a_confirmed_form(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    db.commit()
    client = _client(app, admin)
    member = _blocked(client, db, b.courier)
    detail = _text(client.get(f"/partner/staff/{member.id}"))
    url = f"/partner/staff/{member.id}/unblock"
    assert "Unblock the courier" in detail and f'href="{url}"' in detail
    confirm = client.get(url)
    page = _text(confirm)
    assert confirm.status_code == 200 and "<html" in page and "Yes, unblock" in page
    assert "<h1>Unblock courier</h1>" in page
    assert "Keys issued before the block stay revoked" in page
    assert "Phones blocked on their own stay blocked." in page
    assert f'href="/partner/staff/{member.id}">No, go back' in page
    done = client.post(url)
    assert done.status_code == 303 and done.location.endswith(f"/partner/staff/{member.id}")
    db.refresh(member)
    assert member.active
    after = _text(client.get(done.location))
    assert "is unblocked and can start shifts again" in after
    assert "lifts the block at the locks" in after and "Block the courier" in after
    record = db.scalar(select(AuditRecord).where(AuditRecord.action == "staff_unblocked"))
    assert record.object_id == str(member.id) and f"user:{admin.id}" in record.actor
    again = client.post(url)  # a second click: nothing to unblock, and it says so
    assert again.status_code == 303 and "is not blocked" in _text(client.get(again.location))
    assert (
        db.scalar(select(AuditRecord.id).where(AuditRecord.action == "staff_unblocked").offset(1))
        is None
    )


def test_the_words_are_the_provider_pages_words(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    provider_admin = make_user(db, "provider_admin", provider_id=b.world.municipal.id)
    db.commit()
    partner = _client(app, admin)
    _blocked(partner, db, b.courier)
    provider = _client(app, provider_admin)
    assert provider.post(f"/provider/staff/{b.home_care.id}/block").status_code == 303
    theirs = _words(_text(partner.get(f"/partner/staff/{b.courier.id}/unblock")))
    ours = _words(_text(provider.get(f"/provider/staff/{b.home_care.id}/unblock")))
    name = re.escape(b.courier.name)
    assert len(theirs) == 4
    assert [re.sub(name, "NAME", p) for p in theirs] == [
        re.sub(re.escape(b.home_care.name), "NAME", p) for p in ours
    ]


def test_a_blocked_phone_stays_blocked_and_the_page_says_how_to_enrol_a_new_one(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    plain, _ = create_enrolment_code(db, b.courier, now=NOW, actor=SYSTEM)
    device = enrol_device(db, plain, public_key_to_pem(Phone.generate().public_key), now=NOW)
    db.commit()
    client = _client(app, admin)
    confirm = _text(client.get(f"/partner/devices/{device.id}/block"))
    assert "Blocking a phone is final and cannot be undone." in confirm
    assert "enrol it again as a new phone on the courier" in confirm
    assert client.post(f"/partner/devices/{device.id}/block").status_code == 303
    staff_confirm = " ".join(_words(_text(client.get(f"/partner/staff/{b.courier.id}/block"))))
    assert "You can unblock Per Post later" in staff_confirm and "final" not in staff_confirm
    _blocked(client, db, b.courier)
    blocked_page = _text(client.get(f"/partner/staff/{b.courier.id}"))
    assert "The block is final." in blocked_page and 'href="#enrol-phone"' not in blocked_page
    assert client.post(f"/partner/staff/{b.courier.id}/unblock").status_code == 303
    db.expire_all()
    assert db.get(Device, device.id).status == "blocked"  # the phone's own block is final
    page = _text(client.get(f"/partner/staff/{b.courier.id}"))
    assert "The block is final." in page and "A found phone is enrolled again" in page
    assert 'href="#enrol-phone"' in page and 'id="enrol-phone"' in page


def test_a_partner_admin_unblocks_with_htmx(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    db.commit()
    client = _client(app, admin)
    member = _blocked(client, db, b.courier)
    url = f"/partner/staff/{member.id}/unblock"
    fragment = client.get(url, headers=HX)
    assert fragment.status_code == 200 and "<html" not in _text(fragment)
    assert "Yes, unblock" in _text(fragment)
    done = client.post(url, headers=HX)
    assert done.status_code == 204
    assert done.headers["HX-Redirect"].endswith(f"/partner/staff/{member.id}")
    db.refresh(member)
    assert member.active


def test_only_the_companys_own_admin_may_unblock(app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    other = PartnerCompany(name="Anden Post", created_at=NOW)
    db.add(other)
    db.flush()
    stranger = _admin_of(db, other)
    unlinked = make_user(db, "partner_admin")
    db.commit()
    _blocked(_client(app, admin), db, b.courier)
    provider_admin = _client(app, make_user(db, "provider_admin", provider_id=b.world.municipal.id))
    assert provider_admin.post(f"/provider/staff/{b.home_care.id}/block").status_code == 303
    db.commit()
    url = f"/partner/staff/{b.courier.id}/unblock"
    for user in (stranger, unlinked):
        client = _client(app, user)
        for headers in ({}, HX):
            assert client.get(url, headers=headers).status_code == 404
            assert client.post(url, headers=headers).status_code == 404
        # Home-care staff are never a partner admin's, on either page.
        home_care = f"/partner/staff/{b.home_care.id}/unblock"
        assert client.get(home_care).status_code == 404
        assert client.post(home_care).status_code == 404
        assert client.post(f"/provider/staff/{b.home_care.id}/unblock").status_code == 403
    for path in ("/partner/staff/999999/unblock", "/partner/staff/99999999999/unblock"):
        assert _client(app, admin).get(path).status_code == 404
    for role in ("provider_admin", "coordinator", "locksmith", "owner"):
        client = _client(app, make_user(db, role))
        db.commit()
        assert client.get(url).status_code == 403, role
        assert client.post(url).status_code == 403, role
        hx = client.post(url, headers=HX)  # htmx would not show a 403: to the sign-in page
        assert hx.status_code == 204 and "/sign-in" in hx.headers["HX-Redirect"], role
    citizen = english_client(app)
    sign_in_citizen(citizen, b.citizen)
    assert citizen.get(url).status_code == 403 and citizen.post(url).status_code == 403
    anonymous = english_client(app).post(url)
    assert anonymous.status_code in (302, 303) and "/sign-in/staff" in anonymous.location
    db.expire_all()
    assert not b.courier.active and not b.home_care.active
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "staff_unblocked")) is None


def test_the_unblock_needs_the_csrf_token(make_app, db, clock):
    b = make_building(db)
    admin = _admin_of(db, b.company)
    make_staff(db, [b.world.team_north])
    db.commit()
    fresh = make_app(WTF_CSRF_ENABLED=True)
    client = english_client(fresh)
    token = csrf_token_of(_text(client.get("/sign-in/staff")))
    signed = client.post(
        "/sign-in/staff", data={"email": admin.email, "password": PASSWORD, "csrf_token": token}
    )
    assert signed.status_code == 303
    page = _text(client.get(f"/partner/staff/{b.courier.id}/block"))
    assert (
        client.post(
            f"/partner/staff/{b.courier.id}/block", data={"csrf_token": csrf_token_of(page)}
        ).status_code
        == 303
    )
    url = f"/partner/staff/{b.courier.id}/unblock"
    assert client.post(url).status_code == 400
    assert client.post(url, data={"csrf_token": "forged"}).status_code == 400
    db.expire_all()
    assert not b.courier.active
    token = csrf_token_of(_text(client.get(url)))
    assert client.post(url, data={"csrf_token": token}).status_code == 303
    db.expire_all()
    assert b.courier.active
