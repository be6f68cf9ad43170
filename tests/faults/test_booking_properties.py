"""Property-based, stateful tests of booking, rebooking, cancelling and availability changes,
through the booking services (no HTTP). After every step:
- no slot ever holds two active appointments;
- no citizen ever has two open bookings;
- no booking disappears: the open bookings are exactly those the steps made and did not
  cancel, however the locksmiths' availability was changed or removed meanwhile.
Bounded and derandomised (the same examples every run) so CI stays stable and quick."""

from datetime import time

from hypothesis import HealthCheck, event, settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)
from sqlalchemy import func, select

from portal.audit.services import SYSTEM
from portal.booking import errors, planning, services
from portal.booking.models import ACTIVE_STATUSES, Appointment, Availability, Slot
from tests.booking.support import TZ, add_availability, make_world
from tests.conftest import empty_tables
from tests.factories import NOW

CITIZENS, SMITHS = 4, 2
HOURS = [(time(8), time(10)), (time(8), time(9)), (time(9), time(10)), (time(8), time(12))]
SETTINGS = settings(
    max_examples=12,
    stateful_step_count=20,
    deadline=None,
    derandomize=True,
    database=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)


def booking_machine(app, db):
    """The state machine, bound to the test's app and session."""

    class Bookings(RuleBasedStateMachine):
        def __init__(self):
            super().__init__()
            empty_tables(app)
            self.world = make_world(
                db,
                citizens=CITIZENS,
                locksmiths=SMITHS,
                now=NOW,
                days=1,
                day_start=time(8),
                day_end=time(10),
            )
            self.citizens = [c.id for c in self.world.citizens]
            self.smiths = list(self.world.locksmiths)
            self.open: dict[int, int] = {}  # citizen id -> appointment id, as the steps left it

        def _slot_ids(self) -> list[int]:
            return list(db.scalars(select(Slot.id).order_by(Slot.starts_at, Slot.locksmith_id)))

        def _pick(self, index: int) -> int | None:
            ids = self._slot_ids()
            return ids[index % len(ids)] if ids else None

        @rule(who=st.integers(0, CITIZENS - 1), which=st.integers(0, 40))
        def book(self, who, which):
            citizen, slot_id = self.citizens[who], self._pick(which)
            if slot_id is None:
                return
            try:
                appointment = services.book_slot(db, citizen, slot_id, now=NOW)
            except errors.BookingError:
                db.rollback()
                return
            db.commit()
            assert citizen not in self.open, "a second open booking was accepted"
            self.open[citizen] = appointment.id
            event("booked")

        @precondition(lambda self: self.open)
        @rule(data=st.data(), which=st.integers(0, 40))
        def rebook(self, data, which):
            citizen = data.draw(st.sampled_from(sorted(self.open)))
            slot_id = self._pick(which)
            try:
                services.rebook(db, self.open[citizen], slot_id, now=NOW, actor=SYSTEM)
            except errors.BookingError:
                db.rollback()
                return
            db.commit()
            event("rebooked")

        @precondition(lambda self: self.open)
        @rule(data=st.data())
        def cancel(self, data):
            citizen = data.draw(st.sampled_from(sorted(self.open)))
            services.cancel(db, self.open.pop(citizen), now=NOW, actor=SYSTEM)
            db.commit()
            event("cancelled")

        @rule(smith=st.integers(0, SMITHS - 1), hours=st.sampled_from(HOURS))
        def change_hours(self, smith, hours):
            locksmith = self.smiths[smith]
            availability = db.scalar(
                select(Availability).where(Availability.locksmith_id == locksmith.id)
            )
            if availability is None:
                add_availability(
                    db, self.world.campaign, locksmith, day_start=hours[0], day_end=hours[1]
                )
                return
            window = planning.Window(
                availability.starts_on, availability.ends_on, availability.weekdays, *hours
            )
            result = planning.save_availability(
                db,
                campaign_id=availability.campaign_id,
                locksmith_id=locksmith.id,
                window=window,
                now=NOW,
                actor=SYSTEM,
                country="DK",
                tz=TZ,
                availability_id=availability.id,
            )
            db.commit()
            if result.affected:
                event("hours changed under a booking")

        @rule(smith=st.integers(0, SMITHS - 1))
        def remove_availability(self, smith):
            locksmith = self.smiths[smith]
            availability = db.scalar(
                select(Availability.id).where(Availability.locksmith_id == locksmith.id)
            )
            if availability is not None:
                result = planning.remove_availability(db, availability, now=NOW, actor=SYSTEM)
                db.commit()
                if result.affected:
                    event("availability removed under a booking")

        @invariant()
        def one_appointment_per_slot(self):
            crowded = db.execute(
                select(Appointment.slot_id)
                .where(Appointment.status.in_(ACTIVE_STATUSES))
                .group_by(Appointment.slot_id)
                .having(func.count() > 1)
            ).all()
            assert crowded == []

        @invariant()
        def one_open_booking_per_citizen_and_none_lost(self):
            db.expire_all()
            rows = db.execute(
                select(Appointment.citizen_id, Appointment.id).where(Appointment.status == "booked")
            ).all()
            assert len({citizen for citizen, _ in rows}) == len(rows)
            assert dict(rows) == self.open

    return Bookings


def test_booking_state_machine(app, db):
    run_state_machine_as_test(booking_machine(app, db), settings=SETTINGS)
