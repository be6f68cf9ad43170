"""The coordinator's token page: the secret is shown once and never stored, scopes and a
provider binding are kept, revocation works at once; the token service's refusals."""

import hashlib
from datetime import timedelta

import pytest
from sqlalchemy import select

from portal.audit.models import AuditRecord
from portal.careapi import tokens
from portal.careapi.models import ApiToken
from tests.careapi.support import COORDINATOR, call
from tests.factories import NOW, make_provider, make_user
from tests.helpers import sign_in_staff


def test_creating_a_token_shows_the_secret_once_and_keeps_only_its_hash(db, client, clock):
    provider = make_provider(db, "Omsorg A/S")
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    response = client.post(
        "/coordinator/care-system-api",
        data={
            "name": "EHR test",
            "scopes": ["visits:read", "requests:read"],
            "provider": str(provider.id),
            "valid": "30",
        },
    )
    assert response.status_code == 200 and response.headers["Cache-Control"] == "no-store"
    page = response.get_data(as_text=True)
    secret = page.split('value="kc_')[1].split('"')[0]
    secret = "kc_" + secret
    token = db.scalar(select(ApiToken))
    assert secret.startswith(f"kc_{token.prefix}_") and secret not in str(vars(token))
    assert token.secret_hash == hashlib.sha256(secret[12:].encode()).hexdigest()
    assert token.scope_set == {"visits:read", "requests:read"}
    assert token.provider_id == provider.id and token.expires_at == NOW + timedelta(days=30)
    listing = client.get("/coordinator/care-system-api").get_data(as_text=True)
    assert "EHR test" in listing and token.prefix in listing and secret not in listing
    assert call(client, "GET", "/visits", secret).status_code == 200
    url = f"/coordinator/care-system-api/{token.id}/revoke"
    # The link asks first; a POST without the "Yes" (a script, an old page) asks too.
    question = client.get(url).get_data(as_text=True)
    assert "Revoke the token EHR test?" in question and "Yes, revoke the token" in question
    assert "No, keep the token" in question
    assert client.post(url).status_code == 200
    assert call(client, "GET", "/visits", secret).status_code == 200
    revoked = client.post(url, data={"confirm": "yes"})
    assert revoked.status_code == 303
    assert call(client, "GET", "/visits", secret).status_code == 401
    actions = db.scalars(select(AuditRecord.action).where(AuditRecord.object_type == "api_token"))
    assert {"api_token.created", "api_token.used", "api_token.revoked"} <= set(actions)


@pytest.mark.parametrize(
    ("data", "field"),
    [
        ({"name": "", "scopes": ["visits:read"], "valid": "90"}, "name"),
        ({"name": "x" * 121, "scopes": ["visits:read"], "valid": "90"}, "name"),
        ({"name": "EHR", "valid": "90"}, "scopes"),
        ({"name": "EHR", "scopes": ["admin:all"], "valid": "90"}, "scopes"),
        ({"name": "EHR", "scopes": ["visits:read"], "valid": "7"}, "valid"),
        ({"name": "EHR", "scopes": ["visits:read"], "valid": "90", "provider": "999"}, "provider"),
    ],
)
def test_a_bad_token_form_comes_back_with_the_error_and_makes_nothing(db, client, data, field):
    coordinator = make_user(db, "coordinator")
    db.commit()
    sign_in_staff(client, coordinator)
    response = client.post("/coordinator/care-system-api", data=data)
    assert response.status_code == 200
    assert f'id="{field}-error"' in response.get_data(as_text=True) or (
        f"#{field}" in response.get_data(as_text=True)
    )
    assert db.scalar(select(ApiToken.id)) is None


def test_the_service_refuses_tokens_that_could_do_nothing_or_are_dead_at_birth(db):
    for scopes, name, expires in (
        ([], "EHR", None),
        (["root"], "EHR", None),
        (["visits:read"], "  ", None),
        (["visits:read"], "EHR", NOW),
    ):
        with pytest.raises(tokens.TokenError):
            tokens.create(
                db, name, scopes, provider_id=None, expires_at=expires, now=NOW, actor=COORDINATOR
            )


def test_the_token_page_has_no_revoke_button_and_asks_before_revoking(db, client, clock):
    coordinator = make_user(db, "coordinator")
    made = tokens.create(
        db, "EHR", ["visits:read"], provider_id=None, expires_at=None, now=NOW, actor=COORDINATOR
    )
    db.commit()
    sign_in_staff(client, coordinator)
    page = client.get("/coordinator/care-system-api").get_data(as_text=True)
    # The new-token form's button is the page's only submit button: Enter there, or a script
    # taking the first button, cannot revoke a token.
    assert page.split("<main", 1)[1].count('type="submit"') == 1
    url = f"/coordinator/care-system-api/{made.token.id}/revoke"
    assert f'href="{url}"' in page
    assert client.post(url, data={"confirm": "no"}).status_code == 200
    db.refresh(made.token)
    assert made.token.revoked_at is None
    assert client.post(url, data={"confirm": "yes"}).status_code == 303
    again = client.get(url)
    assert again.status_code == 303 and again.location.endswith("/coordinator/care-system-api")
