"""A death reported while a request is not decided yet: the death is a fact, so the undecided
request (a switch, a move within the municipality, an opt-out) is cancelled when it is sent, as
superseded by the death, and so is the approved change an undecided move report waits beside.
A report that itself ends the care (an end of care, a move away) is replaced too, and the death
stops the care no later than that report asked for; another death is never replaced. Races
are settled by guarded UPDATEs, as the decisions' are (test_decision_races)."""

from datetime import date, timedelta

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session

from portal.audit.models import AuditRecord
from portal.changes import cancelling, decisions, rules, services
from portal.changes.models import ChangeRequest, ProviderNotice
from portal.directory.queries import provider_on
from portal.extensions import db as _db
from portal.notify.models import OutboxMessage
from tests.changes.support import (
    CITIZEN,
    COORDINATOR,
    NOW,
    fitted_citizen,
    make_town,
    on,
    policy,
)

DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen, 20 30 40 50"}


def _submit(session, citizen, kind, details, p, source="relative"):
    return services.submit(
        session, citizen, kind, details, source=source, now=NOW, actor=CITIZEN, policy=p
    )


def _death(session, citizen, p):
    return _submit(session, citizen, "leave", on("2026-11-25", **DEATH), p)


def _move(**extra):
    return on("2026-12-10", inside=True, address="Nyvej 2", postcode="4100", city="Nordby", **extra)


def _cancel_mails(session) -> list[str]:
    return list(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.like("switch-cancelled:%")
            )
        )
    )


def _cancel_audits(session, req) -> list[AuditRecord]:
    return list(
        session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "change.cancelled", AuditRecord.object_id == str(req.id)
            )
        )
    )


def _pending_switch(db, town, citizen, p):
    return _submit(
        db, citizen, "switch", on("2026-12-01", provider_id=town.omsorg.id), p, "citizen"
    )


def _approved_switch(db, town, citizen, p):
    req = _pending_switch(db, town, citizen, p)
    decisions.approve(db, req, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p)
    return req


@pytest.mark.parametrize("asked", [False, True])
def test_a_death_cancels_a_switch_not_decided_yet_as_superseded(db, app, asked):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _pending_switch(db, town, citizen, p)
    if asked:  # waiting for the citizen's answer to the coordinator's question
        decisions.ask(db, switch, "Why?", now=NOW, actor=COORDINATOR)
    death = _death(db, citizen, p)
    assert death.status == "pending" and death.supersedes_id == switch.id
    assert switch.status == "cancelled" and switch.decided_at == NOW
    assert cancelling.replaced_by(switch) is death
    assert cancelling.replaced(death) == [switch]
    assert not cancelling.was_decided(switch)
    (audit,) = _cancel_audits(db, switch)
    assert audit.data["superseded_by"] == death.reference and audit.data["undecided"] is True
    # Nothing was written for it, so nothing is taken back and nobody is told.
    assert _cancel_mails(db) == [] and db.scalars(select(ProviderNotice)).all() == []
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id
    # It is decided now: no second decision, no second cancellation.
    with pytest.raises(rules.NotOpen):
        decisions.withdraw(db, switch, now=NOW, actor=CITIZEN)
    assert not cancelling.supersede(db, switch, death, now=NOW, actor=COORDINATOR, policy=p)
    assert len(_cancel_audits(db, switch)) == 1


def test_a_death_cancels_an_opt_out_not_decided_yet(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    opt_out = _submit(
        db, citizen, "leave", on("2026-12-05", reason="opted_out", alternative="key_box"), p
    )
    death = _death(db, citizen, p)
    assert opt_out.status == "cancelled" and cancelling.replaced_by(opt_out) is death


ENDINGS = pytest.mark.parametrize(
    "kind, details",
    [
        ("leave", on("2026-12-05", reason="care_ended")),
        (
            "move",
            on("2026-12-10", inside=False, address="Fjernvej 1", postcode="9999", city="Fjern"),
        ),
    ],
    ids=["care_ended", "move_away"],
)


@ENDINGS
def test_a_death_replaces_an_undecided_report_that_ends_the_care(db, app, kind, details):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, kind, details, p)
    death = _death(db, citizen, p)
    assert (ending.status, death.status) == ("cancelled", "pending")
    assert death.supersedes_id == ending.id and cancelling.replaced_by(ending) is death
    assert cancelling.replaced(death) == [ending] and not cancelling.was_decided(ending)
    assert ending.refusal_reason == f"superseded by request {death.reference} before it was decided"
    (audit,) = _cancel_audits(db, ending)
    assert audit.data["superseded_by"] == death.reference and audit.data["undecided"] is True
    # Nothing was written for it, so nobody is told; the death keeps the relative's earlier date.
    assert _cancel_mails(db) == [] and db.scalars(select(ProviderNotice)).all() == []
    assert death.effective_on == date(2026, 11, 25)
    # Two deaths still make one request: a death never replaces another.
    with pytest.raises(rules.AlreadyOpen):
        _death(db, citizen, p)


