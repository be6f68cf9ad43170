"""Following up declined and withdrawn consent: the board's list, the register's status filter
(kept in the URL, read by index), the owner's form filled in with their name and naming the time
a message is about, and the questions' times to the minute."""

import re
from datetime import timedelta

import pytest
from sqlalchemy import text

from portal.consent import decisions, queries
from portal.consent.models import ConsentQuestion
from portal.extensions import db as _db
from tests.consent.owner_support import Org, signature
from tests.consent.test_owner_views import grant_data
from tests.consent.test_register_pages import coordinator  # noqa: F401 (fixture)
from tests.factories import NOW, make_citizen, make_district
from tests.helpers import sign_in_staff
from tests.web.support import english_client


@pytest.fixture
def refused(app, db, keyring, clock):
    """Org's first building: entrance 1 declined (in Swedish) a day ago, entrance 2 granted and
    withdrawn today; the second building still waits."""
    org = Org(db, keyring)
    district = make_district(db, name="Nordby")
    make_district(db, name="Sydby")
    org.first.district_id = district.id
    make_citizen(db, district=district, property_id=org.first.id)
    one, two = org.first.entrances
    common = {"signer_name": "Hanne Hansen", "signer_role": "Formand", "lang": "da"}
    decisions.decline(
        db,
        org.who,
        one.id,
        one.version,
        reason="Styrelsen vill inte ha fler lås.",
        now=NOW - timedelta(days=1),
        **common,
    )
    decisions.grant(
        db, org.who, two.id, two.version, signature(), [], current_terms=_terms(), now=NOW
    )
    decisions.withdraw(
        db,
        org.who,
        two.id,
        two.version,
        reason="Ny bestyrelse",
        notice_days=30,
        timezone="Europe/Copenhagen",
        now=NOW + timedelta(hours=1),
        **common,
    )
    db.commit()
    return org, district


def _terms():
    from tests.consent.owner_support import terms_now

    return terms_now("da")


def _section(page: str) -> str:
    return page.split('id="refused-heading"')[1]


