"""A coordinator cancels an approved change before it takes effect: the dated assignment is
taken back, the job made for it cancelled, the status restored, the scheduled job skips it."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.changes import cancelling, decisions, effects, services
from portal.changes.models import ProviderNotice
from portal.citizens.lifecycle import CitizenStatus
from portal.directory.queries import assignment_on, provider_on
from portal.locksmith.models import Job, JobKind, JobStatus
from tests.changes.support import CITIZEN, COORDINATOR, CPH, NOW, fitted_citizen, make_town, on
from tests.changes.support import policy as make_policy
from tests.factories import make_citizen

EVE = datetime(2026, 11, 30, 22, 59, tzinfo=UTC)  # 23:59 in Copenhagen, the day before
DAY_ONE = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 00:00 on 1 December


def _approve(db, app, citizen, kind, details):
    req = services.submit(
        db,
        citizen,
        kind,
        details,
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=make_policy(app),
    )
    return decisions.approve(
        db,
        req,
        effective_on=details.effective_on,
        now=NOW,
        actor=COORDINATOR,
        policy=make_policy(app),
    )


def _actions(db, object_type, object_id):
    return set(
        db.scalars(
            select(AuditRecord.action).where(
                AuditRecord.object_type == object_type, AuditRecord.object_id == str(object_id)
            )
        )
    )


def test_a_cancelled_switch_takes_back_the_assignment_and_is_never_applied(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    req = _approve(db, app, citizen, "switch", on("2026-12-01", provider_id=town.omsorg.id))
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.omsorg.id
    assert db.scalars(select(ProviderNotice)).all()
    cancelling.cancel(
        db, req, "  The citizen changed their mind  ", now=NOW, actor=COORDINATOR, tz=CPH
    )
    assert req.status == "cancelled" and req.refusal_reason == "The citizen changed their mind"
    assert citizen.status == CitizenStatus.FITTED
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id
    assert db.scalars(select(ProviderNotice)).all() == []
    assert "change.cancelled" in _actions(db, "change_request", req.id)
    assert "provider.withdrawn" in _actions(db, "citizen", citizen.id)
    store = make_policy(app).store
    assert effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=store) == []
    assert req.status == "cancelled" and req.applied_at is None
    # A new request may be made at once.
    again = _approve(db, app, citizen, "switch", on("2026-12-05", provider_id=town.omsorg.id))
    assert again.status == "approved"


def test_a_cancelled_move_cancels_its_relocation_job_and_keeps_the_old_home(db, app):
    town = make_town(db)
    make_citizen(db, district=town.south, provider=town.hjem, postcode="4200")
    citizen = fitted_citizen(db, town, address="Gammelvej 1")
    req = _approve(
        db,
        app,
        citizen,
        "move",
        on("2026-12-01", inside=True, address="Nyvej 2", postcode="4200", city="Sydby"),
    )
    job = db.scalar(select(Job).where(Job.citizen_id == citizen.id, Job.kind == JobKind.RELOCATION))
    assert job is not None and job.status == JobStatus.OPEN
    assert citizen.status == CitizenStatus.MOVING
    cancelling.cancel(db, req, "Moving fell through", now=NOW, actor=COORDINATOR, tz=CPH)
    assert job.status == JobStatus.CANCELLED
    assert citizen.status == CitizenStatus.FITTED
    assert assignment_on(db, citizen.id, date(2026, 12, 1)).care_group_id == town.hjem_north.id
    effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=make_policy(app).store)
    assert citizen.address == "Gammelvej 1" and citizen.district_id == town.north.id


def test_a_cancelled_end_of_care_keeps_the_provider_and_the_door(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    req = _approve(db, app, citizen, "leave", on("2026-12-01", reason="care_ended"))
    assert provider_on(db, citizen.id, date(2026, 12, 1)) is None
    removal = db.scalar(
        select(Job).where(Job.citizen_id == citizen.id, Job.kind == JobKind.REMOVAL)
    )
    cancelling.cancel(db, req, "Care goes on", now=NOW, actor=COORDINATOR, tz=CPH)
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id
    assert removal is None or removal.status == JobStatus.CANCELLED
    effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=make_policy(app).store)
    assert citizen.status == CitizenStatus.FITTED


def test_only_an_approved_change_before_its_moment_is_cancelled(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    pending = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=make_policy(app),
    )
    with pytest.raises(cancelling.NotCancellable):
        cancelling.cancel(db, pending, "why", now=NOW, actor=COORDINATOR, tz=CPH)
    decisions.approve(
        db,
        pending,
        effective_on=date(2026, 12, 1),
        now=NOW,
        actor=COORDINATOR,
        policy=make_policy(app),
    )
    with pytest.raises(cancelling.ReasonMissing):
        cancelling.cancel(db, pending, "   ", now=EVE, actor=COORDINATOR, tz=CPH)
    # 00:00 has come (the job has not run yet): too late to cancel, the job applies it.
    with pytest.raises(cancelling.NotCancellable):
        cancelling.cancel(db, pending, "why", now=DAY_ONE, actor=COORDINATOR, tz=CPH)
    assert pending.status == "approved"
    effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=make_policy(app).store)
    assert pending.status == "done"
    with pytest.raises(cancelling.NotCancellable):
        cancelling.cancel(db, pending, "why", now=DAY_ONE, actor=COORDINATOR, tz=CPH)