@ENDINGS
def test_a_death_replaces_an_ending_report_and_the_switch_it_waits_beside(db, app, kind, details):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _approved_switch(db, town, citizen, p)
    ending = _submit(db, citizen, kind, details, p)
    assert ending.supersedes_id == switch.id
    death = _death(db, citizen, p)
    assert (ending.status, switch.status) == ("cancelled", "cancelled")
    assert cancelling.replaced(death) == [ending, switch]
    assert cancelling.was_decided(switch) and not cancelling.was_decided(ending)
    # The switch's providers (their admins) are told once; the switch never takes effect.
    assert sorted(k.split(":")[2] for k in _cancel_mails(db)) == ["gaining", "losing"]
    assert db.scalars(select(ProviderNotice)).all() == []
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id
    assert len(_cancel_audits(db, switch)) == 1 and len(_cancel_audits(db, ending)) == 1


@pytest.mark.parametrize(
    "ends, given, days_later, stops",
    [
        ("2026-11-28", "2026-12-15", 0, date(2026, 11, 28)),  # the earlier report's date
        ("2026-12-20", "2026-12-15", 0, date(2026, 12, 15)),  # the relative's earlier date
        ("2026-11-24", "2026-12-15", 3, date(2026, 11, 26)),  # its date has passed: today
    ],
    ids=["report_earlier", "death_earlier", "report_date_passed"],
)
def test_a_death_stops_the_care_no_later_than_the_report_it_replaces(
    db, app, ends, given, days_later, stops
):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on(ends, reason="care_ended"), p)
    death = services.submit(
        db,
        citizen,
        "leave",
        on(given, **DEATH),
        source="relative",
        now=NOW + timedelta(days=days_later),
        actor=CITIZEN,
        policy=p,
    )
    assert ending.status == "cancelled" and death.effective_on == stops