def test_the_board_lists_declined_and_withdrawn_newest_first(coordinator, refused):  # noqa: F811
    org, district = refused
    page = coordinator.get("/coordinator/consent").get_data(as_text=True)
    assert "Declined or withdrawn" in page
    section = _section(page)
    one, two = org.first.entrances
    withdrawn, declined = section.index(f"#entrance-{two.id}"), section.index(f"#entrance-{one.id}")
    assert withdrawn < declined  # newest first
    assert "Styrelsen vill inte ha fler lås." in section and "Ny bestyrelse" in section
    assert "A new request cannot be sent for a declined entrance" in section
    assert "Door rights end on" in section and "1 citizen lives behind it" in section
    assert "2 entrances were declined or withdrawn" in section
    assert f"/coordinator/properties/{org.first.id}#entrance-{one.id}" in section
    assert "/coordinator/properties?status=refused" in section
    # The board's filters apply: another district's board has none.
    other = coordinator.get(f"/coordinator/consent?district={district.id + 1}")
    assert "No owner has declined or withdrawn consent." in other.get_data(as_text=True)
    fragment = coordinator.get(
        f"/coordinator/consent?district={district.id}", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in fragment and "Styrelsen vill inte" in fragment
    assert f"status=refused&amp;district={district.id}" in fragment


@pytest.mark.parametrize(
    ("status", "first", "second"),
    [
        ("", True, True),
        ("declined", True, False),
        ("refused", True, False),
        ("requested", False, True),
    ],
)
def test_the_register_filters_by_status(coordinator, refused, status, first, second):  # noqa: F811
    org, _district = refused
    page = coordinator.get(f"/coordinator/properties?status={status}").get_data(as_text=True)
    assert (org.first.address in page) is first and (org.second.address in page) is second
    assert re.search(rf'<option[^>]*value="{status}"[^>]*selected', page) or not status
    fragment = coordinator.get(
        f"/coordinator/properties?status={status}", headers={"HX-Request": "true"}
    ).get_data(as_text=True)
    assert "<html" not in fragment and (org.first.address in fragment) is first


def test_a_nonsense_status_lists_every_property(coordinator, refused):  # noqa: F811
    org, _district = refused
    page = coordinator.get("/coordinator/properties?status=%3Cb%3E").get_data(as_text=True)
    assert org.first.address in page and org.second.address in page


def test_the_status_filter_walks_the_address_index(db):
    if _db.engine.dialect.name != "sqlite":
        pytest.skip("EXPLAIN QUERY PLAN is SQLite's")
    stmt = queries.register_search(statuses=("declined", "withdrawn"))
    sql = stmt.compile(dialect=_db.engine.dialect, compile_kwargs={"literal_binds": True})
    plan = " | ".join(r[-1] for r in db.execute(text(f"EXPLAIN QUERY PLAN {sql}")).all())
    assert "SCAN property USING INDEX ix_property_address" in plan, plan
    assert re.search(r"SEARCH entrance USING (COVERING )?INDEX ix_entrance_", plan), plan
    assert "SCAN entrance" not in plan, plan


@pytest.fixture
def owner(app, db, keyring, clock):
    org = Org(db, keyring)
    db.commit()
    client = english_client(app)
    sign_in_staff(client, org.user)
    return client, org


@pytest.mark.parametrize("path", ["entrance", "blanket"])
def test_the_signer_name_starts_with_the_owners_name(owner, path):
    client, org = owner
    url = f"/owner/entrances/{org.first.entrances[0].id}" if path == "entrance" else "/owner/all"
    page = client.get(url).get_data(as_text=True)
    name = re.escape(org.user.name)
    assert re.search(rf'id="grant-signer_name"[^>]*value="{name}"', page), page
    if path == "entrance":
        assert re.search(rf'id="decline-signer_name"[^>]*value="{name}"', page)


def test_a_cleared_name_stays_cleared_with_its_message(owner):
    client, org = owner
    entrance = org.first.entrances[0]
    data = grant_data(entrance, **{"grant-signer_name": ""})
    page = client.post(f"/owner/entrances/{entrance.id}/grant", data=data).get_data(as_text=True)
    assert "Enter your full name" in page
    assert not re.search(r'id="grant-signer_name"[^>]*value="[^"]', page)


def test_the_error_summary_names_the_time(owner):
    client, org = owner
    entrance = org.first.entrances[0]
    data = grant_data(entrance, **{"grant-starts_1": "9", "grant-day_2": "", "grant-ends_2": "x"})
    page = client.post(f"/owner/entrances/{entrance.id}/grant", data=data).get_data(as_text=True)
    summary = page.split('class="alert alert-error error-summary"')[1].split("</ul>")[0]
    assert "Time 1, from: enter a time like 09:00" in summary
    assert "Time 2: choose a day" in summary


def test_the_questions_show_minutes_not_seconds(coordinator, db, refused):  # noqa: F811
    org, _district = refused
    asked = NOW.replace(minute=2, second=58)
    db.add(ConsentQuestion(owner_id=org.org.id, asked_at=asked, text="Hvem betaler?"))
    db.commit()
    listing = coordinator.get("/coordinator/consent/questions").get_data(as_text=True)
    row = listing.split('<th scope="row">')[1].split("</th>")[0]
    assert ":02" in row and ":02:58" not in row and "2026" in row, row


def test_a_board_without_refusals_says_so_once(coordinator):  # noqa: F811
    """No declined or withdrawn entrance: one sentence saying so, not "0 entrances were
    declined or withdrawn" before it."""
    section = _section(coordinator.get("/coordinator/consent").get_data(as_text=True))
    assert "No owner has declined or withdrawn consent." in section
    assert "0 entrances" not in section and "status=refused" not in section
