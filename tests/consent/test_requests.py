"""Asking owners: one request per owner, codes kept hashed, emails only with an address,
reminders once per period, expiry, answers to questions, and a sale in between."""

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import Actor
from portal.citizens import letter_codes
from portal.consent import register, requests
from portal.consent.models import ConsentQuestion, ConsentRequest, PropertyEvent
from portal.notify.models import OutboxMessage
from tests.factories import NOW, make_citizen, make_district, make_owner, make_property

ACTOR = Actor("user", 1, "Karin Koordinator")


def _send(db, keyring, props, now=NOW):
    return requests.send_requests(
        db, keyring, [p.id for p in props], config=current_app.config, now=now, actor=ACTOR
    )


def test_each_owner_gets_one_request_with_a_hashed_code(app, db, keyring):
    district = make_district(db)
    mail, paper = make_owner(db), make_owner(db, email=None, language="sv")
    a, b = (
        make_property(db, owner=mail, district=district, entrances=2),
        make_property(db, owner=mail),
    )
    c = make_property(db, owner=paper)
    made = _send(db, keyring, [a, b, c])
    assert [sorted(p.id for p in r.properties) for r in made] == [sorted([a.id, b.id]), [c.id]]
    first, second = made
    code = requests.code_of(keyring, first)
    assert letter_codes.normalise(code) == code
    assert code not in first.code_enc and code not in first.code_index
    assert requests.find_by_code(db, keyring, code).id == first.id
    assert {e.consent_status for e in a.entrances + b.entrances + c.entrances} == {"requested"}
    outbox = db.scalars(select(OutboxMessage)).all()
    assert [m.to_address for m in outbox] == [mail.email]
    assert letter_codes.grouped(code) in outbox[0].body
    assert (first.channel, second.channel, second.language) == ("letter_email", "letter", "sv")
    assert second.email_sent_at is None
    kinds = db.scalars(select(PropertyEvent.kind).where(PropertyEvent.property_id == a.id)).all()
    assert kinds == ["requested"]
    actions = db.scalars(
        select(AuditRecord.action).where(AuditRecord.action == "consent.requested")
    )
    assert len(actions.all()) == 2


def test_properties_with_nothing_left_to_ask_are_refused(app, db, keyring):
    prop = make_property(db)
    prop.entrances[0].consent_status = "granted"
    db.flush()
    with pytest.raises(requests.NothingToRequest):
        _send(db, keyring, [prop])
    with pytest.raises(requests.NothingToRequest):
        requests.send_requests(db, keyring, [], config=current_app.config, now=NOW, actor=ACTOR)


def test_reminders_come_once_per_period_and_stop_after_the_last(app, db, keyring):
    owner = make_owner(db)
    prop = make_property(db, owner=owner)
    (request,) = _send(db, keyring, [prop])
    config = current_app.config

    def remind(days):
        return requests.remind_due(
            db, keyring, config=config, now=NOW + timedelta(days=days), actor=ACTOR
        )

    assert remind(13) == []
    assert remind(14) == [request]
    assert remind(14) == []  # the same tick again: nothing twice
    assert remind(20) == []
    assert remind(28) == [request]
    assert remind(60) == []  # two reminders is the most
    assert request.reminder_count == 2
    keys = db.scalars(select(OutboxMessage.dedupe_key).order_by(OutboxMessage.id)).all()
    assert keys == [
        f"consent-request:{request.id}",
        f"consent-reminder:{request.id}:1",
        f"consent-reminder:{request.id}:2",
    ]
    remind(61)
    assert request.status == "expired"


