"""A small world whose figures are worked out by hand in the tests.

The clock stands at NOW, Monday 23 November 2026 09:00 UTC (10:00 in Copenhagen); the default
period is the 30 local days 25 October to 23 November, in the weeks starting 19 and 26
October, 2, 9, 16 and 23 November. Summer time ended at 01:00 UTC on 25 October.

Visits (UTC times; the local day in brackets):
  V1 staff A at North door, 23 Nov 07:00-07:30 [23 Nov], key 06:00-15:00: inside, 0.5 h
  V2 staff A at North door, 22 Nov 23:30-23 Nov 00:30 [23 Nov], key 15:00-00:00: outside, 1 h
  V3 staff B at South door, 17 Nov 10:00-10:45 [17 Nov], key 08:00-16:00: inside, 0.75 h
  V4 staff B at South door, 18 Nov 10:00, never closed [18 Nov], key 08:00-16:00: inside
  V5 staff A, 24 Oct 21:00-21:30 [24 Oct 23:00, before the period]: not counted
  V6 staff A, 24 Oct 22:30-23:00 [25 Oct 00:30], no shift key on record: 0.5 h, unknown
Staff A works for provider A, staff B for provider B.
"""

import secrets
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from itertools import count

from portal.access.models import Device, Staff
from portal.access.models_events import LockEvent, Visit
from portal.access.models_keys import Bulletin, ShiftKey
from tests.access.support import make_lock
from tests.factories import make_citizen, make_district, make_provider, make_user

_counters = count(1)


def utc(*parts) -> datetime:
    """An aware UTC datetime."""
    return datetime(*parts, tzinfo=UTC)


@dataclass
class World:
    """What the tests refer to."""

    north: object = None
    south: object = None
    provider_a: object = None
    provider_b: object = None
    staff_a: object = None
    staff_b: object = None
    north_citizen: object = None
    south_citizen: object = None
    north_unit: object = None
    south_unit: object = None
    keys: dict = field(default_factory=dict)
    users: dict = field(default_factory=dict)


def make_member(db, provider, number) -> tuple[Staff, Device]:
    """A staff member of a provider with one active phone."""
    member = Staff(
        provider_id=provider.id,
        staff_number=number,
        first_name="Tove",
        last_name=number,
        pin_hash="x",
        created_at=utc(2026, 1, 1),
    )
    db.add(member)
    db.flush()
    device = Device(
        public_id=secrets.token_hex(8),
        staff_id=member.id,
        public_key_pem="-",
        thumbprint=secrets.token_hex(16),
        enrolled_at=utc(2026, 1, 1),
    )
    db.add(device)
    db.flush()
    return member, device


def make_key(db, member, device, nbf, exp, *, seq=1, issued=None) -> ShiftKey:
    """A shift key record valid nbf..exp."""
    key = ShiftKey(
        cti=secrets.token_hex(16),
        staff_id=member.id,
        device_id=device.id,
        kid="k1",
        locks=[],
        not_before=nbf,
        expires_at=exp,
        issued_at=issued or nbf,
        bulletin_seq=seq,
        token_hash=secrets.token_hex(32),
    )
    db.add(key)
    db.flush()
    return key


def make_event(db, unit, when, *, action="open", result="ok", key=None, member=None, battery=80):
    """A stored lock event (the signature is not the point here)."""
    event = LockEvent(
        lock_unit_id=unit.id,
        counter=next(_counters),
        time=when,
        action=action,
        result=result,
        battery=battery,
        sub=member.staff_number if member else None,
        cti=key.cti if key else None,
        staff_id=member.id if member else None,
        raw=b"-",
        received_at=when,
    )
    db.add(event)
    db.flush()
    return event


def make_visit(db, unit, member, start, end, key=None) -> Visit:
    """A visit with its opening (and closing) event."""
    opened = make_event(db, unit, start, key=key, member=member)
    closed = make_event(db, unit, end, action="close", key=key, member=member) if end else None
    visit = Visit(
        lock_unit_id=unit.id,
        citizen_id=unit.citizen_id,
        district_id=unit.citizen.district_id,
        provider_id=member.provider_id,
        staff_id=member.id,
        sub=member.staff_number,
        start=start,
        end=end,
        open_event_id=opened.id,
        close_event_id=closed.id if closed else None,
    )
    db.add(visit)
    db.flush()
    return visit


def make_insight_world(db) -> World:
    """The world of the module docstring, committed."""
    w = World()
    w.north, w.south = make_district(db, "North"), make_district(db, "South")
    w.provider_a, w.provider_b = make_provider(db, "Provider A"), make_provider(db, "Provider B")
    w.north_citizen = make_citizen(db, district=w.north, provider=w.provider_a)
    w.south_citizen = make_citizen(db, district=w.south, provider=w.provider_b)
    w.north_unit, _ = make_lock(db, citizen=w.north_citizen, now=utc(2026, 9, 1))
    w.south_unit, _ = make_lock(db, citizen=w.south_citizen, now=utc(2026, 9, 1))
    w.staff_a, phone_a = make_member(db, w.provider_a, "A-1")
    w.staff_b, phone_b = make_member(db, w.provider_b, "B-1")
    key = w.keys
    key["a_day"] = make_key(db, w.staff_a, phone_a, utc(2026, 11, 23, 6), utc(2026, 11, 23, 15))
    key["a_eve"] = make_key(db, w.staff_a, phone_a, utc(2026, 11, 22, 15), utc(2026, 11, 23))
    key["b_17"] = make_key(db, w.staff_b, phone_b, utc(2026, 11, 17, 8), utc(2026, 11, 17, 16))
    key["b_18"] = make_key(db, w.staff_b, phone_b, utc(2026, 11, 18, 8), utc(2026, 11, 18, 16))
    north, south, a, b = w.north_unit, w.south_unit, w.staff_a, w.staff_b
    hour = timedelta(hours=1)
    make_visit(db, north, a, utc(2026, 11, 23, 7), utc(2026, 11, 23, 7, 30), key["a_day"])
    make_visit(db, north, a, utc(2026, 11, 22, 23, 30), utc(2026, 11, 23, 0, 30), key["a_eve"])
    make_visit(db, south, b, utc(2026, 11, 17, 10), utc(2026, 11, 17, 10, 45), key["b_17"])
    make_visit(db, south, b, utc(2026, 11, 18, 10), None, key["b_18"])
    make_visit(db, north, a, utc(2026, 10, 24, 21), utc(2026, 10, 24, 21) + hour / 2)
    make_visit(db, north, a, utc(2026, 10, 24, 22, 30), utc(2026, 10, 24, 23))
    w.users = {
        "coordinator": make_user(db, "coordinator"),
        "admin_a": make_user(db, "provider_admin", provider_id=w.provider_a.id),
        "admin_b": make_user(db, "provider_admin", provider_id=w.provider_b.id),
    }
    db.commit()
    return w


def publish_bulletin(db, seq, issued_at, entries=0) -> Bulletin:
    """A bulletin row (its signed bytes are not the point here)."""
    bulletin = Bulletin(seq=seq, kid="k1", issued_at=issued_at, entry_count=entries, data=b"-")
    db.add(bulletin)
    db.flush()
    return bulletin
