"""Lock-unit inventory: every transition, the refused ones, the reset rule, the pages."""

import pytest
from sqlalchemy import select

from portal import clock
from portal.access import inventory
from portal.access.lock_units import DuplicateLockUnit, register_lock_unit
from portal.access.models import LockUnit
from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_staff
from tests.locksmith.change_support import fitted
from tests.locksmith.support import pem


def _do(db, unit, action, note=None):
    return inventory.apply(db, unit, action, now=clock.now(), actor=SYSTEM, note=note)


def _removed(db):
    _citizen, unit = fitted(db)
    inventory.remove(db, unit, now=clock.now(), actor=SYSTEM)
    db.commit()
    return unit


def test_registration_starts_the_history_fitted_and_active(db):
    _citizen, unit = fitted(db)
    assert unit.state == "fitted" and unit.active and unit.parts_stored == "depot"
    (step,) = inventory.history(db, unit.id)
    assert (step.action, step.from_state, step.to_state) == ("registered", None, "fitted")
    assert step.place.startswith("Testvej")


def test_a_removed_unit_goes_to_stock_only_after_a_reset(db):
    unit = _removed(db)
    assert unit.state == "removed" and not unit.active and unit.citizen_id is None
    with pytest.raises(inventory.ResetMissing):
        _do(db, unit, "back_to_stock")
    assert inventory.allowed_actions(unit) == [
        "mark_defective",
        "send_to_repair",
        "record_reset",
        "scrap",
    ]
    _do(db, unit, "record_reset", note="Nulstillet på værkstedet")
    assert unit.reset_at is not None and "back_to_stock" in inventory.allowed_actions(unit)
    _do(db, unit, "back_to_stock")
    assert unit.state == "in_stock" and not unit.active
    actions = [s.action for s in inventory.history(db, unit.id)]
    assert actions == ["back_to_stock", "record_reset", "remove", "registered"]
    audited = set(
        db.scalars(select(AuditRecord.action).where(AuditRecord.object_id == str(unit.id)))
    )
    assert {"lock_unit.remove", "lock_unit.record_reset", "lock_unit.back_to_stock"} <= audited


def test_repair_path_and_scrapping_for_good(db):
    unit = _removed(db)
    _do(db, unit, "mark_defective")
    _do(db, unit, "send_to_repair")
    assert unit.state == "in_repair"
    with pytest.raises(inventory.ResetMissing):
        _do(db, unit, "back_to_stock")
    _do(db, unit, "record_reset")
    _do(db, unit, "back_to_stock")
    _do(db, unit, "scrap")
    assert unit.state == "scrapped" and inventory.allowed_actions(unit) == []
    for action in inventory.COORDINATOR_ACTIONS:
        with pytest.raises(inventory.IllegalUnitTransition):
            _do(db, unit, action)


@pytest.mark.parametrize("action", inventory.COORDINATOR_ACTIONS)
def test_a_fitted_unit_is_never_changed_in_place(db, action):
    _citizen, unit = fitted(db)
    with pytest.raises(inventory.IllegalUnitTransition) as caught:
        _do(db, unit, action)
    assert caught.value.state == "fitted" and unit.active


def test_unknown_actions_and_moves_of_units_not_fitted_are_refused(db):
    unit = _removed(db)
    with pytest.raises(inventory.UnknownAction):
        _do(db, unit, "remove")
    with pytest.raises(inventory.IllegalUnitTransition):
        inventory.move(db, unit, place="x", now=clock.now(), actor=SYSTEM)
    with pytest.raises(inventory.IllegalUnitTransition):
        inventory.remove(db, unit, now=clock.now(), actor=SYSTEM)


def test_a_unit_from_stock_is_fitted_again_under_its_own_lock_id(db):
    unit = _removed(db)
    _do(db, unit, "record_reset")
    _do(db, unit, "back_to_stock")
    lock_id, citizen = unit.lock_id, make_citizen(db)
    again = register_lock_unit(
        db,
        serial=unit.serial,
        public_key_text=pem(),
        citizen_id=citizen.id,
        now=clock.now(),
        actor=SYSTEM,
    )
    assert again.id == unit.id and again.lock_id == lock_id
    assert again.state == "fitted" and again.active and again.citizen_id == citizen.id
    assert again.reset_at is None
    with pytest.raises(DuplicateLockUnit):
        register_lock_unit(
            db, serial=unit.serial, public_key_text=pem(), now=clock.now(), actor=SYSTEM
        )