def test_a_sold_property_is_not_reminded_and_goes_back_to_be_asked(app, db, keyring):
    seller, buyer = make_owner(db), make_owner(db)
    prop = make_property(db, owner=seller)
    (request,) = _send(db, keyring, [prop])
    values = {k: getattr(prop, k) for k in register.PROPERTY_FIELDS} | {"owner_id": buyer.id}
    register.save_property(db, prop.id, values, now=NOW + timedelta(days=1), actor=ACTOR)
    assert prop.owner_id == buyer.id and prop.entrances[0].consent_status == "not_requested"
    due = requests.remind_due(
        db, keyring, config=current_app.config, now=NOW + timedelta(days=15), actor=ACTOR
    )
    assert due == [] and request.reminder_count == 0 and request.status == "cancelled"
    kinds = db.scalars(
        select(PropertyEvent.kind)
        .where(PropertyEvent.property_id == prop.id)
        .order_by(PropertyEvent.id)
    ).all()
    assert kinds == ["requested", "owner_changed", "cancelled"]


def test_a_sale_keeps_the_request_for_the_sellers_other_properties_open(app, db, keyring):
    seller, buyer = make_owner(db), make_owner(db)
    sold, kept = make_property(db, owner=seller), make_property(db, owner=seller)
    (request,) = _send(db, keyring, [sold, kept])
    values = {k: getattr(sold, k) for k in register.PROPERTY_FIELDS} | {"owner_id": buyer.id}
    register.save_property(db, sold.id, values, now=NOW, actor=ACTOR)
    assert request.status == "open"
    due = requests.remind_due(
        db, keyring, config=current_app.config, now=NOW + timedelta(days=15), actor=ACTOR
    )
    assert due == [request]
    reminded = db.scalars(
        select(PropertyEvent.property_id).where(PropertyEvent.kind == "reminded")
    ).all()
    assert reminded == [kept.id]


def test_a_question_is_answered_once(app, db):
    prop = make_property(db, owner=make_owner(db))
    question = ConsentQuestion(
        owner_id=prop.owner_id, property_id=prop.id, asked_at=NOW, text="Hvem betaler strøm?"
    )
    db.add(question)
    db.flush()
    requests.answer_question(db, question.id, " Kommunen. ", now=NOW, actor=ACTOR, user_id=None)
    assert question.answer == "Kommunen." and question.answered_at == NOW
    (mail,) = db.scalars(select(OutboxMessage)).all()
    assert mail.to_address == prop.owner.email and "Kommunen." in mail.body
    with pytest.raises(requests.QuestionProblem) as exc:
        requests.answer_question(db, question.id, "Igen", now=NOW, actor=ACTOR)
    assert exc.value.code == "answered"
    for text, code in (("  ", "empty"), ("x" * 4001, "too_long")):
        other = ConsentQuestion(owner_id=prop.owner_id, asked_at=NOW, text="?")
        db.add(other)
        db.flush()
        with pytest.raises(requests.QuestionProblem) as exc:
            requests.answer_question(db, other.id, text, now=NOW, actor=ACTOR)
        assert exc.value.code == code
    kinds = db.scalars(select(PropertyEvent.kind).where(PropertyEvent.property_id == prop.id))
    assert kinds.all() == ["answer"]


def test_waiting_citizens_are_counted_behind_requested_entrances(app, db, keyring):
    from portal.consent import board

    district = make_district(db)
    prop = make_property(db, district=district, entrances=2)
    for _ in range(3):
        make_citizen(db, district=district, property_id=prop.id)
    make_citizen(db, district=district, property_id=prop.id, status="opted_out")
    older = make_property(db, district=district)
    sel = board.selection(db, [prop.id, older.id], NOW)
    assert sel.citizens == 3 and sel.entrances == 3 and len(sel.owners) == 2
    _send(db, keyring, [older], now=NOW - timedelta(days=9))
    _send(db, keyring, [prop])
    waiting = board.waiting_per_entrance(db, [e.id for e in prop.entrances])
    assert waiting == {prop.entrances[0].id: 3, prop.entrances[1].id: 3}
    rows = db.scalars(board.board(district.id)).all()
    assert [p.id for p in rows] == [older.id, prop.id]
    assert board.selection(db, [prop.id, older.id], NOW).property_ids == []  # asked already
    assert db.scalars(board.to_ask(district.id, now=NOW)).all() == []
    assert db.scalar(select(ConsentRequest.id).limit(1)) is not None
