"""The partner services, one transition at a time: companies, categories, suspension, admins,
owner windows, closing an entrance, blocks; each narrowing revokes the keys it touches."""

from datetime import time, timedelta

import pytest
from sqlalchemy import select

from portal.access.models_keys import Bulletin, RevocationEntry, ShiftKey
from portal.accounts.models import User
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.consent import partner_queries, partners
from portal.consent.models import PartnerBlock, PartnerWindow
from tests.access.support import enrol, start_shift
from tests.factories import NOW, make_property
from tests.partners.support import make_building


def _actions(db):
    return [r.action for r in db.scalars(select(AuditRecord).order_by(AuditRecord.id))]


def test_create_a_company_with_categories_and_refuse_a_duplicate_number(db, clock):
    company = partners.create_company(
        db,
        name=" Avis ApS ",
        org_number="12345678",
        categories=["newspapers", "post"],
        email=" INFO@AVIS.DK ",
        now=NOW,
        actor=SYSTEM,
    )
    assert company.name == "Avis ApS" and company.email == "info@avis.dk"
    assert company.categories == ["newspapers", "post"] and company.active
    with pytest.raises(partners.DuplicateOrgNumber):
        partners.create_company(db, name="X", org_number="12345678", now=NOW, actor=SYSTEM)
    with pytest.raises(partners.UnknownCategory):
        partners.create_company(db, name="Y", categories=["laundry"], now=NOW, actor=SYSTEM)
    assert "partner_company_created" in _actions(db)


def test_categories_suspension_and_reinstatement(db, clock):
    company = partners.create_company(
        db, name="Kasse", categories=["meal_boxes"], now=NOW, actor=SYSTEM
    )
    partners.set_categories(db, company, ["meal_boxes", "pharmacy"], now=NOW, actor=SYSTEM)
    assert company.categories == ["meal_boxes", "pharmacy"]
    partners.suspend_company(db, company, now=NOW, actor=SYSTEM)
    partners.suspend_company(db, company, now=NOW, actor=SYSTEM)  # twice: no change
    assert not company.active and company.suspended_at == NOW
    assert partner_queries.approved_by_category(db)["pharmacy"] == []
    partners.reinstate_company(db, company, now=NOW, actor=SYSTEM)
    assert company.active and partner_queries.approved_by_category(db)["pharmacy"] == [company]
    actions = _actions(db)
    assert (
        actions.count("partner_company_suspended") == 1 and "partner_company_reinstated" in actions
    )


def test_a_partner_admin_account_is_made_once_per_email(db, clock):
    company = partners.create_company(db, name="Pakke", now=NOW, actor=SYSTEM)
    user, password = partners.create_partner_admin(
        db, company, name="Ada Admin", email="Ada@Pakke.dk", now=NOW, actor=SYSTEM
    )
    assert user.role == "partner_admin" and user.partner_company_id == company.id
    assert user.email == "ada@pakke.dk" and len(password) >= 12
    with pytest.raises(partners.EmailInUse):
        partners.create_partner_admin(
            db, company, name="B", email="ada@pakke.dk", now=NOW, actor=SYSTEM
        )
    assert db.scalar(select(User).where(User.email == "ada@pakke.dk")) is user


def test_owner_windows_replace_and_check(db, clock):
    entrance = make_property(db).entrances[0]
    partners.set_entrance_windows(
        db,
        entrance,
        [("post", 0, time(7), time(9)), ("parcels", 2, time(10), time(14))],
        now=NOW,
        actor=SYSTEM,
    )
    got = [(w.category, w.weekday) for w in partner_queries.windows_of(db, entrance.id)]
    assert got == [("parcels", 2), ("post", 0)]
    partners.set_entrance_windows(
        db, entrance, [("post", 0, time(7), time(9))], now=NOW, actor=SYSTEM
    )
    assert len(partner_queries.windows_of(db, entrance.id)) == 1
    for bad in (
        [("laundry", 0, time(7), time(9))],
        [("post", 7, time(7), time(9))],
        [("post", 0, time(9), time(7))],
        [("post", "0", time(7), time(9))],
        [("post", 0, time(7), time(9)), ("post", 0, time(10), time(11))],
    ):
        with pytest.raises(partners.PartnerError):
            partners.set_entrance_windows(db, entrance, bad, now=NOW, actor=SYSTEM)
    partners.close_entrance(db, entrance, now=NOW, actor=SYSTEM)
    assert partner_queries.windows_of(db, entrance.id) == []


