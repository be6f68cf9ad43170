"""The security baseline: cookies, headers, production refusals, national ids never shown."""

import io
import logging
import re

import pytest

from tests.citizens.csvdata import csv_bytes, make_reference_data, row
from tests.factories import make_citizen, make_user
from tests.helpers import sign_in_citizen, sign_in_staff
from tests.web import support
from tests.web.support import english_client

client, make_app = support.client, support.make_app  # fixtures shared with tests/web


def _session_cookie_header(response) -> str:
    cookies = [h for h in response.headers.getlist("Set-Cookie") if h.startswith("portal_session=")]
    assert cookies, "no session cookie was set"
    return cookies[-1]


def test_session_cookie_is_httponly_and_samesite_lax(client, db):
    header = _session_cookie_header(sign_in_staff(client, make_user(db, "coordinator")))
    assert "HttpOnly" in header and "SameSite=Lax" in header
    assert "Secure" not in header  # the test config sets INSECURE_COOKIES for plain http


def test_session_cookie_is_secure_unless_insecure_cookies_is_set(make_app, db):
    fresh = make_app(INSECURE_COOKIES=False)
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(fresh)
    response = client.post(
        "/sign-in/staff",
        data={"email": user.email, "password": "correct horse battery staple"},
        base_url="https://localhost",
    )
    header = _session_cookie_header(response)
    assert "Secure" in header and "HttpOnly" in header and "SameSite=Lax" in header


def test_remember_me_cookies_are_never_set(client, db, now):
    response = sign_in_staff(client, make_user(db, "coordinator"))
    assert not [h for h in response.headers.getlist("Set-Cookie") if h.startswith("remember_token")]


@pytest.mark.parametrize(
    "path", ["/", "/sign-in/citizen", "/no-such-page", "/coordinator/citizens"]
)
def test_every_response_carries_a_strict_content_security_policy(client, db, path):
    sign_in_staff(client, make_user(db, "coordinator"))
    response = client.get(path)
    csp = response.headers["Content-Security-Policy"]
    directives = dict(d.strip().split(" ", 1) for d in csp.split(";"))
    assert "unsafe-inline" not in csp and "unsafe-eval" not in csp
    assert directives["object-src"] == "'none'"
    assert directives["base-uri"] == "'none'"
    assert directives["frame-ancestors"] == "'none'"
    assert directives["script-src"] == "'self'" and directives["default-src"] == "'self'"
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["X-Frame-Options"] == "DENY"


def test_pages_have_no_inline_scripts_styles_or_event_handlers(client, db):
    citizen = make_citizen(db)
    db.commit()
    pages = ["/", "/sign-in/citizen", "/sign-in/relative", "/sign-in/staff", "/accessibility"]
    html = "".join(client.get(p).get_data(as_text=True) for p in pages)
    sign_in_staff(client, make_user(db, "coordinator"))
    for page in (
        "/coordinator/citizens",
        f"/coordinator/citizens/{citizen.id}",
        "/coordinator/import",
    ):
        html += client.get(page).get_data(as_text=True)
    assert not re.search(r"<script(?![^>]*\bsrc=)[^>]*>", html), "inline <script>"
    assert not re.search(r"\sstyle=", html) and "<style" not in html
    assert not re.search(r"\son[a-z]+=", html) and "hx-on" not in html


@pytest.mark.parametrize(
    ("role", "path"),
    [
        ("coordinator", "/coordinator/citizens"),
        ("locksmith", "/staff"),
        ("owner", "/owner/"),
        ("locksmith", "/"),
        ("owner", "/accessibility"),
        (None, "/sign-in/citizen"),
    ],
)
def test_personal_pages_are_not_cached(client, db, role, path):
    if role:
        sign_in_staff(client, make_user(db, role))
    assert client.get(path).headers.get("Cache-Control") == "no-store"


def test_public_pages_and_static_files_may_be_cached(client, db):
    assert "no-store" not in client.get("/").headers.get("Cache-Control", "")
    sign_in_staff(client, make_user(db, "coordinator"))
    static = client.get("/static/js/portal.js")
    assert static.status_code == 200 and "no-store" not in static.headers.get("Cache-Control", "")


CPR = "2403413579"


@pytest.fixture
def known_cpr_citizen(db):
    make_reference_data(db)
    citizen = make_citizen(db, national_id=CPR, name="Cecilie Cprsen")
    db.commit()
    return citizen


def _assert_no_national_id(text: str):
    assert CPR not in text and "240341-3579" not in text and "3579" not in text


def test_national_ids_never_appear_in_full_on_any_page(client, db, known_cpr_citizen, caplog):
    caplog.set_level(logging.DEBUG)
    sign_in_staff(client, make_user(db, "coordinator"))
    register = client.get("/coordinator/citizens?q=cecilie").get_data(as_text=True)
    assert "Cecilie Cprsen" in register
    detail = client.get(f"/coordinator/citizens/{known_cpr_citizen.id}").get_data(as_text=True)
    assert "240341-****" in detail
    raw = csv_bytes(
        [row(1, national_id=CPR, external_id=known_cpr_citizen.external_id, name="Cecilie Ny")]
    )
    upload = client.post(
        "/coordinator/import",
        data={"file": (io.BytesIO(raw), "x.csv")},
        content_type="multipart/form-data",
    )
    preview = client.get(upload.location)
    done = client.post(upload.location)
    result = client.get(done.location).get_data(as_text=True)
    assert "1 citizen updated" in result  # the import really ran through the pages
    pages = [register, detail, preview.get_data(as_text=True), result]
    urls = [upload.location, done.location]
    citizen_client = english_client(client.application)
    sign_in_citizen(citizen_client, known_cpr_citizen)
    pages.append(citizen_client.get("/citizen/").get_data(as_text=True))
    for text in pages + urls + [caplog.text]:
        _assert_no_national_id(text)
