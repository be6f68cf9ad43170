"""A death reported while an approved end of care (or move away) waits for its date: the death
replaces it, as it replaces an undecided one. The approved change is cancelled at once as
superseded (audited; what its approval wrote is taken back; providers told once), the death
stops the care no later than it asked for, and the coordinator can still approve the death when
that date has passed. The death's date rule reads what it replaced in the transaction that
cancels it, so a report withdrawn meanwhile does not shorten the death's date."""

from datetime import date, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session

from portal.audit.models import AuditRecord
from portal.changes import cancelling, decisions, rules, services, superseding
from portal.changes.models import ChangeRequest
from portal.citizens.lifecycle import CitizenStatus
from portal.directory.queries import provider_on
from portal.extensions import db as _db
from portal.locksmith.models import Job
from portal.notify.models import OutboxMessage
from tests.changes.support import CITIZEN, COORDINATOR, NOW, fitted_citizen, make_town, on, policy

DEATH = {"reason": "deceased", "estate_contact": "Ole Olsen, 20 30 40 50"}
ENDS = date(2026, 12, 5)
ENDINGS = pytest.mark.parametrize(
    "kind, details",
    [
        ("leave", on("2026-12-05", reason="care_ended")),
        ("move", on("2026-12-05", inside=False, address="Fjernvej 1", postcode="9999", city="F")),
    ],
    ids=["care_ended", "move_away"],
)


def _submit(session, citizen, kind, details, p, now=NOW):
    return services.submit(
        session, citizen, kind, details, source="relative", now=now, actor=CITIZEN, policy=p
    )


def _approved(session, citizen, kind, details, p):
    req = _submit(session, citizen, kind, details, p)
    decisions.approve(
        session, req, effective_on=details.effective_on, now=NOW, actor=COORDINATOR, policy=p
    )
    return req


def _death(session, citizen, p, day="2026-12-15", now=NOW):
    return _submit(session, citizen, "leave", on(day, **DEATH), p, now=now)


def _cancel_audits(session, req) -> list[AuditRecord]:
    return list(
        session.scalars(
            select(AuditRecord).where(
                AuditRecord.action == "change.cancelled", AuditRecord.object_id == str(req.id)
            )
        )
    )


def _mails(session) -> list[str]:
    return list(
        session.scalars(
            select(OutboxMessage.dedupe_key).where(
                OutboxMessage.dedupe_key.like("switch-cancelled:%")
            )
        )
    )


def _open_jobs(session, citizen) -> list[Job]:
    return list(
        session.scalars(select(Job).where(Job.citizen_id == citizen.id, Job.status != "cancelled"))
    )


@ENDINGS
def test_a_death_replaces_an_approved_ending_not_in_force(db, app, kind, details):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _approved(db, citizen, kind, details, p)
    assert provider_on(db, citizen.id, ENDS) is None and len(_open_jobs(db, citizen)) == 1
    assert superseding.may_supersede("leave", "deceased", ending)
    assert not superseding.may_supersede("leave", "care_ended", ending)
    death = _death(db, citizen, p)  # a later date than the approved change's
    assert (ending.status, death.status) == ("cancelled", "pending")
    assert death.supersedes_id == ending.id and cancelling.replaced(death) == [ending]
    assert cancelling.was_decided(ending)
    assert ending.refusal_reason == f"superseded by request {death.reference}"
    (audit,) = _cancel_audits(db, ending)
    assert audit.data["superseded_by"] == death.reference and "undecided" not in audit.data
    # A death never makes the care last longer than the approved change asked for.
    assert death.effective_on == ENDS
    # What approving the ending wrote is taken back; the death's approval writes its own.
    assert provider_on(db, citizen.id, ENDS).id == town.hjem.id
    assert _open_jobs(db, citizen) == [] and citizen.status == CitizenStatus.FITTED
    assert decisions.death_limit(death, p.tz) == (ending, ENDS)
    with pytest.raises(superseding.LaterThanReplaced):
        decisions.approve(
            db, death, effective_on=date(2026, 12, 6), now=NOW, actor=COORDINATOR, policy=p
        )
    decisions.approve(db, death, effective_on=ENDS, now=NOW, actor=COORDINATOR, policy=p)
    assert provider_on(db, citizen.id, ENDS) is None
    (job,) = _open_jobs(db, citizen)  # the removal job, now the death's
    assert job.effective_on == ENDS and job.kind == "removal"
    # Two deaths still make one request.
    with pytest.raises(rules.AlreadyOpen):
        _death(db, citizen, p)


