"""An expired consent request: the owner is no longer waited for and cannot answer it; both the
owner's pages and the coordinator's say it expired. The app's clock decides, before and after
the hourly sweep has marked the request expired."""

from datetime import timedelta

import pytest
from flask import current_app
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.audit.services import SYSTEM
from portal.consent import (
    blanket,
    board,
    decisions,
    owner_queries,
    queries,
    requests,
    signals,
    terms,
)
from portal.consent.decision_support import RequestExpired
from portal.consent.invitations import issue_request
from portal.consent.models import ConsentDecision, ConsentRequest, RequestStatus
from tests.consent.owner_support import WINDOWS, Org, signature, terms_now
from tests.factories import NOW, make_user
from tests.helpers import sign_in_staff
from tests.web.support import english_client

LATER = NOW + timedelta(days=31)  # Org's request runs 30 days


@pytest.fixture
def org(db, keyring, clock):
    return Org(db, keyring)


@pytest.fixture(params=["before the sweep", "after the sweep"])
def expired(request, app, db, keyring, org, clock):
    """The clock past the request's answer-by time, with or without the sweep having run."""
    clock.set(LATER)
    if request.param == "after the sweep":
        requests.remind_due(db, keyring, config=current_app.config, now=LATER, actor=SYSTEM)
        assert org.request.status == RequestStatus.EXPIRED
    else:
        assert org.request.status == RequestStatus.OPEN
    db.commit()
    return org


def _grant(db, org, entrance, now):
    return decisions.grant(
        db,
        org.who,
        entrance.id,
        entrance.version,
        signature(),
        WINDOWS,
        current_terms=terms_now(),
        now=now,
    )


def _decline(db, org, entrance, now):
    return decisions.decline(
        db,
        org.who,
        entrance.id,
        entrance.version,
        reason="Nej",
        signer_name="H",
        signer_role="F",
        lang="da",
        now=now,
    )


def test_a_running_request_waits_for_the_owner_and_takes_an_answer(db, org):
    properties, waiting, expired = owner_queries.tasks(db, org.org.id, NOW)
    assert waiting == 3 and expired == {}
    first, second, _third = org.entrances
    assert _grant(db, org, first, NOW).kind == "granted"
    assert _decline(db, org, second, NOW).kind == "declined"


def test_an_expired_request_is_not_waited_for_and_takes_no_answer(db, expired):
    org = expired
    _properties, waiting, gone = owner_queries.tasks(db, org.org.id, LATER)
    assert waiting == 0
    assert set(gone) == {e.id for e in org.entrances}
    assert all(at == org.request.expires_at for at in gone.values())
    first, second, _third = org.entrances
    with pytest.raises(RequestExpired):
        _grant(db, org, first, LATER)
    with pytest.raises(RequestExpired):
        _decline(db, org, second, LATER)
    assert db.query(ConsentDecision).count() == 0
    assert {e.consent_status for e in org.entrances} == {"requested"}


def test_the_board_says_expired_once_the_clock_has_passed_the_answer_by_time(db, org):
    ids = [org.first.id, org.second.id]
    assert set(board.first_sent_of(db, ids, NOW)) == set(ids)
    assert board.first_sent_of(db, ids, LATER) == {}
    assert queries.expired_requests(db, [org.first], NOW) == {}


def test_the_owner_sees_the_request_expired_and_cannot_decide(app, db, expired):
    org = expired
    client = english_client(app)
    sign_in_staff(client, org.user)
    home = client.get("/owner/").get_data(as_text=True)
    assert "Waiting for your answer" not in home and ">Decide<" not in home
    assert "Request expired" in home and "The municipality will contact you" in home
    assert "No entrance waits for your answer" in home
    entrance = org.first.entrances[0]
    page = client.get(f"/owner/entrances/{entrance.id}").get_data(as_text=True)
    assert "Request expired" in page and "The municipality will contact you" in page
    assert f"/owner/entrances/{entrance.id}/grant" not in page
    assert f"/owner/entrances/{entrance.id}/decline" not in page
    refused = client.post(
        f"/owner/entrances/{entrance.id}/decline",
        data={
            "decline-version": str(entrance.version),
            "decline-signer_name": "Hanne Hansen",
            "decline-signer_role": "Chair",
            "decline-reason": "No",
        },
    )
    assert refused.status_code == 200
    assert "The request for this entrance has expired" in refused.get_data(as_text=True)
    assert db.query(ConsentDecision).count() == 0
    everything = client.get("/owner/all").get_data(as_text=True)
    assert "Request expired" in everything and "Waiting for your answer" not in everything


def test_the_coordinator_sees_the_same_entrance_as_expired(app, db, expired):
    org = expired
    client = english_client(app)
    sign_in_staff(client, make_user(db, "coordinator"))
    db.commit()
    page = client.get(f"/coordinator/properties/{org.first.id}").get_data(as_text=True)
    assert "Request expired" in page and "Waiting for the owner" not in page
    listing = client.get("/coordinator/properties").get_data(as_text=True)
    assert "Request expired" in listing and "Waiting for the owner" not in listing
    waiting = client.get("/coordinator/consent").get_data(as_text=True)
    assert "Expired: ask again" in waiting


