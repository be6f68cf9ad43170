"""Care ending closes the booking of a fitting before the status changes (finding 1): from a
death reported (decided or not), or an approved end of care, opt-out or move away, no fitting
may be booked or moved, by the citizen or the coordinator, no reminder is e-mailed and no
information letter is written; a withdrawn report opens it again. Services, without HTTP."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from portal.booking import errors, queries
from portal.booking import services as booking
from portal.booking.emails import gets_reminder, queue_reminders
from portal.changes import decisions, services
from portal.citizens import closures
from portal.letters import scope
from tests.booking.support import make_world
from tests.changes.support import CITIZEN, COORDINATOR, CPH, NOW, on, policy

DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen"}


def _report(db, app, citizen, kind="leave", day="2026-12-20", **extra):
    req = services.submit(
        db,
        citizen,
        kind,
        on(day, **extra),
        source="relative",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    db.flush()
    return req


def _approve(db, app, req, day="2026-12-20"):
    decisions.approve(
        db,
        req,
        effective_on=date.fromisoformat(day),
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    db.flush()


def _book(db, world, citizen, index=0):
    slot = world.slots(db)[index]
    return booking.book_slot(db, citizen.id, slot.id, now=NOW, cutoff=timedelta(0))


def test_a_reported_death_closes_booking_until_it_is_withdrawn(db, app, clock):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    req = _report(db, app, citizen, **DEATH)
    found = closures.closure(db, citizen.id)
    assert (found.reason, found.decided, found.on) == ("deceased", False, date(2026, 12, 20))
    with pytest.raises(errors.BookingClosed):
        _book(db, world, citizen)
    # The coordinator's phone booking does not find the citizen either.
    assert queries.bookable_citizen(db, world.district.id, citizen.id) is None
    decisions.withdraw(db, req, now=NOW, actor=CITIZEN)
    db.flush()
    assert closures.closure(db, citizen.id) is None
    assert _book(db, world, citizen).status == "booked"


@pytest.mark.parametrize(
    ("kind", "extra", "reason"),
    [
        ("leave", DEATH, "deceased"),
        ("leave", {"reason": "care_ended"}, "care_ended"),
        (
            "move",
            {"inside": False, "address": "Vej 1", "postcode": "8000", "city": "Aarhus"},
            "moved_away",
        ),
    ],
)
def test_an_approved_ending_closes_booking_before_it_takes_effect(
    db, app, clock, kind, extra, reason
):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    _approve(db, app, _report(db, app, citizen, kind, **extra))
    found = closures.closure(db, citizen.id)
    assert (found.reason, found.decided) == (reason, True)
    with pytest.raises(errors.NotBookable):  # a move away is also "moving" already
        _book(db, world, citizen)


def test_a_booking_made_before_the_report_cannot_be_moved_and_gets_no_reminder(db, app, clock):
    world = make_world(db, now=NOW)
    citizen = world.citizens[0]
    citizen.email = "leif@example.org"
    appointment = _book(db, world, citizen)
    db.flush()
    tz = ZoneInfo(CPH)
    assert gets_reminder(appointment, tz)
    _report(db, app, citizen, **DEATH)
    assert not gets_reminder(appointment, tz)
    other = world.slots(db)[1]
    with pytest.raises(errors.BookingClosed):
        booking.rebook(db, appointment.id, other.id, now=NOW, actor=CITIZEN, cutoff=None)
    # The day before the fitting, after 10:00: no reminder is queued.
    day_before = appointment.slot.local_date - timedelta(days=1)
    at = datetime.combine(day_before, time(12), tzinfo=tz)
    assert queue_reminders(db, now=at, tz=tz) == 0
    # It can still be cancelled.
    booking.cancel(db, appointment.id, now=NOW, actor=CITIZEN, cutoff=None)
    assert appointment.status == "cancelled"


def test_no_information_letter_for_a_citizen_whose_death_is_reported(db, app, clock):
    world = make_world(db, now=NOW, citizens=2)
    dead, alive = world.citizens
    _report(db, app, dead, **DEATH)
    chosen = scope.Scope(world.district.id, None, "x")
    ids = set(db.scalars(scope.recipients(chosen).with_only_columns(scope.Citizen.id)))
    assert ids == {alive.id}
    assert (scope.CARE_ENDING, 1) in scope.left_out(db, chosen)
    batch = type(
        "B",
        (),
        {
            "district_id": world.district.id,
            "campaign_id": None,
            "scope_label": "x",
            "only_new": False,
            "id": None,
        },
    )()
    assert scope.no_longer_chosen(db, batch, [dead.id, alive.id]) == {dead.id: "care_ending"}
