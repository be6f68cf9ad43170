"""The owner's pages over HTTP: the code, the account, deciding, receipts, and bad input."""

import re

import pytest
from sqlalchemy import select

from portal.accounts.models import User
from portal.consent import terms
from portal.consent.models import ConsentDecision, ConsentQuestion, ConsentRequest, Entrance
from tests.consent.owner_support import Org, terms_now
from tests.factories import NOW, PASSWORD, make_owner
from tests.helpers import sign_in_staff
from tests.web.support import english_client

ACCOUNT = {
    "name": "Hanne Hansen",
    "email": "hanne@boligen.example",
    "password": "et langt kodeord",
    "confirm": "et langt kodeord",
}


@pytest.fixture
def org(db, keyring, clock):
    return Org(db, keyring)


@pytest.fixture
def owner(app, org):
    client = english_client(app)
    sign_in_staff(client, org.user)
    return client


def grant_data(entrance, lang="en", **extra):
    return {
        "grant-version": str(entrance.version),
        "grant-terms_hash": terms.terms_hash(terms_now(lang)),
        "grant-signer_name": "Hanne Hansen",
        "grant-signer_role": "Chair",
        "grant-may_sign": "y",
        "grant-typed": terms.confirmation_phrase(lang),
        "grant-day_1": "0",
        "grant-starts_1": "09:00",
        "grant-ends_1": "12:00",
        **extra,
    }


def test_the_code_makes_one_account_and_then_refuses(app, db, org):
    client = english_client(app)
    link = client.get(f"/owner/invitation?code={org.code}")  # the QR code's link
    # The code alone makes the organisation's account: it leaves the address at once, so it
    # stays out of the browser's history and the server's access log.
    assert link.status_code == 303 and link.location.endswith("/owner/invitation")
    page = client.get(link.location)
    assert org.code in page.get_data(as_text=True)  # the QR link fills the field in
    response = client.post("/owner/invitation", data={"code": org.code.lower()})
    assert response.status_code == 303 and response.location.endswith("/owner/invitation/account")
    response = client.post("/owner/invitation/account", data=ACCOUNT)
    assert response.status_code == 303 and response.location.endswith("/owner/")
    user = db.scalars(select(User).where(User.email == "hanne@boligen.example")).one()
    assert user.role == "owner" and user.owner_organisation_id == org.org.id
    home = client.get("/owner/").get_data(as_text=True)
    assert org.first.address in home and "3 entrances wait for your answer" in home
    again = english_client(app).post("/owner/invitation", data={"code": org.code})
    assert "already been used" in again.get_data(as_text=True)


def test_wrong_expired_and_malformed_codes_get_their_own_message(app, db, org, clock):
    client = english_client(app)
    page = client.post("/owner/invitation", data={"code": "ABCD-EFGH-JK23"}).get_data(as_text=True)
    assert "typing error" in page and 'value="ABCD-EFGH-JK23"' in page
    from portal.citizens.letter_codes import generate

    page = client.post("/owner/invitation", data={"code": generate()}).get_data(as_text=True)
    assert "We cannot find this code" in page
    clock.set(NOW.replace(year=NOW.year + 1))
    page = client.post("/owner/invitation", data={"code": org.code}).get_data(as_text=True)
    assert "This invitation expired on" in page
    assert db.get(ConsentRequest, org.request.id).code_failures == 1


def test_the_account_step_keeps_what_was_typed_and_refuses_a_taken_email(app, db, org):
    client = english_client(app)
    assert client.get("/owner/invitation/account").status_code == 303  # no code yet
    client.post("/owner/invitation", data={"code": org.code})
    bad = dict(ACCOUNT, confirm="something else", name="<script>alert(1)</script>")
    page = client.post("/owner/invitation/account", data=bad).get_data(as_text=True)
    assert "The two passwords are not the same" in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page and "<script>alert(1)" not in page
    taken = dict(ACCOUNT, email=org.user.email.upper())
    page = client.post("/owner/invitation/account", data=taken).get_data(as_text=True)
    assert "An account already uses this email address" in page
    assert db.get(ConsentRequest, org.request.id).redeemed_at is None


