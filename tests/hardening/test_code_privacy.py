"""The letter code from a QR link leaves the address bar at once and never reaches a log."""

import logging
import runpy
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.web.redact import RedactFilter, redact
from tests.factories import make_citizen
from tests.web.support import english_client

ROOT = Path(__file__).resolve().parents[2]
CODE = "ABCD-EFGH-JK23"


@pytest.mark.parametrize("page", ["/sign-in/citizen", "/sign-in/relative"])
def test_the_code_is_dropped_from_the_address_and_fills_the_form(app, page):
    client = english_client(app)
    first = client.get(f"{page}?code={CODE}&next=/citizen/")
    assert first.status_code == 303
    assert CODE not in first.location and first.location == f"{page}?next=/citizen/"
    form = client.get(first.location).get_data(as_text=True)
    assert f'value="{CODE}"' in form
    other = "/sign-in/relative" if page.endswith("citizen") else "/sign-in/citizen"
    assert f'value="{CODE}"' in client.get(other).get_data(as_text=True)


def test_signing_in_forgets_the_pending_code(app, db):
    citizen = make_citizen(db)
    db.commit()
    client = english_client(app)
    client.get(f"/sign-in/citizen?code={citizen.code}")
    born = citizen.date_of_birth
    data = {"code": citizen.code, "day": born.day, "month": born.month, "year": born.year}
    assert client.post("/sign-in/citizen", data=data).status_code == 303
    with client.session_transaction() as session:
        assert "letter_code" not in session


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"GET /sign-in/citizen?code={CODE} HTTP/1.1",
            "GET /sign-in/citizen?code=[redacted] HTTP/1.1",
        ),
        (f"/x?next=/a&code={CODE}&y=1", "/x?next=/a&code=[redacted]&y=1"),
        (f"code={CODE}", "code=[redacted]"),
        (f"/x?CODE={CODE}", "/x?CODE=[redacted]"),
        (
            "/coordinator/citizens?q=Agnes&zipcode=4100",
            "/coordinator/citizens?q=Agnes&zipcode=4100",
        ),
        ("no query", "no query"),
    ],
)
def test_redact(line, expected):
    assert redact(line) == expected


def test_the_gunicorn_access_log_is_redacted():
    logger_class = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"]
    request = SimpleNamespace(
        method="GET",
        path="/sign-in/citizen",
        query=f"code={CODE}",
        uri=f"/sign-in/citizen?code={CODE}",
        version=(1, 1),
        headers=[("REFERER", f"https://portal/sign-in/citizen?code={CODE}")],
    )
    response = SimpleNamespace(status="303 SEE OTHER", response_length=0, headers=[], sent=0)
    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": f"/sign-in/citizen?code={CODE}",
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": f"code={CODE}",
        "PATH_INFO": "/sign-in/citizen",
        "HTTP_REFERER": f"https://portal/sign-in/citizen?code={CODE}",
    }
    from datetime import timedelta

    from gunicorn.config import Config

    atoms = logger_class(Config()).atoms(response, request, environ, timedelta(seconds=0.01))
    assert atoms["r"].startswith("GET /sign-in/citizen?code=[redacted]")
    assert not [k for k, v in atoms.items() if isinstance(v, str) and CODE in v]


def test_the_development_request_log_is_redacted(app, caplog):
    logger = logging.getLogger("werkzeug")
    assert any(isinstance(f, RedactFilter) for f in logger.filters)
    caplog.set_level(logging.INFO, logger="werkzeug")
    logger.info('%s - - "%s" %s', "127.0.0.1", f"GET /sign-in/citizen?code={CODE} HTTP/1.1", 303)
    assert CODE not in caplog.text and "code=[redacted]" in caplog.text
