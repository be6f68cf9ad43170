"""Issuer keys at rest: encrypted with a passphrase from outside instance/, old plain files
encrypted at start-up or by `flask keys encrypt`, and production refuses to run without."""

import secrets
from datetime import UTC, datetime, timedelta

import pytest

import portal.access.key_protection  # noqa: F401  (registers its production check)
from portal.access.issuer_keys import KeyStore, LockedIssuerKey
from portal.access.key_protection import ENCRYPTED_MARK, encrypt_existing
from portal.keys import Issuer
from portal.web.production import problems

PASS = secrets.token_urlsafe(32).encode()
NOW = datetime(2026, 11, 23, 9, tzinfo=UTC)


def _signs(issuer) -> bool:
    phone = Issuer.generate("x", "phone")  # any P-256 public key will do as the device key
    return bool(
        issuer.issue_shift_key(
            "S1", phone.public_key, [1], NOW, NOW + timedelta(hours=8), 1, issued_at=NOW
        )
    )


def test_new_keys_are_written_encrypted(tmp_path):
    store = KeyStore("https://portal.example", tmp_path / "keys", PASS)
    store.create("k1-a")
    text = store.path("k1-a").read_text()
    assert ENCRYPTED_MARK in text
    for name, password in (("bare", None), ("wrong", b"wrong" * 8)):
        copy = tmp_path / name  # a copy of the folder, as a thief would have it
        copy.mkdir()
        (copy / "issuer-k1-a.pem").write_text(text)
        with pytest.raises(LockedIssuerKey):
            KeyStore("https://portal.example", copy, password).load("k1-a")
    copy = tmp_path / "copy"
    copy.mkdir()
    (copy / "issuer-k1-a.pem").write_text(text)
    assert _signs(KeyStore("https://portal.example", copy, PASS).load("k1-a"))


def test_plain_keys_from_before_are_encrypted_in_place(tmp_path):
    plain = KeyStore("https://portal.example", tmp_path)
    plain.create("k1-old")
    assert ENCRYPTED_MARK not in plain.path("k1-old").read_text()
    assert encrypt_existing(tmp_path, "https://portal.example", PASS) == ["k1-old"]
    assert ENCRYPTED_MARK in plain.path("k1-old").read_text()
    assert encrypt_existing(tmp_path, "https://portal.example", PASS) == []  # once only
    reread = tmp_path / "again"
    reread.mkdir()
    (reread / "issuer-k1-old.pem").write_text(plain.path("k1-old").read_text())
    assert _signs(KeyStore("https://portal.example", reread, PASS).load("k1-old"))
    assert not list(tmp_path.glob(".*.tmp"))


def test_start_up_encrypts_plain_keys(make_app, tmp_path):
    keys = tmp_path / "issuer"
    KeyStore("https://portal.example", keys).create("k1-start")
    make_app(ISSUER_KEY_DIR=str(keys), ISSUER_KEY_PASSPHRASE=PASS.decode())
    assert ENCRYPTED_MARK in (keys / "issuer-k1-start.pem").read_text()


def test_the_cli_encrypts_and_needs_a_passphrase(make_app, tmp_path):
    keys = tmp_path / "cli"
    KeyStore("https://portal.example", keys).create("k1-cli")
    bare = make_app(ISSUER_KEY_DIR=str(keys))
    refused = bare.test_cli_runner().invoke(args=["keys", "encrypt"])
    assert refused.exit_code != 0 and "PASSPHRASE" in refused.output
    secret = tmp_path / "outside" / "issuer-passphrase"
    secret.parent.mkdir()
    secret.write_text(PASS.decode() + "\n")
    app = make_app(ISSUER_KEY_DIR=str(keys), ISSUER_KEY_PASSPHRASE_FILE=str(secret))
    assert ENCRYPTED_MARK in (keys / "issuer-k1-cli.pem").read_text()  # already at start-up
    result = app.test_cli_runner().invoke(args=["keys", "encrypt"])
    assert result.exit_code == 0 and "encrypted 0" in result.output


def _issuer_problems(app, **config):
    base = {"ENV_NAME": "production", **config}
    with app.app_context():
        return [p for p in problems(base) if "issuer" in p.lower()]


def test_production_needs_the_passphrase_outside_the_data(app, tmp_path):
    assert _issuer_problems(app)  # none set
    assert not _issuer_problems(app, ISSUER_KEY_PASSPHRASE=PASS.decode())
    assert _issuer_problems(app, ISSUER_KEY_PASSPHRASE="a" * 40)
    inside = tmp_path / "keys" / "passphrase"
    inside.parent.mkdir()
    inside.write_text(PASS.decode())
    assert _issuer_problems(
        app, ISSUER_KEY_DIR=str(inside.parent), ISSUER_KEY_PASSPHRASE_FILE=str(inside)
    )
    assert _issuer_problems(app, ISSUER_KEY_PASSPHRASE_FILE=str(tmp_path / "missing"))
    outside = tmp_path / "secrets" / "passphrase"
    outside.parent.mkdir()
    outside.write_text(PASS.decode())
    assert not _issuer_problems(
        app, ISSUER_KEY_DIR=str(inside.parent), ISSUER_KEY_PASSPHRASE_FILE=str(outside)
    )


@pytest.fixture
def make_app(app, tmp_path):
    """A second portal with other settings (tests.web.support.make_app)."""
    from tests.web import support

    yield from support.make_app.__wrapped__(app, tmp_path)