def test_grant_gives_a_receipt_that_stays_downloadable(app, db, org, owner):
    entrance = org.first.entrances[0]
    page = owner.get(f"/owner/entrances/{entrance.id}").get_data(as_text=True)
    assert "insurance" in page and terms.confirmation_phrase("en") in page
    response = owner.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    assert response.status_code == 303, response.get_data(as_text=True)[:2000]
    done = owner.get(response.location).get_data(as_text=True)
    assert "Download receipt" in done
    decision = db.scalars(select(ConsentDecision)).one()
    pdf = owner.get(f"/owner/decisions/{decision.id}/receipt.pdf")
    assert pdf.status_code == 200 and pdf.data.startswith(b"%PDF")
    assert pdf.mimetype == "application/pdf"


def test_a_stale_page_loses_nothing_and_says_somebody_decided(app, db, org, owner):
    entrance = org.first.entrances[0]
    data = grant_data(entrance)
    entrance.consent_status = "declined"  # a colleague declined meanwhile (version moves on)
    db.commit()
    page = owner.post(f"/owner/entrances/{entrance.id}/grant", data=data).get_data(as_text=True)
    assert "Somebody else in your organisation decided" in page
    assert 'value="Hanne Hansen"' in page and 'value="09:00"' in page


def test_changed_terms_are_refused_and_the_form_comes_back(app, db, org, owner):
    entrance = org.first.entrances[0]
    data = grant_data(entrance, **{"grant-terms_hash": "0" * 64})
    page = owner.post(f"/owner/entrances/{entrance.id}/grant", data=data).get_data(as_text=True)
    assert "The terms changed while you were reading them" in page
    assert 'value="Chair"' in page
    assert db.get(Entrance, entrance.id).consent_status == "requested"


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("grant-typed", "yes", "Type exactly"),
        ("grant-may_sign", "", "Confirm that you may sign"),
        ("grant-signer_name", "x" * 201, "Field cannot be longer than 200 characters"),
        ("grant-starts_1", "25:00", "Time 1, from: enter a time like 09:00"),
        ("grant-ends_1", "08:00", "Time 1: the end must be after the start"),
        ("grant-day_1", "9", "Not a valid choice"),
        ("grant-version", "abc", "Somebody else"),
        ("grant-signer_role", '=HYPERLINK("http://x")', None),
    ],
)
def test_bad_grant_input_gets_a_message_next_to_the_field(
    app, db, org, owner, field, value, message
):
    entrance = org.first.entrances[0]
    response = owner.post(
        f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance, **{field: value})
    )
    if message is None:  # a formula is just text: stored as typed, never evaluated here
        assert response.status_code == 303
        return
    assert response.status_code == 200
    assert message in response.get_data(as_text=True)
    assert db.get(Entrance, entrance.id).consent_status == "requested"


def test_decline_needs_a_reason_and_then_records_it(app, db, org, owner):
    entrance = org.first.entrances[0]
    data = {
        "decline-version": str(entrance.version),
        "decline-signer_name": "H",
        "decline-signer_role": "Chair",
        "decline-reason": "",
    }
    page = owner.post(f"/owner/entrances/{entrance.id}/decline", data=data)
    assert "Tell us why you decline" in page.get_data(as_text=True)
    data["decline-reason"] = "Bestyrelsen vil ikke"
    response = owner.post(f"/owner/entrances/{entrance.id}/decline", data=data)
    assert response.status_code == 303
    assert db.get(Entrance, entrance.id).consent_status == "declined"


