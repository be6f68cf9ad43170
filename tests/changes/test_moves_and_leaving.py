"""Moves, end of care, death and opt-out: the data change, the status, and the signals the
locksmith feature listens to (sent only when a lock is fitted)."""

from contextlib import contextmanager
from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.access.derivation import allowed_locks, served_citizen_ids
from portal.audit.models import AuditRecord
from portal.changes import decisions, effects, rules, services
from portal.citizens.lifecycle import CitizenStatus
from portal.citizens.signals import citizen_leaving, citizen_relocating
from portal.directory.queries import provider_on
from portal.letters.scope import Scope, recipients
from tests.access.support import make_lock, make_staff
from tests.changes.support import (
    CITIZEN,
    COORDINATOR,
    CPH,
    NOW,
    fitted_citizen,
    make_town,
    on,
    policy,
)
from tests.factories import make_citizen


@contextmanager
def received(signal):
    """Collect what a signal sends (kwargs plus the sender)."""
    got = []

    def receiver(sender, **kwargs):
        got.append({"sender": sender, **kwargs})

    signal.connect(receiver)
    try:
        yield got
    finally:
        signal.disconnect(receiver)


def _south_resident(db, town):
    """Someone living in the south district, so its postcode (4200) is known."""
    return make_citizen(db, district=town.south, provider=town.hjem, postcode="4200")


def test_a_move_inside_tells_the_locksmith_now_and_moves_the_address_on_the_day(db, app):
    town = make_town(db)
    _south_resident(db, town)
    citizen = fitted_citizen(db, town, address="Gammelvej 1", postcode="4100", city="Nordby")
    with received(citizen_relocating) as got:
        req = services.submit(
            db,
            citizen,
            "move",
            on("2026-12-10", inside=True, address="Nyvej 2", postcode="4200", city="Sydby"),
            source="citizen",
            now=NOW,
            actor=CITIZEN,
            policy=policy(app),
        )
        assert req.new_district_id == town.south.id
        decisions.approve(
            db, req, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=policy(app)
        )
    assert len(got) == 1
    sent = got[0]
    assert sent["sender"] is db
    # The register keeps the old home until the moving day; the job knows both addresses.
    assert sent["citizen"] is citizen and citizen.address == "Gammelvej 1"
    assert citizen.district_id == town.north.id
    assert sent["from_address"] == "Gammelvej 1, 4100 Nordby"
    assert sent["to_address"] == "Nyvej 2, 4200 Sydby"
    assert sent["on"] == date(2026, 12, 10) and sent["now"] == NOW and sent["actor"] == COORDINATOR
    assert citizen.status == CitizenStatus.MOVING
    # Hjem serves the south district too: the same provider with its south care group.
    assignment_day = provider_on(db, citizen.id, date(2026, 12, 10))
    assert assignment_day.id == town.hjem.id
    # The job at midnight leaves the status to the relocation job (a lock follows).
    effects.apply_due(
        db,
        now=datetime(2026, 12, 9, 23, 0, tzinfo=UTC),
        actor=CITIZEN,
        tz=CPH,
        store=policy(app).store,
    )
    assert req.status == "done" and citizen.status == CitizenStatus.MOVING
    assert citizen.address == "Nyvej 2" and citizen.postcode == "4200"
    assert citizen.district_id == town.south.id