def test_a_death_keeps_its_own_earlier_date(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    _approved(db, citizen, "leave", on("2026-12-05", reason="care_ended"), p)
    assert _death(db, citizen, p, day="2026-11-25").effective_on == date(2026, 11, 25)


def test_providers_told_about_a_switch_are_mailed_once(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    switch = _approved(db, citizen, "switch", on("2026-12-01", provider_id=town.omsorg.id), p)
    ending = _approved(db, citizen, "leave", on("2026-12-05", reason="care_ended"), p)
    assert switch.status == "cancelled" and len(_mails(db)) == 2
    death = _death(db, citizen, p)
    assert ending.status == "cancelled" and cancelling.replaced(death) == [ending]
    assert len(_mails(db)) == 2 and len(_cancel_audits(db, switch)) == 1


def test_the_coordinator_can_approve_the_death_after_the_replaced_date(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _approved(db, citizen, "leave", on("2026-12-05", reason="care_ended"), p)
    death = _death(db, citizen, p)
    later = NOW + timedelta(days=14)  # 7 December: the end of care's date has passed
    replaced, latest = decisions.death_limit(death, p.tz, now=later)
    assert (replaced, latest) == (ending, date(2026, 12, 7))
    decisions.approve(
        db, death, effective_on=date(2026, 12, 7), now=later, actor=COORDINATOR, policy=p
    )
    assert death.status == "done" and citizen.status == CitizenStatus.CARE_ENDED


def test_an_approved_ending_whose_date_has_come_is_put_in_force_not_replaced(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _approved(db, citizen, "leave", on("2026-11-24", reason="care_ended"), p)
    with pytest.raises(rules.CareHasEnded):
        _death(db, citizen, p, now=NOW + timedelta(days=1))
    assert ending.status in ("approved", "done")


def test_a_death_sent_while_the_end_of_care_is_withdrawn_keeps_its_own_date(db, app, monkeypatch):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-11-28", reason="care_ended"), p)
    db.commit()
    supersede_all = cancelling.supersede_all
    with Session(_db.engine) as one, Session(_db.engine) as two:

        def withdrawn_first(session, waiting, by, **kw):
            # The relative's report read the end of care as undecided; it is withdrawn and
            # saved before the death cancels it.
            decisions.withdraw(one, one.get(ChangeRequest, ending.id), now=NOW, actor=CITIZEN)
            one.commit()
            return supersede_all(session, waiting, by, **kw)

        monkeypatch.setattr(cancelling, "supersede_all", withdrawn_first)
        death = _death(two, two.get(type(citizen), citizen.id), p)
        two.commit()
        assert death.effective_on == date(2026, 12, 15) and death.supersedes_id is None
    db.expire_all()
    assert db.get(ChangeRequest, ending.id).status == "withdrawn"
    assert _cancel_audits(db, ending) == []


def test_a_death_sent_while_the_end_of_care_is_approved_with_another_date(db, app, monkeypatch):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    ending = _submit(db, citizen, "leave", on("2026-12-20", reason="care_ended"), p)
    db.commit()
    supersede_all = cancelling.supersede_all
    with Session(_db.engine) as one, Session(_db.engine) as two:

        def approved_first(session, waiting, by, **kw):
            mine = one.get(ChangeRequest, ending.id)
            decisions.approve(
                one, mine, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p
            )
            one.commit()
            return supersede_all(session, waiting, by, **kw)

        monkeypatch.setattr(cancelling, "supersede_all", approved_first)
        death = _death(two, two.get(type(citizen), citizen.id), p)
        two.commit()
        # The date rule reads the approved date, not the one it read before.
        assert death.effective_on == date(2026, 12, 1) and death.supersedes_id == ending.id
    db.expire_all()
    ending = db.get(ChangeRequest, ending.id)
    assert ending.status == "cancelled" and cancelling.was_decided(ending)
    assert provider_on(db, citizen.id, date(2026, 12, 2)).id == town.hjem.id