def test_withdraw_after_grant_shows_the_end_date_and_offers_a_receipt(app, db, org, owner):
    entrance = org.first.entrances[0]
    owner.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    db.expire_all()
    entrance = db.get(Entrance, entrance.id)
    data = {
        "withdraw-version": str(entrance.version),
        "withdraw-signer_name": "H",
        "withdraw-signer_role": "Chair",
        "withdraw-reason": "",
        "withdraw-understood": "y",
    }
    response = owner.post(f"/owner/entrances/{entrance.id}/withdraw", data=data)
    assert response.status_code == 303
    page = owner.get(response.location).get_data(as_text=True)
    assert "Door rights end on" in page and "Download receipt" in page


def test_a_question_lands_with_the_coordinator_and_its_answer_shows(app, db, org, owner):
    entrance = org.first.entrances[0]
    data = {"question-entrance": str(entrance.id), "question-text": "Hvem betaler strøm?"}
    assert owner.post("/owner/questions", data=data).status_code == 303
    question = db.scalars(select(ConsentQuestion)).one()
    assert question.entrance_id == entrance.id and question.owner_id == org.org.id
    question.answer, question.answered_at = "Kommunen.", NOW
    db.commit()
    page = owner.get(f"/owner/entrances/{entrance.id}").get_data(as_text=True)
    assert "Hvem betaler strøm?" in page and "Kommunen." in page
    empty = owner.post("/owner/questions", data={"question-text": " "}).get_data(as_text=True)
    assert "Write your question" in empty
    assert (
        owner.post(
            "/owner/questions", data={"question-entrance": "x1", "question-text": "a"}
        ).status_code
        == 404
    )


def test_a_sold_property_gets_a_clear_message(app, db, org, owner):
    entrance = org.first.entrances[0]
    data = grant_data(entrance)
    org.first.owner = make_owner(db, name="Køber A/S")
    db.commit()
    response = owner.post(f"/owner/entrances/{entrance.id}/grant", data=data)
    assert response.status_code == 409
    assert "The property has changed owner" in response.get_data(as_text=True)
    assert owner.get(f"/owner/entrances/{entrance.id}").status_code == 409


def test_an_owner_never_reaches_another_organisations_things(app, db, keyring, org, owner):
    other = Org(db, keyring)
    entrance = other.first.entrances[0]
    theirs = english_client(app)
    sign_in_staff(theirs, other.user)
    theirs.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    decision = db.scalars(select(ConsentDecision)).one()
    for path in (
        f"/owner/entrances/{entrance.id}",
        f"/owner/decisions/{decision.id}",
        f"/owner/decisions/{decision.id}/receipt.pdf",
        "/owner/entrances/99999999999",
        "/owner/all/1/receipt.pdf",
    ):
        assert owner.get(path).status_code == 404, path
    for action in ("grant", "decline", "withdraw"):
        assert owner.post(f"/owner/entrances/{entrance.id}/{action}", data={}).status_code == 404
    home = owner.get("/owner/").get_data(as_text=True)
    assert other.first.address not in home


def test_blanket_consent_over_http(app, db, org, owner):
    page = owner.get("/owner/all").get_data(as_text=True)
    assert org.first.address in page
    data = {
        k.replace("grant-version", "x"): v for k, v in grant_data(org.first.entrances[0]).items()
    }
    response = owner.post("/owner/all/grant", data=data)
    assert response.status_code == 303
    page = owner.get("/owner/all").get_data(as_text=True)
    assert "Consent for all properties is given" in page
    found = re.search(r"/owner/all/(\d+)/receipt.pdf", page)
    assert owner.get(found.group(0)).data.startswith(b"%PDF")
    withdraw = {
        "withdraw-signer_name": "H",
        "withdraw-signer_role": "Chair",
        "withdraw-understood": "y",
    }
    assert owner.post("/owner/all/withdraw", data=withdraw).status_code == 303
    assert {e.consent_status for e in db.scalars(select(Entrance))} == {"withdrawn"}


