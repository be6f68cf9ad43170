"""Reading a citizen's record is audited: citizen.viewed with purpose and page."""

from datetime import timedelta

from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.reading import PURPOSES, VIEW_WINDOW, VIEWED, citizen_viewed
from portal.audit.services import Actor
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff

ANNA = Actor("user", 3, "Anna")


def _viewed(db, citizen_id=None):
    db.expire_all()
    stmt = select(AuditRecord).where(AuditRecord.action == VIEWED).order_by(AuditRecord.seq)
    if citizen_id is not None:
        stmt = stmt.where(AuditRecord.object_id == str(citizen_id))
    return db.scalars(stmt).all()


def test_the_service_writes_one_record_per_user_and_citizen_per_window(db, now):
    first = citizen_viewed(db, ANNA, 5, page="citizens.detail", purpose="case_handling", now=now)
    assert first is not None
    assert (first.object_type, first.object_id, first.action) == ("citizen", "5", VIEWED)
    assert first.data == {"purpose": "case_handling", "page": "citizens.detail"}
    again = now + VIEW_WINDOW - timedelta(seconds=1)
    assert citizen_viewed(db, ANNA, 5, page="letters.preview_html", purpose="x", now=again) is None
    # Another citizen, another user, or after the window: written.
    assert citizen_viewed(db, ANNA, 6, page="p", purpose="case_handling", now=again)
    assert citizen_viewed(db, Actor("user", 4, "Bo"), 5, page="p", purpose="x", now=again)
    assert citizen_viewed(db, ANNA, 5, page="p", purpose="x", now=now + VIEW_WINDOW)
    db.commit()
    assert len(_viewed(db)) == 4


def test_every_purpose_has_a_label():
    from portal.audit.reading import DEFAULT_PURPOSE, ROLE_PURPOSE

    assert set(ROLE_PURPOSE.values()) | {DEFAULT_PURPOSE} <= set(PURPOSES)


def test_opening_the_citizen_page_is_audited_once(client, db, clock):
    citizen = make_citizen(db)
    user = make_user(db, "coordinator")
    sign_in_staff(client, user)
    assert client.get(f"/coordinator/citizens/{citizen.id}").status_code == 200
    assert client.get(f"/coordinator/citizens/{citizen.id}").status_code == 200
    rows = _viewed(db, citizen.id)
    assert len(rows) == 1
    assert rows[0].actor == user.actor.describe()
    assert rows[0].data == {"purpose": "case_handling", "page": "citizens.detail"}
    clock.advance(VIEW_WINDOW + timedelta(seconds=1))
    client.get(f"/coordinator/citizens/{citizen.id}")
    assert len(_viewed(db, citizen.id)) == 2


def test_a_page_that_does_not_exist_is_not_audited(client, db, clock):
    sign_in_staff(client, make_user(db, "coordinator"))
    assert client.get("/coordinator/citizens/999999").status_code == 404
    assert _viewed(db) == []


def test_the_letter_preview_and_the_change_form_are_audited(client, db, clock):
    citizen = make_citizen(db)
    other = make_citizen(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    assert client.get(f"/coordinator/letters/preview/{citizen.id}").status_code == 200
    assert client.get(f"/coordinator/citizens/{other.id}/changes/switch").status_code == 200
    assert [r.data["page"] for r in _viewed(db, citizen.id)] == ["letters.preview_html"]
    assert [r.data["page"] for r in _viewed(db, other.id)] == ["changes.register"]


def test_a_citizen_reading_their_own_page_is_not_audited(client, db, clock):
    citizen = make_citizen(db)
    sign_in_citizen(client, citizen)
    assert client.get("/citizen/").status_code == 200
    assert _viewed(db) == []


def test_the_browser_shows_the_purpose(client, db, clock):
    citizen = make_citizen(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    client.get("/language/en")
    client.get(f"/coordinator/citizens/{citizen.id}")
    html = client.get(f"/coordinator/audit?object_type=citizen&object_id={citizen.id}").get_data(
        as_text=True
    )
    assert "citizen.viewed" in html and "Case handling" in html