def test_block_and_unblock_are_idempotent(db, clock):
    prop = make_property(db)
    company = partners.create_company(db, name="Post", categories=["post"], now=NOW, actor=SYSTEM)
    first = partners.block_company(db, prop.owner_id, company.id, now=NOW, actor=SYSTEM)
    assert partners.block_company(db, prop.owner_id, company.id, now=NOW, actor=SYSTEM) is first
    assert partner_queries.blocked_company_ids(db, prop.owner_id) == {company.id}
    partners.unblock_company(db, prop.owner_id, company.id, now=NOW, actor=SYSTEM)
    assert db.scalar(select(PartnerBlock)) is None


@pytest.fixture
def issued(client, db, clock):
    """A courier holding a key for the building's entrance."""
    b = make_building(db)
    phone, device_id = enrol(client, db, b.courier, now=NOW)
    response = start_shift(
        client, phone, device_id, b.courier.staff_number, timestamp=NOW.timestamp()
    )
    assert response.status_code == 201, response.get_json()
    return b


def _key(db, b):
    return db.scalar(select(ShiftKey).where(ShiftKey.staff_id == b.courier.id))


@pytest.mark.parametrize(
    "narrow",
    [
        lambda db, b: partners.suspend_company(db, b.company, now=NOW, actor=SYSTEM),
        lambda db, b: partners.set_categories(db, b.company, ["parcels"], now=NOW, actor=SYSTEM),
        lambda db, b: partners.block_company(
            db, b.prop.owner_id, b.company.id, now=NOW, actor=SYSTEM
        ),
        lambda db, b: partners.close_entrance(db, b.entrance, now=NOW, actor=SYSTEM),
        lambda db, b: partners.set_entrance_windows(
            db, b.entrance, [("post", 0, time(8), time(10))], now=NOW, actor=SYSTEM
        ),
    ],
    ids=["suspend", "category", "owner_block", "close", "narrow_window"],
)
def test_every_narrowing_revokes_the_key_in_a_new_bulletin(db, issued, narrow):
    b = issued
    before = db.scalar(select(Bulletin.seq).order_by(Bulletin.seq.desc()).limit(1)) or 0
    narrow(db, b)
    key = _key(db, b)
    assert key.revoked and key.revoked_at == NOW
    entry = db.scalar(select(RevocationEntry).where(RevocationEntry.value == key.cti))
    assert entry.kind == "cti" and entry.until == key.expires_at
    assert entry.bulletin_seq > before
    assert "partner_keys_revoked" in _actions(db)


@pytest.mark.parametrize(
    "widen",
    [
        lambda db, b: partners.set_categories(
            db, b.company, ["post", "parcels"], now=NOW, actor=SYSTEM
        ),
        lambda db, b: partners.set_entrance_windows(
            db,
            b.entrance,
            [("post", 0, time(8), time(12)), ("post", 1, time(8), time(12))],
            now=NOW,
            actor=SYSTEM,
        ),
        lambda db, b: partners.block_company(
            db, make_property(db).owner_id, b.company.id, now=NOW, actor=SYSTEM
        ),
        lambda db, b: partners.close_entrance(
            db, make_property(db).entrances[0], now=NOW, actor=SYSTEM
        ),
    ],
    ids=["more_categories", "more_windows", "other_owner_blocks", "other_entrance_closed"],
)
def test_what_does_not_narrow_this_key_leaves_it_alone(db, issued, widen):
    widen(db, issued)
    assert not _key(db, issued).revoked


def test_a_window_row_is_checked_by_the_database(db, clock):
    from sqlalchemy.exc import IntegrityError

    entrance = make_property(db).entrances[0]
    db.add(
        PartnerWindow(
            entrance_id=entrance.id,
            category="post",
            weekday=1,
            starts=time(9),
            ends=time(8),
            created_at=NOW,
        )
    )
    with pytest.raises(IntegrityError):
        db.flush()
    db.rollback()


def test_a_key_expired_before_the_narrowing_is_left_alone(db, issued, clock):
    b = issued
    key = _key(db, b)
    key.expires_at = NOW - timedelta(minutes=1)
    db.flush()
    partners.suspend_company(db, b.company, now=NOW, actor=SYSTEM)
    assert not key.revoked
