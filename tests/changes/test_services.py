"""Change services: every transition, the rules that refuse, the audit, the dated effects."""

from datetime import UTC, date, datetime, timedelta

import pytest
from sqlalchemy import select

from portal.access.derivation import served_citizen_ids
from portal.audit.models import AuditRecord
from portal.changes import decisions, effects, rules, services
from portal.changes.models import ChangeRequest, ProviderNotice
from portal.citizens.lifecycle import CitizenStatus
from portal.directory.queries import provider_on
from portal.notify.models import OutboxMessage
from tests.access.support import make_staff
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


def _actions(db):
    return [a.action for a in db.scalars(select(AuditRecord).order_by(AuditRecord.seq))]


def _switch(db, app, citizen, town, day="2026-12-01", now=NOW, tz=CPH):
    req = services.submit(
        db,
        citizen,
        "switch",
        on(day, provider_id=town.omsorg.id),
        source="citizen",
        now=now,
        actor=CITIZEN,
        policy=policy(app, tz),
    )
    return decisions.approve(
        db,
        req,
        effective_on=date.fromisoformat(day),
        now=now,
        actor=COORDINATOR,
        policy=policy(app, tz),
    )


def test_a_switch_is_dated_told_to_both_providers_and_applied_once_at_midnight(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    req = _switch(db, app, citizen, town)
    assert req.status == "approved" and req.reference and len(req.reference) == 7
    assert citizen.status == CitizenStatus.SWITCHING_PROVIDER
    assert provider_on(db, citizen.id, date(2026, 11, 30)).id == town.hjem.id
    assert provider_on(db, citizen.id, date(2026, 12, 1)).id == town.omsorg.id
    notices = db.scalars(select(ProviderNotice).order_by(ProviderNotice.id)).all()
    assert [(n.provider_id, n.role) for n in notices] == [
        (town.hjem.id, "losing"),
        (town.omsorg.id, "gaining"),
    ]
    mails = db.scalars(select(OutboxMessage)).all()
    assert sorted(m.to_address for m in mails) == sorted(u.email for u in town.admins.values())
    # 00:00 on 1 December in Copenhagen is 23:00 UTC on 30 November.
    midnight = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    p = policy(app)
    before = effects.apply_due(
        db, now=midnight - timedelta(seconds=1), actor=CITIZEN, tz=CPH, store=p.store
    )
    assert before == [] and req.status == "approved"
    assert effects.apply_due(db, now=midnight, actor=CITIZEN, tz=CPH, store=p.store) == [
        req.reference
    ]
    assert req.status == "done" and citizen.status == CitizenStatus.FITTED
    assert (
        effects.apply_due(
            db, now=midnight + timedelta(hours=1), actor=CITIZEN, tz=CPH, store=p.store
        )
        == []
    )
    actions = _actions(db)
    assert actions.count("change.applied") == 1
    assert {"change.requested", "change.approved", "provider.assigned"} <= set(actions)


@pytest.mark.parametrize(
    ("tz", "day", "midnight_utc"),
    [
        ("Europe/Copenhagen", "2026-12-01", datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        ("Europe/Stockholm", "2026-12-01", datetime(2026, 11, 30, 23, 0, tzinfo=UTC)),
        # The night the clocks go forward (02:00 -> 03:00): midnight is still winter time.
        ("Europe/Copenhagen", "2027-03-28", datetime(2027, 3, 27, 23, 0, tzinfo=UTC)),
        ("Europe/Stockholm", "2027-03-29", datetime(2027, 3, 28, 22, 0, tzinfo=UTC)),
        # The night the clocks go back (03:00 -> 02:00): midnight is summer time.
        ("Europe/Stockholm", "2027-10-31", datetime(2027, 10, 30, 22, 0, tzinfo=UTC)),
        ("Europe/Copenhagen", "2027-11-01", datetime(2027, 10, 31, 23, 0, tzinfo=UTC)),
    ],
)
def test_a_switch_takes_effect_at_local_midnight_in_both_time_zones_and_on_dst_nights(
    db, app, tz, day, midnight_utc
):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    req = _switch(db, app, citizen, town, day=day, tz=tz)
    assert rules.effective_moment(req.effective_on, tz) == midnight_utc
    store = policy(app, tz).store
    assert (
        effects.apply_due(
            db, now=midnight_utc - timedelta(seconds=1), actor=CITIZEN, tz=tz, store=store
        )
        == []
    )
    assert effects.apply_due(db, now=midnight_utc, actor=CITIZEN, tz=tz, store=store) == [
        req.reference
    ]


def test_the_job_run_late_applies_every_due_change_once(db, app):
    town = make_town(db)
    first, second, later = (fitted_citizen(db, town) for _ in range(3))
    a = _switch(db, app, first, town, day="2026-11-25")
    b = _switch(db, app, second, town, day="2026-11-27")
    c = _switch(db, app, later, town, day="2026-12-20")
    store = policy(app).store
    late = datetime(2026, 11, 29, 6, 0, tzinfo=UTC)  # the consumer was down for days
    assert effects.apply_due(db, now=late, actor=CITIZEN, tz=CPH, store=store) == [
        a.reference,
        b.reference,
    ]
    assert effects.apply_due(db, now=late, actor=CITIZEN, tz=CPH, store=store) == []
    assert c.status == "approved"
    assert _actions(db).count("change.applied") == 2


def test_switch_refusals(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    submit = lambda d: services.submit(  # noqa: E731
        db, citizen, "switch", d, source="citizen", now=NOW, actor=CITIZEN, policy=p
    )
    with pytest.raises(rules.SameProvider):
        submit(on("2026-12-01", provider_id=town.hjem.id))
    south_only = fitted_citizen(db, town)
    south_only.district_id = town.south.id
    with pytest.raises(rules.NotApproved):
        services.submit(
            db,
            south_only,
            "switch",
            on("2026-12-01", provider_id=town.omsorg.id),
            source="citizen",
            now=NOW,
            actor=CITIZEN,
            policy=p,
        )
    with pytest.raises(rules.NotApproved):
        submit(on("2026-12-01", provider_id=999999))
    with pytest.raises(rules.DateInPast):
        submit(on("2026-11-22", provider_id=town.omsorg.id))
    with pytest.raises(rules.DateTooFar) as far:
        submit(on("2027-11-24", provider_id=town.omsorg.id))
    assert "365" in far.value.text()
    submit(on("2027-11-23", provider_id=town.omsorg.id))  # exactly the limit is allowed
    assert db.scalar(select(ChangeRequest).where(ChangeRequest.citizen_id == south_only.id)) is None


def test_two_open_requests_contradict_and_the_second_is_refused(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    first = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=p,
    )
    with pytest.raises(rules.AlreadyOpen) as refused:
        services.submit(
            db,
            citizen,
            "leave",
            on("2026-12-01", reason="care_ended"),
            source="relative",
            now=NOW,
            actor=CITIZEN,
            policy=p,
        )
    assert first.reference in refused.value.text()
    decisions.withdraw(db, first, now=NOW, actor=CITIZEN)
    services.submit(
        db,
        citizen,
        "leave",
        on("2026-12-01", reason="care_ended"),
        source="relative",
        now=NOW,
        actor=CITIZEN,
        policy=p,
    )


def test_question_answer_refuse_withdraw(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    p = policy(app)
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=p,
    )
    decisions.ask(db, req, "  Which care group?  ", now=NOW, actor=COORDINATOR)
    assert (req.status, req.question) == ("question", "Which care group?")
    with pytest.raises(rules.NotOpen):
        decisions.answer(
            db,
            decisions.refuse(db, req, "No", now=NOW, actor=COORDINATOR),
            "x",
            now=NOW,
            actor=CITIZEN,
        )
    assert req.status == "refused" and req.refusal_reason == "No"
    with pytest.raises(rules.NotOpen):
        decisions.withdraw(db, req, now=NOW, actor=CITIZEN)
    with pytest.raises(rules.NotOpen):
        decisions.approve(
            db, req, effective_on=date(2026, 12, 1), now=NOW, actor=COORDINATOR, policy=p
        )
    assert citizen.status == CitizenStatus.FITTED
    assert provider_on(db, citizen.id, date(2026, 12, 2)).id == town.hjem.id


def test_an_approved_request_cannot_be_withdrawn(db, app):
    town = make_town(db)
    req = _switch(db, app, fitted_citizen(db, town), town)
    with pytest.raises(rules.NotOpen):
        decisions.withdraw(db, req, now=NOW, actor=CITIZEN)


def test_care_ended_citizens_get_no_more_changes(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town, lock=False)
    decisions.register(
        db,
        citizen,
        "leave",
        on("2026-11-23", reason="care_ended"),
        source="care_system",
        now=NOW,
        actor=COORDINATOR,
        policy=policy(app),
    )
    assert citizen.status == CitizenStatus.CARE_ENDED
    with pytest.raises(rules.CareHasEnded):
        services.submit(
            db,
            citizen,
            "switch",
            on("2026-12-01", provider_id=town.omsorg.id),
            source="citizen",
            now=NOW,
            actor=CITIZEN,
            policy=policy(app),
        )


def test_an_approval_that_breaks_a_rule_changes_nothing(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    req = services.submit(
        db,
        citizen,
        "switch",
        on("2026-12-01", provider_id=town.omsorg.id),
        source="citizen",
        now=NOW,
        actor=CITIZEN,
        policy=policy(app),
    )
    with pytest.raises(rules.DateInPast):
        decisions.approve(
            db, req, effective_on=date(2026, 11, 1), now=NOW, actor=COORDINATOR, policy=policy(app)
        )
    assert req.status == "pending" and citizen.status == CitizenStatus.FITTED
    assert db.scalars(select(ProviderNotice)).all() == []


def test_leaving_ends_the_door_on_its_date_even_before_the_job_runs(db, app):
    town = make_town(db)
    citizen = fitted_citizen(db, town)
    day_staff, night_staff = make_staff(db, [town.hjem_north]), make_staff(db, [town.night])
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
    db.flush()
    eve = datetime(2026, 11, 30, 22, 59, tzinfo=UTC)
    day_one = datetime(2026, 11, 30, 23, 0, tzinfo=UTC)
    for staff in (day_staff, night_staff):
        assert citizen.id in served_citizen_ids(db, staff, now=eve, tz=CPH)
        assert citizen.id not in served_citizen_ids(db, staff, now=day_one, tz=CPH)
    assert citizen.status == CitizenStatus.FITTED  # the status follows when the job runs
    effects.apply_due(db, now=day_one, actor=CITIZEN, tz=CPH, store=policy(app).store)
    assert citizen.status == CitizenStatus.CARE_ENDED
    assert provider_on(db, citizen.id, date(2026, 12, 1)) is None


def test_one_change_that_cannot_be_applied_holds_up_no_other(db, app, monkeypatch):
    town = make_town(db)
    broken, fine = fitted_citizen(db, town), fitted_citizen(db, town)
    a = _switch(db, app, broken, town, day="2026-11-25")
    b = _switch(db, app, fine, town, day="2026-11-25")
    real = effects._final_status

    def failing(session, req):
        if req.id == a.id:
            raise RuntimeError("boom")
        real(session, req)

    monkeypatch.setattr(effects, "_final_status", failing)
    day = datetime(2026, 11, 25, 6, 0, tzinfo=UTC)
    store = policy(app).store
    assert effects.apply_due(db, now=day, actor=CITIZEN, tz=CPH, store=store) == [b.reference]
    assert (a.status, b.status) == ("approved", "done")
    monkeypatch.setattr(effects, "_final_status", real)
    assert effects.apply_due(db, now=day, actor=CITIZEN, tz=CPH, store=store) == [a.reference]