def test_a_move_gives_the_door_to_the_new_district_and_provider_from_the_moving_day(db, app):
    town = make_town(db)
    _south_resident(db, town)
    mover = make_citizen(
        db,
        district=town.north,
        provider=town.omsorg,
        care_group=town.omsorg_north,
        postcode="4100",
        status=CitizenStatus.FITTED,
    )
    make_lock(db, mover)
    old_staff, new_staff = make_staff(db, [town.omsorg_north]), make_staff(db, [town.hjem_south])
    north_staff = make_staff(db, [town.hjem_north])
    decisions.register(
        db,
        mover,
        "move",
        on("2026-12-10", inside=True, address="Sydvej 9", postcode="4200", city="S"),
        source="phone",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
        provider_id=town.hjem.id,
    )
    db.flush()
    eve = datetime(2026, 12, 9, 22, 59, tzinfo=UTC)  # 23:59 in Copenhagen
    day_one = datetime(2026, 12, 9, 23, 0, tzinfo=UTC)  # 00:00 on the moving day
    # Approved, not yet in force: the old district and provider keep the door.
    assert mover.district_id == town.north.id
    assert mover.id in served_citizen_ids(db, old_staff, now=eve, tz=CPH)
    assert mover.id not in served_citizen_ids(db, new_staff, now=eve, tz=CPH)
    assert allowed_locks(db, old_staff, None, now=eve, tz=CPH)
    assert not allowed_locks(db, new_staff, None, now=eve, tz=CPH)
    effects.apply_due(db, now=eve, actor=CITIZEN, tz=CPH, store=policy(app).store)
    assert mover.district_id == town.north.id  # not yet
    effects.apply_due(db, now=day_one, actor=CITIZEN, tz=CPH, store=policy(app).store)
    db.flush()
    assert mover.district_id == town.south.id and mover.address == "Sydvej 9"
    assert mover.id not in served_citizen_ids(db, old_staff, now=day_one, tz=CPH)
    assert mover.id not in served_citizen_ids(db, north_staff, now=day_one, tz=CPH)
    assert mover.id in served_citizen_ids(db, new_staff, now=day_one, tz=CPH)
    assert not allowed_locks(db, old_staff, None, now=day_one, tz=CPH)
    assert allowed_locks(db, new_staff, None, now=day_one, tz=CPH)


