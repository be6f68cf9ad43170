"""A move, an end of care or a death reported while an approved change waits for its date: the
report supersedes the waiting change (a death when it is sent, the others when approved), which is
cancelled once, as superseded, with its providers told once; what it would have made is never made.
Everything else still waits (one open request at a time)."""

from datetime import UTC, date, datetime

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit.models import AuditRecord
from portal.changes import cancelling, decisions, effects, rules, services
from portal.changes.models import ChangeRequest, ProviderNotice
from portal.directory.queries import assignment_on, provider_on
from portal.extensions import db as _db
from portal.notify.models import OutboxMessage
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

DAY_ONE = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)  # 00:00 on 1 December in Copenhagen
DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen, 20 30 40 50"}


def _submit(session, citizen, kind, details, p, source="relative"):
    return services.submit(
        session, citizen, kind, details, source=source, now=NOW, actor=CITIZEN, policy=p
    )


def _waiting_switch(db, app, town, citizen):
    """A switch to Omsorg from 1 December, approved (both providers told)."""
    p = policy(app)
    req = _submit(db, citizen, "switch", on("2026-12-01", provider_id=town.omsorg.id), p, "citizen")
    decisions.approve(db, req, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p)
    return req


def _cancel_mails(session) -> list[str]:
    return list(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.like("switch-cancelled:%")
            )
        )
    )


def _move(**extra):
    return on("2026-12-10", inside=True, address="Nyvej 2", postcode="4100", city="Nordby", **extra)


def test_a_death_cancels_the_waiting_switch_when_it_is_sent_and_tells_both_providers_once(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    p = policy(app)
    death = _submit(db, citizen, "leave", on("2026-11-25", **DEATH), p)
    assert death.status == "pending" and death.supersedes_id == switch.id
    assert switch.status == "cancelled"
    assert switch.refusal_reason == f"superseded by request {death.reference}"
    assert cancelling.replaced_by(switch) is death
    audit = db.scalar(
        select(AuditRecord).where(
            AuditRecord.action == "change.cancelled", AuditRecord.object_id == str(switch.id)
        )
    )
    assert audit.data["superseded_by"] == death.reference
    assert db.scalars(select(ProviderNotice)).all() == []
    mails = _cancel_mails(db)
    assert sorted(k.split(":")[2] for k in mails) == ["gaining", "losing"]
    told = db.scalars(select(OutboxMessage).where(OutboxMessage.dedupe_key.in_(mails))).all()
    assert {m.to_address for m in told} == {a.email for a in town.admins.values()}
    # Deciding the death later, or superseding again, tells nobody a second time.
    assert not cancelling.supersede(db, switch, death, now=NOW, actor=COORDINATOR, policy=p)
    decisions.approve(
        db, death, effective_on=date(2026, 11, 25), now=NOW, actor=COORDINATOR, policy=p
    )
    assert len(_cancel_mails(db)) == 2
    # The switch is never applied: Omsorg never gets the citizen, not even for a day.
    effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=p.store)
    assert switch.status == "cancelled" and switch.applied_at is None
    for day in (date(2026, 11, 30), date(2026, 12, 1), date(2027, 1, 1)):
        assert provider_on(db, citizen.id, day) in (None, town.hjem)
        found = assignment_on(db, citizen.id, day)
        assert found is None or found.care_group_id != town.omsorg_north.id


