"""Citizens sign in through an OpenID Connect provider (a local test double): PKCE, state,
nonce, audience and expiry are checked; the national id finds the citizen by blind index."""

import time
from urllib.parse import urlsplit

import pytest
import requests
from sqlalchemy import select

from portal.audit.models import AuditRecord
from tests.factories import make_citizen
from tests.hardening import oidc_double
from tests.web import support

make_app = support.make_app  # fixture
CPR = "2403413579"


@pytest.fixture(scope="module")
def provider():
    double, server = oidc_double.start()
    yield double
    server.shutdown()


@pytest.fixture
def eid_app(make_app, provider):
    provider.override = {}
    return make_app(
        OIDC_ISSUER=provider.url,
        OIDC_CLIENT_ID=oidc_double.CLIENT_ID,
        OIDC_CLIENT_SECRET=oidc_double.CLIENT_SECRET,
        OIDC_NATIONAL_ID_CLAIM="nin",
    )


@pytest.fixture
def citizen(db):
    person = make_citizen(db, national_id=CPR)
    db.commit()
    return person


def _journey(client, tamper_state=False):
    start = client.get("/sign-in/eid?next=/citizen/")
    assert start.status_code == 302
    answer = requests.get(start.location, allow_redirects=False, timeout=10)
    back = urlsplit(answer.headers["Location"])
    query = back.query.replace("state=", "state=x") if tamper_state else back.query
    return client.get(f"{back.path}?{query}")


def test_the_citizen_signs_in_with_the_national_id(eid_app, provider, citizen, db):
    provider.person = {"nin": "240341-3579"}
    client = support.english_client(eid_app)
    done = _journey(client)
    assert done.status_code == 303 and done.location == "/citizen/"
    assert client.get("/citizen/").status_code == 200
    asked = provider.authorize_requests[-1]
    assert asked["code_challenge_method"] == "S256" and asked["nonce"] and asked["state"]
    audit = db.scalar(select(AuditRecord).where(AuditRecord.action == "sign_in"))
    assert audit.data["method"] == "oidc" and CPR not in str(audit.data)


@pytest.mark.parametrize(
    "override",
    [
        {"nonce": "not-the-one-we-sent"},
        {"aud": "another-client"},
        {"iss": "https://evil.example"},
        {"exp": int(time.time()) - 3600, "iat": int(time.time()) - 7200},
        {"nonce": None},
    ],
    ids=["wrong-nonce", "wrong-audience", "wrong-issuer", "expired", "no-nonce"],
)
def test_a_spoilt_id_token_signs_nobody_in(eid_app, provider, citizen, override):
    provider.person = {"nin": CPR}
    provider.override = override
    client = support.english_client(eid_app)
    refused = _journey(client)
    assert refused.status_code == 400 and "could not be completed" in refused.text
    assert client.get("/citizen/").status_code == 302


def test_a_forged_state_is_refused(eid_app, provider, citizen):
    provider.person = {"nin": CPR}
    client = support.english_client(eid_app)
    assert _journey(client, tamper_state=True).status_code == 400
    assert client.get("/citizen/").status_code == 302


def test_someone_not_in_the_register_is_told_so(eid_app, provider, citizen, db):
    provider.person = {"nin": "0101011234"}
    client = support.english_client(eid_app)
    refused = _journey(client)
    assert refused.status_code == 400 and "not in our register" in refused.text
    assert db.scalar(select(AuditRecord).where(AuditRecord.action == "sign_in_failed"))


def test_without_a_provider_there_is_no_eid_sign_in(client):
    assert client.get("/sign-in/eid").status_code == 404
    assert "/sign-in/eid" not in client.get("/sign-in/citizen").text


def test_the_citizen_page_offers_the_eid_button_when_configured(eid_app):
    page = support.english_client(eid_app).get("/sign-in/citizen").text
    assert "Sign in with MitID" in page and "/sign-in/eid" in page


def test_an_owner_signs_in_by_organisation_number_through_a_registered_lookup(
    make_app, provider, db, monkeypatch
):
    from portal.accounts import oidc
    from tests.factories import make_user

    owner = make_user(db, "owner")
    db.commit()
    owner_id = owner.id
    asked = []

    def lookup(session, org_number):
        asked.append(org_number)
        return session.get(type(owner), owner_id) if org_number == "12345678" else None

    monkeypatch.setattr(oidc, "ORGANISATION_LOOKUPS", [lookup])
    app = make_app(
        OIDC_ISSUER=provider.url,
        OIDC_CLIENT_ID=oidc_double.CLIENT_ID,
        OIDC_CLIENT_SECRET=oidc_double.CLIENT_SECRET,
        OIDC_ORG_NUMBER_CLAIM="cvr",
    )
    provider.override = {}
    provider.person = {"cvr": "12345678"}
    client = support.english_client(app)
    done = _journey(client)
    assert done.status_code == 303 and done.location == "/owner/"
    assert client.get("/owner/").status_code == 200 and asked == ["12345678"]
    provider.person = {"cvr": "87654321"}  # nobody: and no national id either
    other = support.english_client(app)
    assert _journey(other).status_code == 400
