"""A switch while an old-provider shift key is live: the reference lock opens for it before
00:00 on the effective date and refuses it after, once the bulletin has reached the lock; the
new provider's staff get the door in their next shift key."""

from datetime import UTC, date, datetime, timedelta

import pytest

from portal.access.api_input import b64url_decode
from portal.changes import decisions, effects, services
from portal.keys import Denied, read_shift_key
from tests.access.support import enrol, lock_for, make_lock, make_staff, start_shift, visit_door
from tests.changes.support import CITIZEN, COORDINATOR, CPH, fitted_citizen, make_town, on, policy

AFTERNOON = datetime(2026, 11, 23, 16, 0, tzinfo=UTC)  # 17:00 in Copenhagen
MIDNIGHT = datetime(2026, 11, 23, 23, 0, tzinfo=UTC)  # 00:00 on 24 November in Copenhagen


class Moment:
    """The lock's clock, moved by the test."""

    def __init__(self, at):
        self.at = at

    def __call__(self):
        return self.at


def _shift(client, db, clock, member, expect=201):
    phone, device_id = enrol(client, db, member, now=clock())
    body = start_shift(client, phone, device_id, member.staff_number, timestamp=clock().timestamp())
    assert body.status_code == expect, body.get_json()
    return phone, body.get_json()


def test_the_old_providers_live_key_is_refused_after_the_switch(app, db, client, clock):
    clock.set(AFTERNOON)
    town = make_town(db)
    citizen = fitted_citizen(db, town, lock=False)
    unit, unit_key = make_lock(db, citizen, now=AFTERNOON)
    old_member = make_staff(db, [town.hjem_north])
    new_member = make_staff(db, [town.omsorg_north])
    night_member = make_staff(db, [town.night])
    db.commit()
    p = policy(app)
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-11-24", provider_id=town.omsorg.id),
        source="citizen",
        now=AFTERNOON,
        actor=CITIZEN,
        policy=p,
    )
    decisions.approve(
        db, req, effective_on=date(2026, 11, 24), now=AFTERNOON, actor=COORDINATOR, policy=p
    )
    db.commit()

    phone, shift = _shift(client, db, clock, old_member)
    assert unit.lock_id in read_shift_key(b64url_decode(shift["shift_key"])).locks
    night_phone, night_shift = _shift(client, db, clock, night_member)
    # Before the date the new provider has no door of this citizen (here: none at all).
    _new_phone, refused = _shift(client, db, clock, new_member, expect=409)
    assert refused["type"].endswith("no-locks")

    moment = Moment(AFTERNOON + timedelta(minutes=5))
    lock = lock_for(unit, unit_key, app, db, moment)
    visit_door(lock, phone, shift, "open")  # before the switch: the old provider opens

    clock.set(MIDNIGHT + timedelta(minutes=3))  # the job runs a little after midnight
    done = effects.apply_due(db, now=clock(), actor=CITIZEN, tz=CPH, store=p.store)
    db.commit()
    assert done == [req.reference]

    moment.at = MIDNIGHT + timedelta(minutes=10)
    bulletin = client.get("/api/v1/bulletin").get_json()["bulletin"]
    assert lock.receive_bulletin(b64url_decode(bulletin))
    with pytest.raises(Denied) as denied:
        visit_door(lock, phone, shift, "open")
    assert denied.value.reason == "revoked"
    # The night patrol serves the district whatever the provider: its key stays good.
    visit_door(lock, night_phone, night_shift, "open")

    # The new provider's next shift key carries the door, and it opens.
    clock.set(MIDNIGHT + timedelta(minutes=20))
    new_phone2, fresh = _shift(client, db, clock, new_member)
    assert unit.lock_id in read_shift_key(b64url_decode(fresh["shift_key"])).locks
    moment.at = MIDNIGHT + timedelta(minutes=21)
    visit_door(lock, new_phone2, fresh, "open")
