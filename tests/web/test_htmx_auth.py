"""Authentication failures on htmx requests: HX-Redirect to the sign-in page (with `next`),
never a sign-in page swapped into a fragment; plain requests keep their redirects and 403s."""

from urllib.parse import parse_qs, urlsplit

import pytest

from portal.extensions import login_manager
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web.support import csrf_token_of, english_client

HTMX = {"HX-Request": "true", "HX-Current-URL": "http://localhost/coordinator/citizens?q=ib"}


def _sign_in_target(response) -> tuple[str, str]:
    assert response.status_code == 204, response.status_code
    assert response.get_data() == b""  # nothing to swap
    target = urlsplit(response.headers["HX-Redirect"])
    return target.path, parse_qs(target.query)["next"][0]


def test_not_signed_in_htmx_request_is_sent_to_sign_in_with_next(client, db):
    response = client.get("/coordinator/citizens?q=ib&page=2", headers=HTMX)
    assert _sign_in_target(response) == ("/sign-in/staff", "/coordinator/citizens?q=ib")
    assert "HX-Request" in response.vary


def test_not_signed_in_plain_request_still_redirects(client, db):
    response = client.get("/coordinator/citizens?q=ib")
    assert response.status_code == 302 and "HX-Redirect" not in response.headers
    assert response.location == "/sign-in/staff?next=/coordinator/citizens?q%3Dib"


def test_a_citizen_page_sends_htmx_to_the_citizen_sign_in(client, db):
    headers = {"HX-Request": "true", "HX-Current-URL": "http://localhost/citizen/"}
    assert _sign_in_target(client.get("/citizen/", headers=headers)) == (
        "/sign-in/citizen",
        "/citizen/",
    )


def test_a_foreign_current_url_is_not_used_as_next(client, db):
    headers = {"HX-Request": "true", "HX-Current-URL": "https://evil.example/coordinator/x"}
    response = client.get("/coordinator/citizens", headers=headers)
    assert _sign_in_target(response) == ("/sign-in/staff", "/coordinator/citizens")


@pytest.mark.parametrize("who", ["citizen", "staff"])
def test_an_expired_session_on_htmx_is_sent_to_sign_in(client, db, clock, who):
    if who == "citizen":
        sign_in_citizen(client, make_citizen(db))
        page, headers = "/citizen/", {"HX-Request": "true"}
    else:
        sign_in_staff(client, make_user(db, "coordinator"))
        page, headers = "/coordinator/citizens", HTMX
    with client.session_transaction() as session:
        session["seen"] = clock().timestamp() - 9 * 60 * 60
    response = client.get(page, headers=headers)
    path, _next = _sign_in_target(response)
    assert path == ("/sign-in/citizen" if who == "citizen" else "/sign-in/staff")
    sign_in_page = client.get(response.headers["HX-Redirect"]).get_data(as_text=True)
    assert "signed out because you were away" in sign_in_page
    assert client.get(page).status_code == 302  # the session really is gone


def test_wrong_role_on_htmx_is_sent_to_sign_in_and_plain_gets_403(client, db):
    sign_in_citizen(client, make_citizen(db))
    response = client.get("/coordinator/citizens?q=ib", headers=HTMX)
    assert _sign_in_target(response) == ("/sign-in/staff", "/coordinator/citizens?q=ib")
    assert client.get("/coordinator/citizens").status_code == 403


def test_flask_login_unauthorized_handler_answers_htmx_with_hx_redirect(app):
    with app.test_request_context("/coordinator/letters", headers={"HX-Request": "true"}):
        response = login_manager.unauthorized()
        assert response.headers["HX-Redirect"] == "/sign-in/staff?next=/coordinator/letters"
    with app.test_request_context("/coordinator/letters"):
        response = login_manager.unauthorized()
        assert response.status_code == 302 and "HX-Redirect" not in response.headers


def test_csrf_failure_after_the_session_is_gone_is_sent_to_sign_in(make_app, db):
    fresh = make_app(WTF_CSRF_ENABLED=True)
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(fresh)
    token = csrf_token_of(client.get("/sign-in/staff").get_data(as_text=True))
    form = {"email": user.email, "password": "correct horse battery staple", "csrf_token": token}
    assert client.post("/sign-in/staff", data=form).status_code == 303
    client.delete_cookie("portal_session")  # the browser dropped the session
    response = client.post("/sign-out", headers=HTMX)
    assert _sign_in_target(response) == ("/sign-in/staff", "/coordinator/citizens?q=ib")
    # A plain form post keeps the 400 page; a public page keeps it too (nothing to sign in to).
    assert client.post("/sign-out").status_code == 400
    public = {"HX-Request": "true", "HX-Current-URL": "http://localhost/"}
    assert client.post("/sign-out", headers=public).status_code == 400