def test_a_move_to_another_providers_district_needs_that_provider(db, app):
    town = make_town(db)
    _south_resident(db, town)
    # Omsorg serves only the north; a citizen of Omsorg moving south must choose again.
    mover = make_citizen(
        db, district=town.north, provider=town.omsorg, care_group=town.omsorg_north, postcode="4100"
    )
    req = services.submit(
        db,
        mover,
        "move",
        on("2026-12-10", inside=True, address="Sydvej 9", postcode="4200", city="S"),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    with pytest.raises(rules.ProviderNotServing) as refused:
        decisions.approve(
            db, req, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=policy(app)
        )
    assert "Omsorg A/S" in refused.value.text()
    # Nothing half-done: the request still waits and the citizen still lives in the north.
    assert req.status == "pending" and mover.address != "Sydvej 9"
    assert mover.district_id == town.north.id
    assert provider_on(db, mover.id, date(2026, 12, 10)).id == town.omsorg.id


def test_a_move_to_another_provider_assigns_it_from_the_moving_day(db, app):
    town = make_town(db)
    make_citizen(db, district=town.south, provider=town.hjem, postcode="4200")
    mover = make_citizen(
        db, district=town.north, provider=town.omsorg, care_group=town.omsorg_north, postcode="4100"
    )
    decisions.register(
        db,
        mover,
        "move",
        on("2026-12-10", inside=True, address="Sydvej 9", postcode="4200", city="S"),
        source="phone",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
        provider_id=town.hjem.id,
    )
    assert provider_on(db, mover.id, date(2026, 12, 9)).id == town.omsorg.id
    assert provider_on(db, mover.id, date(2026, 12, 10)).id == town.hjem.id


def test_a_move_to_an_unknown_postcode_is_outside_every_district(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    with pytest.raises(rules.OutsideDistricts):
        services.submit(
            db,
            citizen,
            "move",
            on("2026-12-10", inside=True, address="X 1", postcode="9999", city="Y"),
            source="citizen",
            now=NOW,
            actor=CITIZEN,
            policy=policy(app),
        )


def test_a_move_without_a_lock_sends_nothing_and_starts_over_at_the_new_home(db, app):
    town = make_town(db)
    citizen = make_citizen(
        db,
        district=town.north,
        provider=town.hjem,
        postcode="4100",
        status=CitizenStatus.LETTER_SENT,
    )
    with received(citizen_relocating) as got:
        decisions.register(
            db,
            citizen,
            "move",
            on("2026-11-23", inside=True, address="Ny 1", postcode="4100", city="N"),
            source="care_system",
            now=NOW,
            actor=COORDINATOR,
            policy=policy(app),
        )
    assert got == []
    assert citizen.status == CitizenStatus.REGISTERED and citizen.address == "Ny 1"


@pytest.mark.parametrize(
    ("kind", "details", "reason", "status_after"),
    [
        (
            "move",
            {"inside": False, "address": "Far 1", "postcode": "8000", "city": "Aarhus"},
            "moved_away",
            CitizenStatus.CARE_ENDED,
        ),
        ("leave", {"reason": "care_ended"}, "care_ended", CitizenStatus.CARE_ENDED),
        (
            "leave",
            {"reason": "deceased", "estate_contact": "Ole Olsen, 20 30 40 50"},
            "deceased",
            CitizenStatus.CARE_ENDED,
        ),
        (
            "leave",
            {"reason": "opted_out", "alternative": "key_box"},
            "opted_out",
            CitizenStatus.OPTED_OUT,
        ),
    ],
)
def test_leaving_tells_the_locksmith_and_ends_in_its_status(
    db, app, kind, details, reason, status_after
):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    with received(citizen_leaving) as got:
        req = decisions.register(
            db,
            citizen,
            kind,
            on("2026-12-01", **details),
            source="care_system",
            now=NOW,
            actor=COORDINATOR,
            policy=policy(app),
        )
    assert len(got) == 1
    sent = got[0]
    assert sent["citizen"] is citizen and sent["reason"] == reason
    assert sent["on"] == date(2026, 12, 1) and sent["actor"] == COORDINATOR
    assert sent["estate_contact"] == details.get("estate_contact")
    effects.apply_due(
        db,
        now=datetime(2026, 11, 30, 23, 0, tzinfo=UTC),
        actor=CITIZEN,
        tz=CPH,
        store=policy(app).store,
    )
    assert req.status == "done" and citizen.status == status_after
    audited = db.scalars(
        select(AuditRecord.action).where(
            AuditRecord.object_type == "change_request", AuditRecord.object_id == str(req.id)
        )
    ).all()
    assert {"change.requested", "change.approved", "change.applied"} <= set(audited)


def test_leaving_without_a_lock_sends_no_signal(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town, lock=False)
    with received(citizen_leaving) as got:
        decisions.register(
            db,
            citizen,
            "leave",
            on("2026-12-01", reason="care_ended"),
            source="care_system",
            now=NOW,
            actor=COORDINATOR,
            policy=policy(app),
        )
    assert got == []


def test_an_opt_out_needs_the_way_in_and_a_death_the_estate(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    with pytest.raises(rules.MissingAlternative):
        services.submit(
            db,
            citizen,
            "leave",
            on("2026-12-01", reason="opted_out"),
            source="citizen",
            now=NOW,
            actor=CITIZEN,
            policy=policy(app),
        )
    with pytest.raises(rules.MissingEstateContact):
        services.submit(
            db,
            citizen,
            "leave",
            on("2026-12-01", reason="deceased", estate_contact="  "),
            source="relative",
            now=NOW,
            actor=CITIZEN,
            policy=policy(app),
        )


def test_an_opted_out_citizen_never_gets_a_booking_letter(db, app):
    town = make_town(db)
    stays = make_citizen(db, district=town.north, provider=town.hjem)
    declines = make_citizen(db, district=town.north, provider=town.hjem)
    scope = Scope(town.north.id, None, "Nord")
    assert {c.id for c in db.scalars(recipients(scope))} == {stays.id, declines.id}
    req = decisions.register(
        db,
        declines,
        "leave",
        on("2026-11-23", reason="opted_out", alternative="relative_key"),
        source="phone",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    assert req.status == "done" and req.alternative == "relative_key"
    assert declines.status == CitizenStatus.OPTED_OUT
    assert {c.id for c in db.scalars(recipients(scope))} == {stays.id}