def test_a_move_waits_beside_the_switch_and_cancels_it_only_when_approved(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    p = policy(app)
    move = _submit(db, citizen, "move", _move(), p)
    assert move.supersedes_id == switch.id and switch.status == "approved"
    assert _cancel_mails(db) == [] and len(db.scalars(select(ProviderNotice)).all()) == 2
    # Nothing but a death may be reported beside them (test_supersede_undecided).
    with pytest.raises(rules.AlreadyOpen):
        _submit(db, citizen, "leave", on("2026-12-01", reason="care_ended"), p)
    decisions.approve(
        db, move, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=p
    )
    assert (move.status, switch.status) == ("approved", "cancelled")
    assert cancelling.replaced_by(switch) is move
    assert len(_cancel_mails(db)) == 2
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id


def test_a_refused_move_leaves_the_switch_to_go_ahead(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    p = policy(app)
    move = _submit(db, citizen, "move", _move(), p)
    decisions.refuse(db, move, "Not moving after all", now=NOW, actor=COORDINATOR)
    effects.apply_due(db, now=DAY_ONE, actor=CITIZEN, tz=CPH, store=p.store)
    assert switch.status == "done" and _cancel_mails(db) == []
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.omsorg.id


def test_an_end_of_care_supersedes_on_approval(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-11-28", reason="care_ended"), p, "citizen")
    assert switch.status == "approved"
    decisions.approve(
        db, ending, effective_on=date(2026, 11, 28), now=NOW, actor=COORDINATOR, policy=p
    )
    assert switch.status == "cancelled" and len(_cancel_mails(db)) == 2
    assert provider_on(db, citizen.id, date(2026, 12, 1)) is None


@pytest.mark.parametrize(
    ("kind", "details"),
    [
        ("switch", on("2026-12-05", provider_id=1)),
        ("leave", on("2026-12-05", reason="opted_out", alternative="key_box")),
    ],
)
def test_an_ordinary_wish_still_waits_for_the_approved_change(db, app, kind, details):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    with pytest.raises(rules.AlreadyOpen):
        _submit(db, citizen, kind, details, policy(app))
    assert switch.status == "approved" and _cancel_mails(db) == []


def test_only_a_death_replaces_a_change_that_already_ends_the_care(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-12-01", reason="care_ended"), p)
    decisions.approve(
        db, ending, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p
    )
    for kind, details in (("leave", on("2026-12-05", reason="care_ended")), ("move", _move())):
        with pytest.raises(rules.AlreadyOpen):
            _submit(db, citizen, kind, details, p)
    assert ending.status == "approved"
    # A death replaces it (test_supersede_approved_ending has the rest).
    death = _submit(db, citizen, "leave", on("2026-11-25", **DEATH), p)
    assert ending.status == "cancelled" and death.supersedes_id == ending.id


def test_a_death_reported_after_00_00_before_the_job_ran_puts_the_switch_in_force(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    p = policy(app)
    death = services.submit(
        db,
        citizen,
        "leave",
        on("2026-12-01", **DEATH),
        source="relative",
        now=DAY_ONE,
        actor=CITIZEN,
        policy=p,
    )
    assert switch.status == "done" and death.supersedes_id is None
    assert _cancel_mails(db) == []


# Two decisions at once: each session reads the same state, the second comes after the first is
# saved (as in test_decision_races).


def _committed(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    switch = _waiting_switch(db, app, town, citizen)
    db.commit()
    return town, citizen, switch


def test_a_death_sent_while_the_coordinator_cancels_the_switch(db, app, monkeypatch):
    _town, citizen, switch = _committed(db, app)
    p = policy(app)
    with Session(_db.engine) as one, Session(_db.engine) as two:
        mine, theirs = one.get(ChangeRequest, switch.id), two.get(ChangeRequest, switch.id)
        who = two.get(type(citizen), citizen.id)
        assert mine.status == theirs.status == "approved"
        # The report read the switch as waiting just before the coordinator's cancel was saved.
        monkeypatch.setattr(rules, "open_request", lambda session, citizen_id: theirs)
        cancelling.cancel(one, mine, "Changed their mind", now=NOW, actor=COORDINATOR, tz=CPH)
        one.commit()
        death = _submit(two, who, "leave", on("2026-11-25", **DEATH), p)
        two.commit()
        assert death.supersedes_id is None
    db.expire_all()
    cancelled = db.get(ChangeRequest, switch.id)
    assert cancelled.refusal_reason == "Changed their mind"
    assert len(_cancel_mails(db)) == 2


def test_two_approvals_of_one_move_at_once_cancel_the_switch_once(db, app):
    town, citizen, switch = _committed(db, app)
    p = policy(app)
    move = _submit(db, citizen, "move", _move(), p)
    db.commit()
    with Session(_db.engine) as one, Session(_db.engine) as two:
        mine, theirs = one.get(ChangeRequest, move.id), two.get(ChangeRequest, move.id)
        assert theirs.supersedes.status == "approved"
        decisions.approve(
            one, mine, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=p
        )
        one.commit()
        with pytest.raises(rules.NotOpen):
            decisions.approve(
                two, theirs, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=p
            )
        two.rollback()
    db.expire_all()
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    assert len(_cancel_mails(db)) == 2
    cancels = db.scalar(
        select(func.count())
        .select_from(AuditRecord)
        .where(AuditRecord.action == "change.cancelled", AuditRecord.object_id == str(switch.id))
    )
    assert cancels == 1


def test_two_death_reports_at_once_make_one_request(db, app, monkeypatch):
    _town, citizen, switch = _committed(db, app)
    p = policy(app)
    with Session(_db.engine) as one, Session(_db.engine) as two:
        first, second = one.get(type(citizen), citizen.id), two.get(type(citizen), citizen.id)
        stale = two.get(ChangeRequest, switch.id)  # read as waiting before the first is saved
        _submit(one, first, "leave", on("2026-11-25", **DEATH), p)
        one.commit()
        # The second report saw only the waiting switch: the database refuses a second one.
        monkeypatch.setattr(rules, "open_request", lambda session, citizen_id: stale)
        with pytest.raises(rules.AlreadyOpen):
            _submit(two, second, "leave", on("2026-11-25", **DEATH), p)
        two.rollback()
    db.expire_all()
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    assert len(_cancel_mails(db)) == 2
    reports = db.scalar(
        select(func.count()).select_from(ChangeRequest).where(ChangeRequest.kind == "leave")
    )
    assert reports == 1
