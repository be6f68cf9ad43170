"""Error pages: in the design system, translated, never a stack trace; problem+json under /api/."""

import logging
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from flask import abort
from sqlalchemy import text

from portal.extensions import db as _db
from portal.web.errors import MESSAGES
from tests.factories import make_user
from tests.helpers import sign_in_staff
from tests.web import support
from tests.web.support import english_client

client, make_app = support.client, support.make_app  # fixtures shared with tests/web

CODES = (400, 403, 404, 405, 409, 413, 429, 500, 503)
CATALOGS = Path(__file__).resolve().parent.parent / "portal" / "translations"


def _catalog(lang: str) -> dict:
    with open(CATALOGS / lang / "LC_MESSAGES" / "messages.po", "rb") as fh:
        return {m.id: m.string for m in read_po(fh) if m.id}


@pytest.fixture
def failing_app(make_app):
    """A fresh portal with routes that fail in every way."""
    fresh = make_app()

    @fresh.route("/boom/<int:code>")
    @fresh.route("/api/boom/<int:code>")
    def boom(code):
        abort(code)

    @fresh.route("/crash")
    @fresh.route("/api/crash")
    def crash():
        raise RuntimeError("secret internals: /etc/passwd")

    @fresh.route("/db-crash")
    def db_crash():
        _db.session.execute(text("SELECT no_such_column FROM no_such_table"))

    return fresh


def _page(client, code):
    path = "/crash" if code == 500 else f"/boom/{code}"
    return client.get(path)


@pytest.mark.parametrize("code", CODES)
def test_error_pages_are_in_the_design_system(failing_app, code):
    response = _page(english_client(failing_app), code)
    html = response.get_data(as_text=True)
    assert response.status_code == code
    assert response.mimetype == "text/html"
    assert 'class="skipnav" href="#main-content"' in html
    assert "<footer>" in html and "/accessibility" in html
    assert f"<h1>{MESSAGES[code][0]}</h1>" in html
    assert f"Error code: {code}" in html
    assert "Traceback" not in html and "secret internals" not in html


@pytest.mark.parametrize("lang", ["da", "sv"])
@pytest.mark.parametrize("code", CODES)
def test_error_pages_are_translated(failing_app, code, lang):
    client = english_client(failing_app)
    client.get(f"/language/{lang}")
    html = _page(client, code).get_data(as_text=True)
    title, advice = (str(MESSAGES[code][0]._args[0]), str(MESSAGES[code][1]._args[0]))
    catalog = _catalog(lang)
    assert catalog[title] and catalog[title] != title
    assert f"<h1>{catalog[title]}</h1>" in html and catalog[advice] in html
    assert f'<html lang="{lang}">' in html


def test_known_danish_error_texts(failing_app):
    client = english_client(failing_app)
    client.get("/language/da")
    assert "<h1>Siden blev ikke fundet</h1>" in client.get("/no-such-page").get_data(as_text=True)
    assert "Gå til sidens indhold" in client.get("/crash").get_data(as_text=True)


def test_the_500_page_never_shows_a_trace_and_the_trace_is_logged(failing_app, caplog):
    caplog.set_level(logging.ERROR)
    response = english_client(failing_app).get("/crash")
    html = response.get_data(as_text=True)
    assert response.status_code == 500
    assert "Traceback" not in html and "RuntimeError" not in html and "passwd" not in html
    assert "Traceback" in caplog.text and "secret internals" in caplog.text


def test_a_database_error_still_gets_the_designed_500_page_for_a_signed_in_user(failing_app, db):
    user = make_user(db, "coordinator")
    db.commit()
    client = english_client(failing_app)
    sign_in_staff(client, user)
    response = client.get("/db-crash")
    assert response.status_code == 500
    html = response.get_data(as_text=True)
    assert 'class="skipnav"' in html and "Sign out" in html
    assert client.get("/coordinator/citizens").status_code == 200  # the session still works


@pytest.mark.parametrize("code", CODES)
def test_errors_under_api_are_problem_json(failing_app, code):
    path = "/api/crash" if code == 500 else f"/api/boom/{code}"
    response = english_client(failing_app).get(path)
    assert response.status_code == code
    assert response.mimetype == "application/problem+json"
    body = response.get_json()
    assert body["status"] == code and body["title"] == str(MESSAGES[code][0])
    assert "secret" not in response.get_data(as_text=True)


def test_an_unknown_api_path_is_problem_json(client):
    response = client.get("/api/no-such-thing")
    assert response.status_code == 404 and response.mimetype == "application/problem+json"


@pytest.mark.parametrize(
    ("method", "path", "code"),
    [
        ("GET", "/no-such-page", 404),
        ("GET", "/coordinator/letters/batches/1/cancel", 405),
        ("DELETE", "/", 405),
        ("GET", "/coordinator/citizens/not-a-number", 404),
        ("GET", "/language/xx", 404),
    ],
)
def test_real_errors_get_the_designed_page(client, method, path, code):
    response = client.open(path, method=method)
    assert response.status_code == code
    assert 'class="skipnav"' in response.get_data(as_text=True)


def test_405_says_which_methods_are_allowed(client):
    allowed = client.get("/coordinator/letters/batches/1/cancel").headers["Allow"]
    assert set(allowed.split(", ")) == {"OPTIONS", "POST"}


def test_a_citizen_on_a_staff_page_gets_the_403_page(client, db):
    from tests.factories import make_citizen
    from tests.helpers import sign_in_citizen

    citizen = make_citizen(db)
    db.commit()
    sign_in_citizen(client, citizen)
    response = client.get("/coordinator/citizens")
    assert response.status_code == 403
    assert "You do not have access to this page" in response.get_data(as_text=True)
