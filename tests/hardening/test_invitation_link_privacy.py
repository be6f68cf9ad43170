"""The staff invitation's one-time token travels in the link's path, not its query: the access
logs (gunicorn's and the development server's) and a sent e-mail's stored copy must not keep
it, or whoever reads a log or the outbox table sets the new account's password first."""

import logging
import runpy
from datetime import timedelta
from pathlib import Path
from types import SimpleNamespace

import pytest

from portal.web.redact import redact
from tests.web import support

ROOT = Path(__file__).resolve().parents[2]
TOKEN = "N_YBuiYNjItYNiZEg_6c9AhErzFjX6YbglR6WAhd31s"


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        (
            f"GET /sign-in/invitation/{TOKEN} HTTP/1.1",
            "GET /sign-in/invitation/[redacted] HTTP/1.1",
        ),
        (
            f"https://portal.example/sign-in/invitation/{TOKEN}",
            "https://portal.example/sign-in/invitation/[redacted]",
        ),
        (f"/sign-in/invitation/{TOKEN}?x=1", "/sign-in/invitation/[redacted]?x=1"),
        ("GET /sign-in/invitation HTTP/1.1", "GET /sign-in/invitation HTTP/1.1"),
    ],
)
def test_the_invitation_token_in_a_path_is_redacted(line, expected):
    assert redact(line) == expected


def test_the_gunicorn_access_log_drops_the_invitation_token():
    logger_class = runpy.run_path(str(ROOT / "gunicorn.conf.py"))["logger_class"]
    uri = f"/sign-in/invitation/{TOKEN}"
    request = SimpleNamespace(method="GET", path=uri, query="", uri=uri, version=(1, 1), headers=[])
    response = SimpleNamespace(status="303 SEE OTHER", response_length=0, headers=[], sent=0)
    environ = {
        "REMOTE_ADDR": "10.0.0.1",
        "REQUEST_METHOD": "GET",
        "RAW_URI": uri,
        "SERVER_PROTOCOL": "HTTP/1.1",
        "QUERY_STRING": "",
        "PATH_INFO": uri,
    }
    from gunicorn.config import Config

    atoms = logger_class(Config()).atoms(response, request, environ, timedelta(seconds=0.01))
    assert not [k for k, v in atoms.items() if isinstance(v, str) and TOKEN in v]


def test_the_development_request_log_drops_the_invitation_token(app, caplog):
    caplog.set_level(logging.INFO, logger="werkzeug")
    logging.getLogger("werkzeug").info(
        '%s - - "%s" %s', "127.0.0.1", f"GET /sign-in/invitation/{TOKEN} HTTP/1.1", 303
    )
    assert TOKEN not in caplog.text


def _invite(app, db, now) -> str:
    from portal.accounts import invitations
    from tests.factories import make_user

    _user, token = invitations.invite_staff(
        db,
        make_user(db, "coordinator"),
        name="Lone Smed",
        email="lone.smed@kommune.example",
        role="locksmith",
        language="da",
        now=now,
        config=app.config,
    )
    db.commit()
    return token


class _SMTP:
    sent: list = []

    def __init__(self, host, port, timeout=None):
        pass

    def send_message(self, message):
        _SMTP.sent.append(message)

    def quit(self):
        pass


def test_a_sent_invitation_keeps_no_usable_link_in_the_outbox(app, db):
    from sqlalchemy import select

    from portal.notify import runner
    from portal.notify.models import OutboxMessage
    from tests.factories import NOW

    token = _invite(app, db, NOW)
    _SMTP.sent = []
    runner.deliver_pending(db, now=NOW, config=app.config, smtp_factory=_SMTP)
    assert token in _SMTP.sent[0].get_content()  # the e-mail itself carries the link
    stored = db.scalars(select(OutboxMessage).where(OutboxMessage.kind == "staff_invitation")).one()
    assert stored.status == "sent"
    assert token not in stored.body
    assert "/sign-in/invitation/[redacted]" in stored.body


def test_the_browser_keeps_the_token_sealed_while_the_password_is_chosen(app, db, clock):
    """Flask's session cookie is signed, not encrypted: a token kept there in clear could be
    read off a shared computer's browser after the 30 minutes the portal keeps it for, and
    used on its own for the link's 72 hours."""
    import json

    from tests.web.support import english_client

    token = _invite(app, db, clock())
    invitee = english_client(app)
    assert invitee.get(f"/sign-in/invitation/{token}").status_code == 303
    with invitee.session_transaction() as kept:
        assert token not in json.dumps(dict(kept))
    page = invitee.get("/sign-in/invitation")
    assert page.status_code == 200 and "lone.smed@kommune.example" in page.get_data(as_text=True)
    chosen = "a sentence I remember"
    done = invitee.post("/sign-in/invitation", data={"password": chosen, "confirm": chosen})
    assert done.status_code == 303


make_app = support.make_app  # a fresh portal (fixture shared with tests/web)


def test_an_error_on_the_link_logs_its_path_without_the_token(make_app, monkeypatch, caplog):
    from portal.accounts import invitations

    def broken(*_args, **_kwargs):
        raise RuntimeError("database gone")

    monkeypatch.setattr(invitations, "check", broken)
    fresh = make_app()
    caplog.set_level(logging.ERROR, logger="portal.web.errors")
    answer = fresh.test_client().get(f"/sign-in/invitation/{TOKEN}")
    assert answer.status_code == 500
    assert "unhandled error on GET /sign-in/invitation/[redacted]" in caplog.text
    assert TOKEN not in caplog.text
