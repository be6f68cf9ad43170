"""A provider switch written through `assign_provider`, effective on D, moves the register page,
its provider filter, the coordinator's and the citizen's pages and the door keys on D and not
the day before; in one transaction (nothing shows before the commit, a rollback takes it all),
with exactly one audit record. Issue 9, "Done when"."""

import contextvars
import re
from datetime import UTC, date, datetime, timedelta

import pytest
from flask.testing import FlaskClient
from sqlalchemy import select

from portal.access import derivation
from portal.audit.models import AuditRecord
from portal.directory.services import assign_provider
from tests.access.support import citizen_in, make_lock, make_staff, make_world
from tests.factories import make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import english_client

D = date(2026, 12, 1)
BEFORE = datetime(2026, 11, 30, 22, 50, tzinfo=UTC)  # 23:50 on 30 Nov in Copenhagen
AFTER = BEFORE + timedelta(minutes=20)  # 00:10 on 1 Dec in Copenhagen


@pytest.fixture
def town(app, db, clock):
    """A citizen of the municipal provider with a fitted lock, staff of both providers, and a
    coordinator and the citizen signed in at AFTER."""
    clock.set(AFTER)
    w = make_world(db)
    citizen = citizen_in(db, w, name="Sigrid Skifte")
    unit, _ = make_lock(db, citizen)
    staff = {"old": make_staff(db, [w.team_north]), "new": make_staff(db, [w.private_team])}
    coordinator = make_user(db, "coordinator")
    db.commit()
    office, home = english_client(app), english_client(app)
    sign_in_staff(office, coordinator)
    sign_in_citizen(home, citizen)
    return {
        "w": w,
        "citizen": citizen,
        "unit": unit,
        "staff": staff,
        "coordinator": coordinator,
        "office": office,
        "home": home,
    }


def _get(client, url, *, commit_first=True) -> str:
    if commit_first:
        response = client.get(url)
    else:
        # The isolated client commits the test's session before each request; this one does
        # not, so the request sees only what another transaction would see.
        response = contextvars.Context().run(FlaskClient.open, client, url)
    assert response.status_code == 200
    return response.get_data(as_text=True)


def _register_provider(t, **kw) -> str:
    html = _get(t["office"], "/coordinator/citizens?q=Sigrid", **kw)
    row = re.search(r'<tr[^>]*>\s*<th scope="row">.*?</tr>', html, re.S).group(0)
    return _provider_name(t, row)


def _provider_name(t, html) -> str:
    names = {t["w"].municipal.name: "old", t["w"].private.name: "new"}
    found = {label for name, label in names.items() if name in html}
    assert len(found) == 1, found
    return found.pop()


def _filtered(t, provider, **kw) -> int:
    html = _get(t["office"], f"/coordinator/citizens?provider={provider.id}", **kw)
    return int(re.search(r'<p id="result-count">(\d+)', html).group(1))


def _pages(t, **kw) -> dict:
    """Who each place names as the citizen's provider, and who holds the key."""
    citizen, w = t["citizen"], t["w"]
    detail = _get(t["office"], f"/coordinator/citizens/{citizen.id}", **kw)
    home = _get(t["home"], "/citizen/", **kw)
    return {
        "register": _register_provider(t, **kw),
        "filter": {"old": _filtered(t, w.municipal, **kw), "new": _filtered(t, w.private, **kw)},
        "detail": _provider_name(t, detail.split("<h1>", 1)[1]),
        "home": _provider_name(t, home.split("<h1>", 1)[1]),
    }


def _keys(db, t, now) -> set[str]:
    return {
        who
        for who, member in t["staff"].items()
        if t["unit"].lock_id
        in {u.lock_id for u in derivation.allowed_locks(db, member, None, now=now, tz=TZ)}
    }


TZ = "Europe/Copenhagen"
OLD = {"register": "old", "filter": {"old": 1, "new": 0}, "detail": "old", "home": "old"}
NEW = {"register": "new", "filter": {"old": 0, "new": 1}, "detail": "new", "home": "new"}


def _switch(db, t, now):
    w = t["w"]
    return assign_provider(
        db,
        t["citizen"].id,
        w.private.id,
        w.private_team.id,
        D,
        now=now,
        actor=t["coordinator"].actor,
    )


def _audits(db):
    return db.scalars(select(AuditRecord).where(AuditRecord.action == "provider.assigned")).all()


def test_the_switch_moves_pages_filter_and_keys_on_its_date_not_the_day_before(db, clock, town):
    t = town
    assert _pages(t) == OLD and _keys(db, t, AFTER) == {"old"}
    _switch(db, t, clock())
    # Written but not committed: another transaction (a request) still sees the old provider.
    assert _pages(t, commit_first=False) == OLD
    db.commit()
    assert _pages(t) == NEW
    assert _keys(db, t, AFTER) == {"new"}
    clock.set(BEFORE)  # the evening before D: still the old provider everywhere
    assert _pages(t) == OLD
    assert _keys(db, t, BEFORE) == {"old"}
    [record] = _audits(db)
    assert (record.object_id, record.data["effective_from"]) == (str(t["citizen"].id), "2026-12-01")
    assert record.actor == t["coordinator"].actor.describe()


def test_a_rolled_back_switch_leaves_pages_keys_and_audit_log_as_they_were(db, clock, town):
    t = town
    _switch(db, t, clock())
    db.rollback()
    assert _pages(t) == OLD
    assert _keys(db, t, AFTER) == {"old"}
    assert _audits(db) == []