def test_counts_and_filters(db):
    _c, fitted_unit = fitted(db)
    removed = _removed(db)
    counts = inventory.counts(db)
    assert counts["fitted"] == 1 and counts["removed"] == 1 and counts["scrapped"] == 0
    ids = lambda **kw: [u.id for u in db.scalars(inventory.units(db, **kw))]  # noqa: E731
    assert ids(state="removed") == [removed.id]
    assert ids(state="nonsense") == sorted([fitted_unit.id, removed.id])
    assert ids(q=fitted_unit.serial) == [fitted_unit.id]
    assert ids(q=str(removed.lock_id)) == [removed.id]
    assert ids(q="%_\\") == []
    assert ids(kind="entrance") == []


def test_the_pages_show_counts_history_and_take_actions(db, client):
    unit = _removed(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    listing = client.get("/coordinator/inventory?state=removed")
    assert listing.status_code == 200 and unit.serial in listing.get_data(as_text=True)
    page = client.get(f"/coordinator/inventory/{unit.id}").get_data(as_text=True)
    assert f"/coordinator/inventory/{unit.id}/record_reset" in page
    assert f"/coordinator/inventory/{unit.id}/back_to_stock" not in page
    refused = client.post(f"/coordinator/inventory/{unit.id}/back_to_stock", data={})
    assert refused.status_code == 303
    db.expire_all()
    assert db.get(LockUnit, unit.id).state == "removed"
    too_long = client.post(f"/coordinator/inventory/{unit.id}/scrap", data={"note": "x" * 1001})
    assert too_long.status_code == 200 and 'aria-invalid="true"' in too_long.get_data(as_text=True)
    hostile = '<script>alert(1)</script>=cmd|"/c calc"'
    ok = client.post(f"/coordinator/inventory/{unit.id}/record_reset", data={"note": hostile})
    assert ok.status_code == 303
    history = client.get(f"/coordinator/inventory/{unit.id}").get_data(as_text=True)
    assert "<script>alert(1)" not in history and "&lt;script&gt;" in history
    # Who did it, as people read it: the name and the role in the page's language, never the
    # stored "user:7 … (coordinator)"; the portal's own steps as "Automatic".
    assert "user:" not in history and "(coordinator)" not in history
    assert "(Koordinator)" in history and "Automatisk" in history  # the page is in Danish
    assert client.post(f"/coordinator/inventory/{unit.id}/fit").status_code == 404
    assert client.post("/coordinator/inventory/999999/scrap").status_code == 404
    assert client.get("/coordinator/inventory/999999").status_code == 404
    assert client.get("/coordinator/inventory?state=<b>&kind=x&q=" + "9" * 80).status_code == 200


def test_a_new_unit_is_received_into_stock_and_fitted_from_there(db, client):
    from portal.access.lock_units import receive_into_stock

    unit = receive_into_stock(
        db, serial="NEW-1", kind="door", public_key_text=pem(), now=clock.now(), actor=SYSTEM
    )
    assert unit.state == "in_stock" and not unit.active and unit.citizen_id is None
    assert inventory.history(db, unit.id)[0].action == "received"
    with pytest.raises(DuplicateLockUnit):
        receive_into_stock(
            db, serial="NEW-1", kind="door", public_key_text=pem(), now=clock.now(), actor=SYSTEM
        )
    citizen = make_citizen(db)
    register_lock_unit(
        db,
        serial="NEW-1",
        public_key_text=pem(),
        citizen_id=citizen.id,
        now=clock.now(),
        actor=SYSTEM,
    )
    assert unit.state == "fitted" and unit.active
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    url = "/coordinator/inventory/new"
    assert client.get(url).status_code == 200
    bad = client.post(url, data={"serial": "<x>", "kind": "door", "public_key": "abc"})
    assert bad.status_code == 200 and 'value="&lt;x&gt;"' in bad.get_data(as_text=True)
    key_wrong = client.post(url, data={"serial": "NEW-2", "kind": "door", "public_key": "abc"})
    assert key_wrong.status_code == 200
    taken = client.post(url, data={"serial": "NEW-1", "kind": "door", "public_key": pem()})
    assert taken.status_code == 200
    ok = client.post(url, data={"serial": "NEW-2", "kind": "entrance", "public_key": pem()})
    assert ok.status_code == 303
    made = db.scalar(select(LockUnit).where(LockUnit.serial == "NEW-2"))
    assert made.state == "in_stock" and made.kind == "entrance"


def test_htmx_gets_the_results_fragment_and_bad_ids_are_404(db, client):
    fitted(db)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    fragment = client.get("/coordinator/inventory?kind=door", headers={"HX-Request": "true"})
    body = fragment.get_data(as_text=True)
    assert "<html" not in body and 'id="unit-count"' in body
    assert "HX-Request" in fragment.headers["Vary"]
    for url in (
        "/coordinator/inventory/abc",
        "/coordinator/inventory/-1",
        "/coordinator/inventory/1/x",
    ):
        assert client.get(url).status_code in (404, 405), url