def test_an_owner_invites_a_colleague_who_comes_in_with_the_code(app, db, org, owner):
    response = owner.post("/owner/colleagues", data={"name": "Bo Berg", "email": "bo@b.example"})
    assert response.status_code == 303
    page = owner.get("/owner/colleagues").get_data(as_text=True)
    code = re.search(r"<strong>([A-Z0-9-]{14})</strong>", page).group(1)
    assert code not in owner.get("/owner/colleagues").get_data(as_text=True)  # shown once
    colleague = english_client(app)
    assert colleague.post("/owner/invitation", data={"code": code}).status_code == 303
    form = colleague.get("/owner/invitation/account").get_data(as_text=True)
    assert 'value="bo@b.example"' in form
    data = dict(ACCOUNT, email="bo@b.example", name="Bo Berg")
    assert colleague.post("/owner/invitation/account", data=data).status_code == 303
    bo = db.scalars(select(User).where(User.email == "bo@b.example")).one()
    assert bo.owner_organisation_id == org.org.id
    assert PASSWORD  # the factory password is not the colleague's


def test_a_colleague_code_stops_working_when_the_inviting_owner_is_switched_off(
    app, db, org, owner
):
    """A switched-off owner could invite a made-up colleague beforehand and come back in."""
    from portal.consent.models import OwnerInvitation

    owner.post("/owner/colleagues", data={"name": "Bo Berg", "email": "bo@b.example"})
    page = owner.get("/owner/colleagues").get_data(as_text=True)
    code = re.search(r"<strong>([A-Z0-9-]{14})</strong>", page).group(1)
    inviter = db.get(User, db.scalars(select(OwnerInvitation)).one().invited_by_user_id)
    inviter.active = False
    db.commit()
    colleague = english_client(app)
    response = colleague.post("/owner/invitation", data={"code": code})
    assert response.status_code == 200
    assert "The colleague who invited you can no longer sign in here" in response.get_data(
        as_text=True
    )
    assert colleague.get("/owner/invitation/account").status_code != 200
    assert db.scalars(select(OwnerInvitation)).one().redeemed_at is None


def test_an_organisation_without_email_comes_in_by_letter_and_keeps_its_receipts(
    app, db, keyring, clock
):
    org = Org(db, keyring, email=False)
    client = english_client(app)
    client.post("/owner/invitation", data={"code": org.code})
    client.post("/owner/invitation/account", data=ACCOUNT)
    entrance = org.first.entrances[0]
    response = client.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    assert response.status_code == 303
    decision = db.scalars(select(ConsentDecision)).one()
    later = english_client(app)  # another day: sign in with email and password
    later.post("/sign-in/owner", data={"email": ACCOUNT["email"], "password": ACCOUNT["password"]})
    assert later.get(f"/owner/decisions/{decision.id}/receipt.pdf").data.startswith(b"%PDF")


@pytest.mark.parametrize(
    ("path", "data", "message"),
    [
        ("decline", {"decline-reason": "x" * 2001}, "Field cannot be longer than 2000 characters"),
        ("decline", {"decline-signer_name": "\x00"}, "Enter your full name"),
        ("withdraw", {"withdraw-understood": ""}, None),
    ],
)
def test_too_long_missing_and_nul_input_is_answered_on_the_page(
    app, db, org, owner, path, data, message
):
    entrance = org.first.entrances[0]
    base = {
        f"{path}-version": str(entrance.version),
        f"{path}-signer_name": "H",
        f"{path}-signer_role": "R",
        f"{path}-reason": "ok",
    }
    response = owner.post(f"/owner/entrances/{entrance.id}/{path}", data=base | data)
    assert response.status_code == 200
    if message:
        assert message in response.get_data(as_text=True)
    assert db.get(Entrance, entrance.id).consent_status == "requested"


def test_hostile_text_is_shown_as_text(app, db, org, owner):
    entrance = org.first.entrances[0]
    text = '<img src=x onerror=alert(1)> =cmd|"/c calc"!A1'
    owner.post(
        "/owner/questions", data={"question-entrance": str(entrance.id), "question-text": text}
    )
    page = owner.get(f"/owner/entrances/{entrance.id}").get_data(as_text=True)
    assert "&lt;img src=x onerror=alert(1)&gt;" in page and "<img src=x" not in page