def test_the_coordinator_is_offered_to_ask_again_at_once(app, db, keyring, expired):
    """Past the answer-by time the property is offered at once, not when the hourly sweep
    has marked its request expired; a request still running is not offered."""
    org = expired
    coordinator = make_user(db, "coordinator")
    db.commit()
    client = english_client(app)
    sign_in_staff(client, coordinator)
    ask = client.get("/coordinator/consent/ask").get_data(as_text=True)
    for prop in (org.first, org.second):
        assert f'name="properties" value="{prop.id}"' in ask
    assert "2 properties to ask about" in ask
    ids = [str(org.first.id), str(org.second.id)]
    preview = client.post("/coordinator/consent/ask/preview", data={"properties": ids})
    assert preview.status_code == 200 and "3</strong> entrances" in preview.get_data(as_text=True)
    sent = client.post("/coordinator/consent/ask/send", data={"properties": ids})
    assert sent.status_code == 303 and "/coordinator/consent/sent" in sent.location
    again = db.scalars(select(ConsentRequest).order_by(ConsentRequest.id.desc())).first()
    assert again.id != org.request.id and again.expires_at > LATER
    assert {p.id for p in again.properties} == {org.first.id, org.second.id}
    ask = client.get("/coordinator/consent/ask").get_data(as_text=True)
    assert "0 properties to ask about" in ask  # asked again: running now


def test_a_running_request_is_not_offered_to_ask_again(db, org):
    assert db.scalars(board.to_ask(now=NOW)).all() == []
    assert board.selection(db, [org.first.id, org.second.id], NOW).property_ids == []
    after = board.selection(db, [org.first.id, org.second.id], LATER)
    assert set(after.property_ids) == {org.first.id, org.second.id} and after.entrances == 3


def _second_asked_again(db, keyring, org, clock, *, swept):
    """The second building asked again later (still running at LATER), the first not; the
    clock at LATER, the first request swept or not."""
    again, _code = issue_request(
        db, keyring, org.org, [org.second], now=NOW + timedelta(days=20), actor=SYSTEM, days=30
    )
    clock.set(LATER)
    if swept:
        requests.remind_due(db, keyring, config=current_app.config, now=LATER, actor=SYSTEM)
        assert org.request.status == RequestStatus.EXPIRED
    else:
        assert org.request.status == RequestStatus.OPEN
    db.commit()
    return again


@pytest.mark.parametrize("swept", [False, True], ids=["before the sweep", "after the sweep"])
def test_consent_for_all_properties_grants_only_requests_still_running(
    db, keyring, org, clock, swept
):
    import io

    from pypdf import PdfReader

    again = _second_asked_again(db, keyring, org, clock, swept=swept)
    heard = []
    with signals.entrance_granted.connected_to(lambda s, **kw: heard.append(kw["entrance"].id)):
        consent = blanket.grant_blanket(
            db, org.who, signature(), [], current_terms=terms_now(), now=LATER
        )
    db.commit()
    running = org.second.entrances[0]
    assert heard == [running.id] and running.consent_status == "granted"
    assert {e.consent_status for e in org.first.entrances} == {"requested"}
    decisions_made = db.scalars(select(ConsentDecision)).all()
    assert [(d.entrance_id, d.request_id) for d in decisions_made] == [(running.id, again.id)]
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "consent.blanket_granted"))
    assert audit.data == {
        "entrances": [running.id],
        "expired": [e.id for e in org.first.entrances],
    }
    text = " ".join(p.extract_text() for p in PdfReader(io.BytesIO(consent.receipt_pdf)).pages)
    expired_part = text.split("Ikke givet: anmodningen var udløbet")[1]
    assert org.first.address in expired_part and org.second.address not in expired_part
    for entrance in org.first.entrances:
        assert entrance.label in expired_part


def test_the_owner_is_told_which_entrances_were_not_granted_as_expired(
    app, db, keyring, org, clock
):
    _second_asked_again(db, keyring, org, clock, swept=False)
    client = english_client(app)
    sign_in_staff(client, org.user)
    data = {
        "grant-terms_hash": terms.terms_hash(terms_now("en")),
        "grant-signer_name": "Hanne Hansen",
        "grant-signer_role": "Chair",
        "grant-may_sign": "y",
        "grant-typed": terms.confirmation_phrase("en"),
    }
    assert client.post("/owner/all/grant", data=data).status_code == 303
    page = client.get("/owner/all").get_data(as_text=True)
    alert = page.split("Not granted: the request had expired")[1].split("</ul>")[0]
    for entrance in org.first.entrances:
        assert f"{org.first.address}, {entrance.label}" in alert
    assert org.second.address not in alert
    assert org.second.entrances[0].consent_status == "granted"


def test_before_signing_the_owner_is_warned_which_entrances_it_will_not_grant(
    app, db, keyring, org, clock
):
    _second_asked_again(db, keyring, org, clock, swept=False)
    client = english_client(app)
    sign_in_staff(client, org.user)
    page = client.get("/owner/all").get_data(as_text=True)
    assert "Not covered: the request has expired" in page
    alert = page.split("Not covered: the request has expired")[1].split("</ul>")[0]
    for entrance in org.first.entrances:
        assert f"{org.first.address}, {entrance.label}" in alert
    assert org.second.address not in alert
    assert page.index("Not covered") < page.index('id="grant"')  # read before the form
    assert "Not granted: the request had expired" not in page  # nothing signed yet
