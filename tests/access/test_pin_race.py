"""Parallel wrong PINs get no more guesses than one after the other (run on PostgreSQL too)."""

import threading

from sqlalchemy import select

from portal.access.models import Staff
from portal.audit.models import AuditRecord
from tests.access.support import citizen_in, enrol, make_lock, make_staff, make_world, start_shift
from tests.web.support import english_client

THREADS = 12


def test_parallel_wrong_pins_get_at_most_the_allowed_guesses(app, db, client):
    w = make_world(db)
    make_lock(db, citizen_in(db, w))
    member = make_staff(db, [w.team_north])
    phone, device_id = enrol(client, db, member)
    number, member_id = member.staff_number, member.id
    db.commit()
    barrier = threading.Barrier(THREADS)
    statuses = [None] * THREADS

    def guess(index):
        own = english_client(app, addr=f"10.0.0.{index + 1}")
        barrier.wait()
        statuses[index] = start_shift(own, phone, device_id, number, pin="999999").status_code

    threads = [threading.Thread(target=guess, args=(i,)) for i in range(THREADS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    db.expire_all()
    reasons = [
        r.data["reason"]
        for r in db.scalars(select(AuditRecord).where(AuditRecord.action == "shift_refused"))
    ]
    limit = app.config["PIN_MAX_FAILURES"]
    assert len(reasons) == THREADS, statuses
    assert reasons.count("wrong_pin") == limit  # PIN checks made, whatever the order
    assert reasons.count("pin_locked") == THREADS - limit
    staff = db.get(Staff, member_id)
    assert staff.pin_locked and staff.failed_pins == limit
    assert sorted(statuses) == [401] * (limit - 1) + [403] * (THREADS - limit + 1)