def test_an_ending_report_approved_meanwhile_is_replaced_as_approved(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-12-05", reason="care_ended"), p)
    db.commit()
    with Session(_db.engine) as one, Session(_db.engine) as two:
        stale = two.get(ChangeRequest, ending.id)  # the death's session read it as undecided
        assert stale.status == "pending"
        decisions.approve(
            one,
            one.get(ChangeRequest, ending.id),
            effective_on=date(2026, 12, 5),
            now=NOW,
            actor=COORDINATOR,
            policy=p,
        )
        one.commit()
        death = ChangeRequest(reference="DTH-222", kind="leave", reason="deceased")
        # ... and replaces it after the approval is saved: cancelled as an approved change.
        assert cancelling.supersede(two, stale, death, now=NOW, actor=CITIZEN, policy=p)
        two.commit()
    db.expire_all()
    ending = db.get(ChangeRequest, ending.id)
    assert ending.status == "cancelled"
    assert ending.refusal_reason == "superseded by request DTH-222"
    assert len(_cancel_audits(db, ending)) == 1
    # What the approval wrote is taken back: the care does not end on the 5th by itself.
    assert provider_on(db, citizen.id, date(2026, 12, 5)).id == town.hjem.id


def test_two_death_reports_beside_an_end_of_care_report_make_one_request(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-12-05", reason="care_ended"), p)
    db.commit()
    with Session(_db.engine) as one, Session(_db.engine) as two:
        first, second = one.get(type(citizen), citizen.id), two.get(type(citizen), citizen.id)
        two.get(ChangeRequest, ending.id)  # read as open
        _death(one, first, p)
        one.commit()
        with pytest.raises(rules.AlreadyOpen):
            _death(two, second, p)
        two.rollback()
    db.expire_all()
    assert db.get(ChangeRequest, ending.id).status == "cancelled"
    assert len(_cancel_audits(db, ending)) == 1
    deaths = db.scalar(
        select(func.count()).select_from(ChangeRequest).where(ChangeRequest.reason == "deceased")
    )
    assert deaths == 1


def test_only_a_death_replaces_an_undecided_switch(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _pending_switch(db, town, citizen, p)
    for kind, details in (
        ("move", _move()),
        ("leave", on("2026-12-05", reason="care_ended")),
        ("leave", on("2026-12-05", reason="opted_out", alternative="key_box")),
    ):
        with pytest.raises(rules.AlreadyOpen):
            _submit(db, citizen, kind, details, p)
    assert switch.status == "pending"


def test_a_death_supersedes_a_move_report_and_the_switch_it_waits_beside(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _approved_switch(db, town, citizen, p)
    move = _submit(db, citizen, "move", _move(), p)
    assert move.supersedes_id == switch.id
    death = _death(db, citizen, p)
    assert (move.status, switch.status, death.status) == ("cancelled", "cancelled", "pending")
    assert death.supersedes_id == move.id
    assert cancelling.replaced_by(move) is death and cancelling.replaced_by(switch) is death
    assert cancelling.replaced(death) == [move, switch]
    assert cancelling.was_decided(switch) and not cancelling.was_decided(move)
    # The switch's providers are told once; the switch never takes effect.
    assert sorted(k.split(":")[2] for k in _cancel_mails(db)) == ["gaining", "losing"]
    assert db.scalars(select(ProviderNotice)).all() == []
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.hjem.id
    # Both cancellations, then the report, in one transaction and one audit chain.
    actions = list(
        db.scalars(
            select(AuditRecord.action)
            .where(AuditRecord.action.in_(("change.cancelled", "change.requested")))
            .order_by(AuditRecord.id)
        )
    )
    assert actions[-3:] == ["change.cancelled", "change.cancelled", "change.requested"]
    decisions.approve(
        db, death, effective_on=date(2026, 11, 25), now=NOW, actor=COORDINATOR, policy=p
    )
    assert len(_cancel_mails(db)) == 2 and len(_cancel_audits(db, switch)) == 1


# Two decisions at once: each session reads the same state, the second comes after the first is
# saved (as in test_decision_races).


def _committed_move(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _approved_switch(db, town, citizen, p)
    move = _submit(db, citizen, "move", _move(), p)
    db.commit()
    return town, citizen, switch, move


def test_a_death_sent_while_the_coordinator_approves_the_move_report(db, app):
    town, citizen, switch, move = _committed_move(db, app)
    p = policy(app)
    with Session(_db.engine) as one, Session(_db.engine) as two:
        # The relative's report reads the move as undecided and the switch as approved ...
        who = two.get(type(citizen), citizen.id)
        stale_move, stale_switch = (
            two.get(ChangeRequest, move.id),
            two.get(ChangeRequest, switch.id),
        )
        assert (stale_move.status, stale_switch.status) == ("pending", "approved")
        mine = one.get(ChangeRequest, move.id)
        decisions.approve(
            one, mine, effective_on=date(2026, 12, 10), now=NOW, actor=COORDINATOR, policy=p
        )
        one.commit()
        # ... and is sent after the approval is saved: the approved move is cancelled instead.
        death = _death(two, who, p)
        two.commit()
        assert death.supersedes_id == move.id
    db.expire_all()
    move, switch = db.get(ChangeRequest, move.id), db.get(ChangeRequest, switch.id)
    assert (move.status, switch.status) == ("cancelled", "cancelled")
    assert cancelling.replaced_by(switch).id == move.id  # cancelled by the move's approval
    assert cancelling.replaced_by(move).id == death.id and cancelling.was_decided(move)
    assert len(_cancel_audits(db, move)) == 1 and len(_cancel_audits(db, switch)) == 1
    # What approving the move wrote is taken back: the provider stays as it was.
    assert provider_on(db, citizen.id, date(2026, 12, 10)).id == town.hjem.id


def test_a_death_sent_while_the_relative_withdraws_the_move_report(db, app):
    _town, citizen, switch, move = _committed_move(db, app)
    p = policy(app)
    with Session(_db.engine) as one, Session(_db.engine) as two:
        who = two.get(type(citizen), citizen.id)
        two.get(ChangeRequest, move.id), two.get(ChangeRequest, switch.id)
        decisions.withdraw(one, one.get(ChangeRequest, move.id), now=NOW, actor=CITIZEN)
        one.commit()
        death_id = _death(two, who, p).id
        two.commit()
    db.expire_all()
    move, switch = db.get(ChangeRequest, move.id), db.get(ChangeRequest, switch.id)
    death = db.get(ChangeRequest, death_id)
    assert (move.status, switch.status) == ("withdrawn", "cancelled")
    assert cancelling.replaced_by(move) is None
    assert cancelling.replaced_by(switch) is death
    assert cancelling.replaced(death) == [switch]


def test_two_death_reports_beside_a_move_report_make_one_request(db, app):
    _town, citizen, switch, move = _committed_move(db, app)
    p = policy(app)
    with Session(_db.engine) as one, Session(_db.engine) as two:
        first, second = one.get(type(citizen), citizen.id), two.get(type(citizen), citizen.id)
        two.get(ChangeRequest, move.id), two.get(ChangeRequest, switch.id)  # read as open
        _death(one, first, p)
        one.commit()
        with pytest.raises(rules.AlreadyOpen):
            _death(two, second, p)
        two.rollback()
    db.expire_all()
    assert db.get(ChangeRequest, move.id).status == "cancelled"
    assert db.get(ChangeRequest, switch.id).status == "cancelled"
    assert len(_cancel_audits(db, move)) == 1 and len(_cancel_audits(db, switch)) == 1
    assert len(_cancel_mails(db)) == 2
    reports = db.scalar(
        select(func.count()).select_from(ChangeRequest).where(ChangeRequest.kind == "leave")
    )
    assert reports == 1