def test_wrong_ids_are_404_not_500(app, db, org, owner):
    for path in (
        "/owner/entrances/abc",
        "/owner/entrances/0",
        "/owner/entrances/-1",
        "/owner/decisions/2147483648",
        "/owner/all/99999999999999/receipt.pdf",
    ):
        assert owner.get(path).status_code == 404, path
    assert owner.post("/owner/entrances/2147483648/grant").status_code == 404


def test_the_code_page_is_rate_limited_per_code(app, db, org):
    client = english_client(app)
    typings = ["ABCD-EFGH-JK23", "abcd efgh jk23", "ABCDEFGHJK23", "abcd-efgh-jk23"]
    statuses = [
        client.post("/owner/invitation", data={"code": typings[i % 4]}).status_code
        for i in range(11)
    ]
    assert statuses[:10] == [200] * 10 and statuses[10] == 429


def test_a_cancelled_request_says_so(app, db, org):
    org.request.status = "cancelled"
    db.commit()
    page = english_client(app).post("/owner/invitation", data={"code": org.code})
    assert "This invitation has been withdrawn" in page.get_data(as_text=True)


def test_two_signers_on_two_pages_leave_one_decision(app, db, keyring, org, owner):
    from tests.factories import make_user

    colleague = make_user(db, "owner", owner_organisation_id=org.org.id)
    second = english_client(app)
    sign_in_staff(second, colleague)
    entrance = org.first.entrances[0]
    both_saw = entrance.version
    decline = {
        "decline-version": str(both_saw),
        "decline-signer_name": "Bo",
        "decline-signer_role": "Board",
        "decline-reason": "Nej tak",
    }
    assert (
        owner.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance)).status_code
        == 303
    )
    page = second.post(f"/owner/entrances/{entrance.id}/decline", data=decline)
    text = page.get_data(as_text=True)
    assert "Somebody else in your organisation decided" in text and "Nej tak" in text
    kinds = db.scalars(select(ConsentDecision.kind)).all()
    assert kinds == ["granted"]


def test_a_withdrawal_tells_the_owner_how_many_booked_visits_were_cancelled(app, db, org, owner):
    from portal.consent import signals

    entrance = org.first.entrances[0]
    owner.post(f"/owner/entrances/{entrance.id}/grant", data=grant_data(entrance))
    db.expire_all()
    entrance = db.get(Entrance, entrance.id)
    data = {
        "withdraw-version": str(entrance.version),
        "withdraw-signer_name": "H",
        "withdraw-signer_role": "Chair",
        "withdraw-understood": "y",
    }

    def locksmith(session, **kw):
        return {"cancelled_jobs": 2}

    with signals.entrance_withdrawn.connected_to(locksmith):
        response = owner.post(f"/owner/entrances/{entrance.id}/withdraw", data=data)
    page = owner.get(response.location).get_data(as_text=True)
    assert "2 booked fitting visits have been cancelled." in page


def test_mitid_signing_is_offered_only_when_configured(app, db, org, owner):
    entrance = org.first.entrances[0]
    path = f"/owner/entrances/{entrance.id}"
    assert "MitID Erhverv" not in owner.get(path).get_data(as_text=True)
    forged = grant_data(entrance, **{"grant-method": "mitid_erhverv"})
    page = owner.post(f"{path}/grant", data=forged).get_data(as_text=True)
    assert "not available here yet" in page
    started = []
    app.config["CONSENT_OIDC_SIGNING"] = {"issuer": "https://mitid.example"}
    app.extensions["owner_signing"] = {"start": lambda e, f, w: started.append(e.id) or ("", 302)}
    try:
        assert "With MitID Erhverv" in owner.get(path).get_data(as_text=True)
        assert owner.post(f"{path}/grant", data=forged).status_code == 302
        assert started == [entrance.id]
    finally:
        app.config.pop("CONSENT_OIDC_SIGNING")
        app.extensions.pop("owner_signing")
